import {
  defineApi,
  keysetPage,
  HttpProblem,
  notePatients,
  parseRequest,
  type ServiceApi,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import { shipmentAccess } from "./access.js";
import { shipmentApiDocs } from "./api-docs.js";
import { DESTINATION, listShipmentsQuery } from "./requests.js";
import { shipmentView, type ShipmentRow } from "./shipment-view.js";

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
  return defineApi(
    shipmentAccess,
    {
      "GET /api/shipments": async (req, res, grant) => {
        const { status, limit, cursor } = parseRequest(listShipmentsQuery, req.query);
        const query = knex("shipments");
        grant.restrict(query, { patient: "patient_id" });
        if (status) query.where({ status });
        const page = await keysetPage<ShipmentRow>(
          query,
          { at: "created_at", id: "order_id" },
          { limit, cursor },
        );
        notePatients(res, ...page.rows.map((r) => r.patient_id));
        res.json({ items: page.rows.map(shipmentView), nextCursor: page.nextCursor });
      },
      "GET /api/shipments/:orderId": async (req, res, grant) => {
        const orderId = String(req.params.orderId);
        const row = (await knex("shipments").where({ order_id: orderId }).first()) as ShipmentRow | undefined;
        notePatients(res, row?.patient_id);
        if (!row || !grant.allows({ patientId: row.patient_id }))
          throw new HttpProblem(
            404,
            "SHIPMENT_NOT_FOUND",
            `No shipment for order ${orderId} yet; it appears once the order reaches this service.`,
          );
        res.json(shipmentView(row));
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
    },
    shipmentApiDocs,
  );
}
