import { randomUUID } from "node:crypto";
import { HEADERS, topicOf } from "@fulfillment/contracts";
import type { Kafka } from "kafkajs";

/** When an order was accepted (the 202 arrived) and when its saga ended, in epoch milliseconds. */
interface Timeline {
  acceptedAt?: number;
  endedAt?: number;
  outcome?: "completed" | "failed";
}

/**
 * Watches the saga lifecycle topic, as any outside consumer may, for the end of each saga: the
 * record's timestamp is when the tracker's relay published it. It reads only keys and the
 * message-type header, so it costs the system under test nothing but one more fetch.
 */
export class CompletionWatcher {
  private readonly timelines = new Map<string, Timeline>();
  private readonly consumer;

  constructor(kafka: Kafka) {
    this.consumer = kafka.consumer({ groupId: `bench-watch-${randomUUID()}`, maxWaitTimeInMs: 50 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topicOf("SagaCompleted")], fromBeginning: false });
    const joined = new Promise<void>((resolve) =>
      this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()),
    );
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const type = message.headers?.[HEADERS.messageType]?.toString();
          const outcome =
            type === "SagaCompleted" ? "completed" : type === "SagaFailed" ? "failed" : undefined;
          const orderId = message.key?.toString();
          if (!outcome || !orderId) continue;
          const timeline = this.timelines.get(orderId) ?? {};
          timeline.endedAt = Number(message.timestamp);
          timeline.outcome = outcome;
          this.timelines.set(orderId, timeline);
        }
        return Promise.resolve();
      },
    });
    await joined;
    // A new group's position (the end) is set by its first fetch, just after joining.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }

  accepted(orderId: string, at: number): void {
    const timeline = this.timelines.get(orderId) ?? {};
    timeline.acceptedAt = at;
    this.timelines.set(orderId, timeline);
  }

  /** Accepted → ended, for the given orders that have ended, and how many of them have not. */
  settle(orderIds: readonly string[]): {
    latencies: number[];
    failed: number;
    unfinished: number;
    lastEnd: number;
  } {
    const latencies: number[] = [];
    let failed = 0;
    let unfinished = 0;
    let lastEnd = 0;
    for (const id of orderIds) {
      const { acceptedAt, endedAt, outcome } = this.timelines.get(id) ?? {};
      if (endedAt === undefined || acceptedAt === undefined) unfinished += 1;
      else {
        latencies.push(Math.max(0, endedAt - acceptedAt));
        lastEnd = Math.max(lastEnd, endedAt);
        if (outcome === "failed") failed += 1;
      }
    }
    return { latencies, failed, unfinished, lastEnd };
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

export interface Offered {
  orderIds: string[];
  /** Answers other than 202 (for example 429 or 503), with their counts. */
  refused: Map<number | "network", number>;
  firstSentAt: number;
}

/**
 * Offers orders at a fixed rate for `seconds`, open loop: each is sent when its time comes,
 * whether or not earlier ones were answered, so a slow system meets a growing queue instead of a
 * politely waiting client.
 */
export async function offerOrders(
  perSecond: number,
  seconds: number,
  send: () => Promise<Response>,
  watcher: CompletionWatcher,
): Promise<Offered> {
  const total = Math.max(1, Math.round(perSecond * seconds));
  const offered: Offered = { orderIds: [], refused: new Map(), firstSentAt: Date.now() };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const one = async () => {
    try {
      const response = await send();
      const at = Date.now();
      if (response.status !== 202) {
        offered.refused.set(response.status, (offered.refused.get(response.status) ?? 0) + 1);
        await response.body?.cancel();
        return;
      }
      const { orderId } = (await response.json()) as { orderId: string };
      watcher.accepted(orderId, at);
      offered.orderIds.push(orderId);
    } catch {
      offered.refused.set("network", (offered.refused.get("network") ?? 0) + 1);
    }
  };
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    for (; sent < due; sent += 1) inFlight.push(one());
    const nextAt = started + (sent / perSecond) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
  }
  await Promise.all(inFlight);
  return offered;
}
