import { cursorParam, limitParam } from "@fulfillment/runtime";
import { z } from "zod";
import { PRESCRIPTION_STATUSES } from "./prescription-view.js";

export const SKU = /^[A-Za-z0-9._-]{1,64}$/;

/** The body of PUT /api/formulary/:sku. */
export const formularyBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(200),
    prescriptionOnly: z.boolean(),
    maxQuantity: z.number().int("must be a whole number").min(1).max(1_000),
  })
  .strict();

/** The query of GET /api/prescriptions. */
export const listPrescriptionsQuery = z
  .object({
    orderId: z.string().min(1).max(100).optional(),
    patientId: z.string().min(1).max(100).optional(),
    status: z.enum(PRESCRIPTION_STATUSES).optional(),
    limit: limitParam(50, 200),
    cursor: cursorParam.optional(),
  })
  .strict();
