import { HttpProblem, parseRequest } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { restock } from "../application/reservations.js";

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

export function inventoryRoutes(knex: Knex): (app: Express) => void {
  return (app) => {
    app.get("/api/inventory", async (_req, res) => {
      res.json({ items: (await knex("stock").orderBy("sku")).map(view) });
    });
    app.get("/api/inventory/:sku", async (req, res) => {
      const row = (await knex("stock").where({ sku: req.params.sku }).first()) as
        { sku: string; on_hand: number; reserved: number } | undefined;
      if (!row)
        throw new HttpProblem(
          404,
          "SKU_NOT_FOUND",
          `No stock record for ${req.params.sku}; add stock with POST /api/inventory/${req.params.sku}/restock.`,
        );
      res.json(view(row));
    });
    app.post("/api/inventory/:sku/restock", async (req, res) => {
      if (!SKU.test(req.params.sku))
        throw new HttpProblem(400, "INVALID_SKU", "sku must be 1 to 64 letters, digits, '.', '_' or '-'.");
      const { quantity } = parseRequest(restockBody, req.body);
      const level = await restock(knex, req.params.sku, quantity);
      res.json({ ...level, available: level.onHand - level.reserved });
    });
  };
}
