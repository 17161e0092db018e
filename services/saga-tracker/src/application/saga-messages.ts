import { createHash } from "node:crypto";
import type { OutgoingMessage } from "@fulfillment/outbox";
import type { Compensation } from "../domain/facts.js";
import type { LifecycleEvent } from "../domain/decide.js";

/**
 * Every record the tracker publishes happens at most once per saga (a command, a status reached,
 * a compensation issued or confirmed), so its event id is a function of the order and of what
 * happened. A tracker rebuilt by replaying the topics sends the same records again with the same
 * ids, and the consumers' inboxes absorb them: no second effect anywhere.
 */
export function sagaEventId(orderId: string, what: string): string {
  const hex = createHash("sha1").update(`fulfillment-saga:${orderId}:${what}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export function commandMessage(
  orderId: string,
  compensation: Compensation,
  reason: string,
  now: number,
): OutgoingMessage {
  const value = { eventId: sagaEventId(orderId, compensation), occurredAt: now, orderId, reason };
  return { name: compensation, value };
}

export function lifecycleMessage(
  orderId: string,
  event: LifecycleEvent,
  now: number,
  startedAt: number,
): OutgoingMessage {
  const header = { eventId: sagaEventId(orderId, lifecycleKey(event)), occurredAt: now, orderId };
  switch (event.type) {
    case "SagaStarted":
      return { name: "SagaStarted", value: header };
    case "SagaStateChanged":
      return {
        name: "SagaStateChanged",
        value: {
          ...header,
          fromStatus: event.fromStatus,
          toStatus: event.toStatus,
          step: event.step,
          message: event.message,
        },
      };
    case "SagaFailed":
      return {
        name: "SagaFailed",
        value: { ...header, failedStep: event.failedStep, reason: event.reason, status: event.status },
      };
    case "SagaCompleted":
      return { name: "SagaCompleted", value: { ...header, durationMs: Math.max(0, now - startedAt) } };
    case "SagaCompensationRecorded":
      return {
        name: "SagaCompensationRecorded",
        value: { ...header, compensation: event.compensation, status: event.status },
      };
  }
}

/** What makes a lifecycle event unique within its saga. */
function lifecycleKey(event: LifecycleEvent): string {
  switch (event.type) {
    case "SagaStarted":
    case "SagaCompleted":
      return event.type;
    case "SagaStateChanged":
      return `${event.type}:${event.toStatus}`;
    case "SagaFailed":
      return `${event.type}:${event.failedStep}`;
    case "SagaCompensationRecorded":
      return `${event.type}:${event.compensation}:${event.status}`;
  }
}
