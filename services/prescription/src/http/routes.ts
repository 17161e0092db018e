import { HttpProblem, parseRequest } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import type { PrescriptionRow } from "../persistence/prescription-repository.js";

const formularyBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(200),
    prescriptionOnly: z.boolean(),
    maxQuantity: z.number().int("must be a whole number").min(1).max(1_000),
  })
  .strict();

const view = (r: PrescriptionRow) => ({
  prescriptionId: r.prescription_id,
  orderId: r.order_id,
  status: r.status,
  prescriberId: r.prescriber_id,
  items: r.items,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function prescriptionRoutes(knex: Knex): (app: Express) => void {
  return (app) => {
    app.get("/api/prescriptions", async (req, res) => {
      const { orderId } = parseRequest(z.object({ orderId: z.string().min(1, "is required") }), req.query);
      const row = (await knex("prescriptions").where({ order_id: orderId }).first()) as
        PrescriptionRow | undefined;
      res.json({ items: row ? [view(row)] : [] });
    });
    app.get("/api/prescriptions/:prescriptionId", async (req, res) => {
      const row = (await knex("prescriptions")
        .where({ prescription_id: req.params.prescriptionId })
        .first()) as PrescriptionRow | undefined;
      if (!row)
        throw new HttpProblem(
          404,
          "PRESCRIPTION_NOT_FOUND",
          `No prescription ${req.params.prescriptionId}; find an order's prescription with GET /api/prescriptions?orderId=…`,
        );
      res.json(view(row));
    });
    app.get("/api/formulary", async (_req, res) => {
      const rows = await knex("formulary").orderBy("sku");
      res.json({
        items: rows.map(
          (r: { sku: string; name: string; prescription_only: boolean; max_quantity: number }) => ({
            sku: r.sku,
            name: r.name,
            prescriptionOnly: r.prescription_only,
            maxQuantity: r.max_quantity,
          }),
        ),
      });
    });
    app.put("/api/formulary/:sku", async (req, res) => {
      const sku = req.params.sku;
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(sku))
        throw new HttpProblem(400, "INVALID_SKU", "sku must be 1 to 64 letters, digits, '.', '_' or '-'.");
      const body = parseRequest(formularyBody, req.body);
      const values = {
        name: body.name,
        prescription_only: body.prescriptionOnly,
        max_quantity: body.maxQuantity,
        updated_at: new Date(),
      };
      await knex("formulary")
        .insert({ sku, ...values })
        .onConflict("sku")
        .merge(values);
      res.json({ sku, ...body });
    });
  };
}
