import { createHash } from "node:crypto";
import type { OutgoingMessage } from "@fulfillment/outbox";
import type { Compensation } from "../domain/facts.js";
import type { LifecycleEvent } from "../domain/decide.js";

/**
 * The event id of a compensation command is a function of the order and the command, so a tracker
 * rebuilt by replaying the topics that sends a command again sends the same record, which the
 * receiving service's inbox absorbs.
 */
export function commandEventId(orderId: string, compensation: Compensation): string {
  const hex = createHash("sha1").update(`fulfillment-saga:${orderId}:${compensation}`).digest("hex");
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export function commandMessage(
  orderId: string,
  compensation: Compensation,
  reason: string,
  now: number,
): OutgoingMessage {
  const value = { eventId: commandEventId(orderId, compensation), occurredAt: now, orderId, reason };
  return { name: compensation, value };
}

export function lifecycleMessage(
  orderId: string,
  event: LifecycleEvent,
  now: number,
  startedAt: number,
  newId: () => string,
): OutgoingMessage {
  const header = { eventId: newId(), occurredAt: now, orderId };
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
