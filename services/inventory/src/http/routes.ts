import { defineApi, HttpProblem, parseRequest, type ServiceApi } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { z } from "zod";
import { restock } from "../application/reservations.js";
import { inventoryAccess } from "./access.js";

const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const restockBody = z
  .object({ quantity: z.number().int("must be a whole number").min(1).max(1_000_000) })
  .strict();

const view = (r: { sku: string; on_hand: number; reserved: number }) => ({
  sku: r.sku,
  onHand: r.on_hand,
  reserved: r.reserved,
  available: r.on_hand - r.reserved,
});

const invalidSku = () =>
  new HttpProblem(400, "INVALID_SKU", "sku must be 1 to 64 letters, digits, '.', '_' or '-'.");

export function inventoryApi(knex: Knex): ServiceApi {
  return defineApi(inventoryAccess, {
    "GET /api/inventory": async (_req, res) => {
      res.json({ items: (await knex("stock").orderBy("sku")).map(view) });
    },
    "GET /api/inventory/:sku": async (req, res) => {
      const sku = String(req.params.sku);
      if (!SKU.test(sku)) throw invalidSku();
      const row = (await knex("stock").where({ sku }).first()) as
        { sku: string; on_hand: number; reserved: number } | undefined;
      if (!row)
        throw new HttpProblem(
          404,
          "SKU_NOT_FOUND",
          `No stock record for ${sku}; add stock with POST /api/inventory/${sku}/restock.`,
        );
      res.json(view(row));
    },
    "POST /api/inventory/:sku/restock": async (req, res) => {
      const sku = String(req.params.sku);
      if (!SKU.test(sku)) throw invalidSku();
      const { quantity } = parseRequest(restockBody, req.body);
      const level = await restock(knex, sku, quantity).catch((error: unknown) => {
        // integer out of range: on hand would pass what a stock row can hold.
        if ((error as { code?: unknown }).code === "22003")
          throw new HttpProblem(
            422,
            "STOCK_LIMIT_EXCEEDED",
            `Stock of ${sku} cannot exceed 2147483647 units.`,
          );
        throw error;
      });
      res.json({ ...level, available: level.onHand - level.reserved });
    },
  });
}
