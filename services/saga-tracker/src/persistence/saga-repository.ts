import type { Knex } from "knex";
import { factKey, type Fact, type RecordedFact } from "../domain/facts.js";
import { FIRST_STEP, type SagaStatus } from "../domain/saga-definition.js";
import type { SagaState } from "../domain/saga-state.js";

export interface SagaRow {
  order_id: string;
  patient_id: string | null;
  status: SagaStatus;
  current_step: string | null;
  failure_reason: string | null;
  started_at: Date;
  completed_at: Date | null;
  deadline_at: Date | null;
}

/** Creates the saga row if needed and locks it: one transaction at a time decides for an order. */
export async function lockSaga(trx: Knex.Transaction, orderId: string, now: Date): Promise<SagaRow> {
  await trx("sagas")
    .insert({
      order_id: orderId,
      status: FIRST_STEP.pending,
      current_step: FIRST_STEP.name,
      started_at: now,
      updated_at: now,
    })
    .onConflict("order_id")
    .ignore();
  const row = await trx<SagaRow>("sagas").where({ order_id: orderId }).forUpdate().first();
  if (!row) throw new Error(`saga ${orderId} vanished inside its own transaction`);
  return row;
}

export async function loadFacts(db: Knex, orderId: string): Promise<RecordedFact[]> {
  const rows = await db("saga_facts")
    .where({ order_id: orderId })
    .orderBy("recorded_at")
    .select("fact", "message", "recorded_at");
  return rows.map((row: { fact: Fact; message: string; recorded_at: Date }) => ({
    ...row.fact,
    message: row.message,
    recordedAt: row.recorded_at.getTime(),
  }));
}

export async function insertFacts(
  trx: Knex.Transaction,
  orderId: string,
  facts: readonly RecordedFact[],
): Promise<void> {
  if (facts.length === 0) return;
  await trx("saga_facts")
    .insert(
      facts.map(({ recordedAt, message, ...fact }) => ({
        order_id: orderId,
        fact_key: factKey(fact),
        fact: JSON.stringify(fact),
        message,
        recorded_at: new Date(recordedAt),
      })),
    )
    .onConflict(["order_id", "fact_key"])
    .ignore();
}

/** Writes the query model of the saga: its status, step, failure and deadline. */
export async function saveProjection(
  trx: Knex.Transaction,
  orderId: string,
  state: SagaState,
  startedAt: Date,
  completedAt: Date | null,
  deadlineAt: Date | null,
  now: Date,
): Promise<void> {
  await trx("sagas")
    .where({ order_id: orderId })
    .update({
      status: state.status,
      current_step: state.currentStep,
      failure_reason: state.failure?.reason ?? null,
      started_at: startedAt,
      completed_at: completedAt,
      deadline_at: deadlineAt,
      updated_at: now,
    });
}

/** Sagas whose deadline has passed, locked for this scanner; other instances skip them. */
export async function lockDueSagas(trx: Knex.Transaction, now: Date, limit: number): Promise<string[]> {
  const rows = await trx("sagas")
    .where("deadline_at", "<=", now)
    .orderBy("deadline_at")
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .select("order_id");
  return rows.map((r: { order_id: string }) => r.order_id);
}

/** Records whose saga it is, once the order itself is known. */
export async function recordSagaPatient(
  trx: Knex.Transaction,
  orderId: string,
  patientId: string,
): Promise<void> {
  await trx("sagas").where({ order_id: orderId }).update({ patient_id: patientId });
}
