import type { Knex } from "knex";

export type KeyClaim = { claimed: true } | { claimed: false; orderId: string; sameRequest: boolean };

/**
 * Claims an Idempotency-Key for one caller inside the order's transaction. A key already used by
 * that caller answers with the order it created and whether the request was the same; two
 * concurrent requests with one key serialise on the key's row.
 */
export async function claimIdempotencyKey(
  trx: Knex.Transaction,
  claim: { owner: string; key: string; requestHash: string; orderId: string; now: Date },
): Promise<KeyClaim> {
  const inserted = await trx("idempotency_keys")
    .insert({
      owner: claim.owner,
      key: claim.key,
      request_hash: claim.requestHash,
      order_id: claim.orderId,
      created_at: claim.now,
    })
    .onConflict(["owner", "key"])
    .ignore()
    .returning("key");
  if (inserted.length > 0) return { claimed: true };
  const existing = (await trx("idempotency_keys").where({ owner: claim.owner, key: claim.key }).first()) as {
    request_hash: string;
    order_id: string;
  };
  return {
    claimed: false,
    orderId: existing.order_id,
    sameRequest: existing.request_hash === claim.requestHash,
  };
}
