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
import type { PrescriptionRow } from "../persistence/prescription-repository.js";
import { prescriptionAccess } from "./access.js";

const SKU = /^[A-Za-z0-9._-]{1,64}$/;
const formularyBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(200),
    prescriptionOnly: z.boolean(),
    maxQuantity: z.number().int("must be a whole number").min(1).max(1_000),
  })
  .strict();

const listQuery = z
  .object({
    orderId: z.string().min(1).max(100).optional(),
    patientId: z.string().min(1).max(100).optional(),
    status: z.enum(["ISSUED", "REJECTED", "CANCELLED", "VOIDED"]).optional(),
    limit: limitParam(50, 200),
    cursor: cursorParam.optional(),
  })
  .strict();

const view = (r: PrescriptionRow) => ({
  prescriptionId: r.prescription_id,
  orderId: r.order_id,
  status: r.status,
  patientId: r.patient_id,
  prescriberId: r.prescriber_id,
  items: r.items,
  reason: r.reason,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export function prescriptionApi(knex: Knex): ServiceApi {
  return defineApi(prescriptionAccess, {
    "GET /api/prescriptions": async (req, res, grant) => {
      const q = parseRequest(listQuery, req.query);
      const query = knex("prescriptions");
      grant.restrict(query, { patient: "patient_id" });
      if (q.orderId) query.where({ order_id: q.orderId });
      if (q.patientId) query.where({ patient_id: q.patientId });
      if (q.status) query.where({ status: q.status });
      const page = await keysetPage<PrescriptionRow>(query, { at: "created_at", id: "order_id" }, q);
      notePatients(res, ...page.rows.map((r) => r.patient_id));
      res.json({ items: page.rows.map(view), nextCursor: page.nextCursor });
    },

    "GET /api/prescriptions/:prescriptionId": async (req, res, grant) => {
      const prescriptionId = String(req.params.prescriptionId);
      const row = (await knex("prescriptions").where({ prescription_id: prescriptionId }).first()) as
        PrescriptionRow | undefined;
      notePatients(res, row?.patient_id);
      if (!row || !grant.allows({ patientId: row.patient_id }))
        throw new HttpProblem(
          404,
          "PRESCRIPTION_NOT_FOUND",
          `No prescription ${prescriptionId}; find an order's prescription with GET /api/prescriptions?orderId=…`,
        );
      res.json(view(row));
    },

    "GET /api/formulary": async (_req, res) => {
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
    },

    "PUT /api/formulary/:sku": async (req, res) => {
      const sku = String(req.params.sku);
      if (!SKU.test(sku))
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
    },
  });
}
