import {
  cursorParam,
  defineApi,
  keysetPage,
  HttpProblem,
  limitParam,
  notePatients,
  parseRequest,
  type ServiceApi,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import { z } from "zod";
import { shipmentAccess } from "./access.js";

const DESTINATION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const listQuery = z
  .object({
    status: z
      .enum(["AWAITING_ADDRESS", "AWAITING_RESERVATION", "INITIATED", "FAILED", "CANCELLED"])
      .optional(),
    limit: limitParam(50, 200),
    cursor: cursorParam.optional(),
  })
  .strict();

interface Row {
  order_id: string;
  patient_id: string | null;
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

const destinationCode = (raw: string) => {
  const code = raw.toUpperCase();
  if (!DESTINATION.test(code))
    throw new HttpProblem(
      400,
      "INVALID_DESTINATION",
      "A destination is a country code (US) or a country-region code (US-CA).",
    );
  return code;
};

export function shipmentApi(knex: Knex): ServiceApi {
  return defineApi(shipmentAccess, {
    "GET /api/shipments": async (req, res, grant) => {
      const { status, limit, cursor } = parseRequest(listQuery, req.query);
      const query = knex("shipments");
      grant.restrict(query, { patient: "patient_id" });
      if (status) query.where({ status });
      const page = await keysetPage<Row>(query, { at: "created_at", id: "order_id" }, { limit, cursor });
      notePatients(res, ...page.rows.map((r) => r.patient_id));
      res.json({ items: page.rows.map(view), nextCursor: page.nextCursor });
    },
    "GET /api/shipments/:orderId": async (req, res, grant) => {
      const orderId = String(req.params.orderId);
      const row = (await knex("shipments").where({ order_id: orderId }).first()) as Row | undefined;
      notePatients(res, row?.patient_id);
      if (!row || !grant.allows({ patientId: row.patient_id }))
        throw new HttpProblem(
          404,
          "SHIPMENT_NOT_FOUND",
          `No shipment for order ${orderId} yet; it appears once the order reaches this service.`,
        );
      res.json(view(row));
    },
    "GET /api/destinations": async (_req, res) => {
      res.json({ items: await knex("serviceable_destinations").orderBy("code").pluck("code") });
    },
    "PUT /api/destinations/:code": async (req, res) => {
      const code = destinationCode(String(req.params.code));
      await knex("serviceable_destinations").insert({ code }).onConflict("code").ignore();
      res.status(204).end();
    },
    "DELETE /api/destinations/:code": async (req, res) => {
      const code = destinationCode(String(req.params.code));
      await knex("serviceable_destinations").where({ code }).delete();
      res.status(204).end();
    },
  });
}
