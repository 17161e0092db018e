import { cursorParam, limitParam } from "@fulfillment/runtime";
import { z } from "zod";
import { SHIPMENT_STATUSES } from "./shipment-view.js";

/** A serviceable destination: a country (US) or a country's region (US-CA). */
export const DESTINATION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** The query of GET /api/shipments. */
export const listShipmentsQuery = z
  .object({
    status: z.enum(SHIPMENT_STATUSES).optional(),
    limit: limitParam(50, 200),
    cursor: cursorParam.optional(),
  })
  .strict();
