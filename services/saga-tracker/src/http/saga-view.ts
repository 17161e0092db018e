import type { RecordedFact } from "../domain/facts.js";
import { sagaStateFromFacts } from "../domain/saga-state.js";
import type { SagaRow } from "../persistence/saga-repository.js";

/** One line of a saga's history, as the query API shows it. */
export interface HistoryEntry {
  step: string;
  status: string;
  message: string;
  timestamp: string;
}

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
export function sagaView(row: SagaRow, facts: RecordedFact[]) {
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
