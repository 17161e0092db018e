import { z } from "zod";
import type { RecordedFact } from "../domain/facts.js";
import { SAGA_STATUSES } from "../domain/saga-definition.js";
import { sagaStateFromFacts } from "../domain/saga-state.js";
import type { SagaRow } from "../persistence/saga-repository.js";

const historyEntrySchema = z
  .object({
    step: z.string().meta({ description: "The step, `order`, or the compensation command." }),
    status: z.enum(["CREATED", "SUCCEEDED", "FAILED", "TIMED_OUT", "ISSUED", "CONFIRMED"]),
    message: z.string(),
    timestamp: z.iso.datetime(),
  })
  .strict();

const sagaFields = {
  orderId: z.string(),
  status: z.enum(SAGA_STATUSES),
  currentStep: z
    .string()
    .nullable()
    .meta({ description: "The step waited for, or `compensation:<command>`; null when the saga is over." }),
  failureReason: z.string().nullable(),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
};

/** The saga as `GET /api/sagas/{orderId}` answers it. */
export const sagaViewSchema = z
  .object({
    ...sagaFields,
    history: z.array(historyEntrySchema),
    compensations: z.array(
      z
        .object({
          command: z.string(),
          status: z.enum(["PENDING", "ISSUED", "CONFIRMED", "TIMED_OUT"]),
          issuedAt: z.iso.datetime().nullable(),
          confirmedAt: z.iso.datetime().nullable(),
        })
        .strict(),
    ),
    deadlineAt: z.iso.datetime().nullable().meta({ description: "When the step waited for times out." }),
  })
  .strict()
  .meta({ id: "Saga" });

/** A saga as `GET /api/sagas` lists it. */
export const sagaSummarySchema = z.object(sagaFields).strict().meta({ id: "SagaSummary" });

export const sagaStatsSchema = z
  .object({
    total: z.number().int(),
    byStatus: z.partialRecord(z.enum(SAGA_STATUSES), z.number().int()),
    successRate: z.number().nullable().meta({ description: "Completed among finished sagas." }),
    compensationRate: z
      .number()
      .nullable()
      .meta({ description: "Sagas that needed compensation among those with a verdict." }),
    durationMs: z
      .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
      .strict()
      .meta({ description: "Of completed sagas." }),
  })
  .strict()
  .meta({ id: "SagaStats" });

/** One line of a saga's history, as the query API shows it. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type SagaView = z.infer<typeof sagaViewSchema>;
export type SagaSummaryView = z.infer<typeof sagaSummarySchema>;

export const sagaSummaryView = (r: SagaRow): SagaSummaryView => ({
  orderId: r.order_id,
  status: r.status,
  currentStep: r.current_step,
  failureReason: r.failure_reason,
  startedAt: r.started_at.toISOString(),
  completedAt: r.completed_at?.toISOString() ?? null,
});

function historyEntry(fact: RecordedFact): HistoryEntry {
  const timestamp = new Date(fact.recordedAt).toISOString();
  switch (fact.kind) {
    case "OrderPlaced":
      return { step: "order", status: "CREATED", message: fact.message, timestamp };
    case "StepSucceeded":
      return { step: fact.step, status: "SUCCEEDED", message: fact.message, timestamp };
    case "StepFailed":
      return { step: fact.step, status: "FAILED", message: fact.message, timestamp };
    case "StepTimedOut":
      return { step: fact.step, status: "TIMED_OUT", message: fact.message, timestamp };
    case "CompensationIssued":
      return { step: fact.compensation, status: "ISSUED", message: fact.message, timestamp };
    case "CompensationConfirmed":
      return { step: fact.compensation, status: "CONFIRMED", message: fact.message, timestamp };
    case "CompensationTimedOut":
      return { step: fact.compensation, status: "TIMED_OUT", message: fact.message, timestamp };
  }
}

/** The saga as `GET /api/sagas/{orderId}` answers it. */
export function sagaView(row: SagaRow, facts: RecordedFact[]): SagaView {
  const state = sagaStateFromFacts(facts);
  const at = (kind: string, compensation: string) => {
    const fact = facts.find((f) => f.kind === kind && "compensation" in f && f.compensation === compensation);
    return fact ? new Date(fact.recordedAt).toISOString() : null;
  };
  return {
    orderId: row.order_id,
    status: row.status,
    currentStep: row.current_step,
    history: facts.map(historyEntry),
    compensations: state.compensations.map((c) => ({
      command: c.compensation,
      status: c.status,
      issuedAt: at("CompensationIssued", c.compensation),
      confirmedAt: at("CompensationConfirmed", c.compensation),
    })),
    startedAt: row.started_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    failureReason: row.failure_reason,
    deadlineAt: row.deadline_at?.toISOString() ?? null,
  };
}
