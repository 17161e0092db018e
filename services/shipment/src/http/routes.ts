import { HttpProblem, parseRequest } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import { z } from "zod";

const DESTINATION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const listQuery = z.object({
  status: z.enum(["AWAITING_ADDRESS", "AWAITING_RESERVATION", "INITIATED", "FAILED", "CANCELLED"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

interface Row {
  order_id: string;
  status: string;
  shipment_id: string | null;
  tracking_number: string | null;
  carrier: string | null;
  reason: string | null;
  address: { country: string; region: string | null } | null;
  created_at: Date;
  updated_at: Date;
}

const view = (r: Row) => ({
  orderId: r.order_id,
  status: r.status,
  shipmentId: r.shipment_id,
  trackingNumber: r.tracking_number,
  carrier: r.carrier,
  destinationCountry: r.address?.country ?? null,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function shipmentRoutes(knex: Knex): (app: Express) => void {
  return (app) => {
    app.get("/api/shipments", async (req, res) => {
      const { status, limit } = parseRequest(listQuery, req.query);
      const query = knex("shipments").orderBy("created_at", "desc").limit(limit);
      if (status) query.where({ status });
      res.json({ items: ((await query) as Row[]).map(view) });
    });
    app.get("/api/shipments/:orderId", async (req, res) => {
      const row = (await knex("shipments").where({ order_id: req.params.orderId }).first()) as
        Row | undefined;
      if (!row)
        throw new HttpProblem(
          404,
          "SHIPMENT_NOT_FOUND",
          `No shipment for order ${req.params.orderId} yet; it appears once the order reaches this service.`,
        );
      res.json(view(row));
    });
    app.get("/api/destinations", async (_req, res) => {
      res.json({ items: await knex("serviceable_destinations").orderBy("code").pluck("code") });
    });
    app.put("/api/destinations/:code", async (req, res) => {
      const code = req.params.code.toUpperCase();
      if (!DESTINATION.test(code))
        throw new HttpProblem(
          400,
          "INVALID_DESTINATION",
          "A destination is a country code (US) or a country-region code (US-CA).",
        );
      await knex("serviceable_destinations").insert({ code }).onConflict("code").ignore();
      res.status(204).end();
    });
    app.delete("/api/destinations/:code", async (req, res) => {
      await knex("serviceable_destinations").where({ code: req.params.code.toUpperCase() }).delete();
      res.status(204).end();
    });
  };
}
