import { pageSchema, type ApiDocs } from "@fulfillment/runtime";
import { z } from "zod";
import type { prescriptionAccess } from "./access.js";
import { formularyEntrySchema, prescriptionViewSchema } from "./prescription-view.js";
import { formularyBody, listPrescriptionsQuery, SKU } from "./requests.js";

const sku = z.object({ sku: z.string().regex(SKU) });

/** The prescription API's description: /openapi.json is generated from it and the access matrix. */
export const prescriptionApiDocs: ApiDocs<typeof prescriptionAccess> = {
  title: "Prescription service",
  description:
    "Checks each order's items against the formulary and issues (or rejects) its prescription; pharmacists manage the formulary.",
  routes: {
    "GET /api/prescriptions": {
      summary: "List prescriptions, newest first",
      query: listPrescriptionsQuery,
      responses: {
        200: { description: "One page of prescriptions.", schema: pageSchema(prescriptionViewSchema) },
      },
    },
    "GET /api/prescriptions/:prescriptionId": {
      summary: "One prescription",
      responses: { 200: { description: "The prescription.", schema: prescriptionViewSchema } },
      problems: { 404: "No such prescription, or another patient's (PRESCRIPTION_NOT_FOUND)." },
    },
    "GET /api/formulary": {
      summary: "The formulary, by SKU",
      responses: {
        200: {
          description: "Every drug on the formulary.",
          schema: z.object({ items: z.array(formularyEntrySchema) }).strict(),
        },
      },
    },
    "PUT /api/formulary/:sku": {
      summary: "Add a drug to the formulary, or change its rules",
      params: sku,
      body: formularyBody,
      responses: { 200: { description: "The drug as it now is.", schema: formularyEntrySchema } },
      problems: { 400: "A malformed SKU (INVALID_SKU): 1 to 64 letters, digits, '.', '_' or '-'." },
    },
  },
};
