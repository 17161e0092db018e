import {
  defineApi,
  keysetPage,
  HttpProblem,
  notePatients,
  parseRequest,
  type ServiceApi,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import type { PrescriptionRow } from "../persistence/prescription-repository.js";
import { prescriptionAccess } from "./access.js";
import { prescriptionApiDocs } from "./api-docs.js";
import { formularyEntryView, prescriptionView, type FormularyEntryView } from "./prescription-view.js";
import { formularyBody, listPrescriptionsQuery, SKU } from "./requests.js";

export function prescriptionApi(knex: Knex): ServiceApi {
  return defineApi(
    prescriptionAccess,
    {
      "GET /api/prescriptions": async (req, res, grant) => {
        const q = parseRequest(listPrescriptionsQuery, req.query);
        const query = knex("prescriptions");
        grant.restrict(query, { patient: "patient_id" });
        if (q.orderId) query.where({ order_id: q.orderId });
        if (q.patientId) query.where({ patient_id: q.patientId });
        if (q.status) query.where({ status: q.status });
        const page = await keysetPage<PrescriptionRow>(query, { at: "created_at", id: "order_id" }, q);
        notePatients(res, ...page.rows.map((r) => r.patient_id));
        res.json({ items: page.rows.map(prescriptionView), nextCursor: page.nextCursor });
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
        res.json(prescriptionView(row));
      },

      "GET /api/formulary": async (_req, res) => {
        const rows = await knex("formulary").orderBy("sku");
        res.json({ items: rows.map(formularyEntryView) });
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
        res.json({ sku, ...body } satisfies FormularyEntryView);
      },
    },
    prescriptionApiDocs,
  );
}
