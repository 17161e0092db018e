import { z } from "zod";

export const SKU = /^[A-Za-z0-9._-]{1,64}$/;

/** The body of POST /api/inventory/:sku/restock. */
export const restockBody = z
  .object({ quantity: z.number().int("must be a whole number").min(1).max(1_000_000) })
  .strict();
