import { pageSchema, type ApiDocs } from "@fulfillment/runtime";
import { z } from "zod";
import type { shipmentAccess } from "./access.js";
import { DESTINATION, listShipmentsQuery } from "./requests.js";
import { shipmentViewSchema } from "./shipment-view.js";

const code = z.object({
  code: z
    .string()
    .meta({ description: "A country code (US) or a country-region code (US-CA); case does not matter." }),
});
const invalidCode = `A malformed destination code (INVALID_DESTINATION): ${String(DESTINATION)}.`;

/** The shipment API's description: /openapi.json is generated from it and the access matrix. */
export const shipmentApiDocs: ApiDocs<typeof shipmentAccess> = {
  title: "Shipment service",
  description:
    "Ships each order once its address and stock reservation are known, to serviceable destinations only; logistics manages the destinations.",
  routes: {
    "GET /api/shipments": {
      summary: "List shipments, newest first",
      query: listShipmentsQuery,
      responses: { 200: { description: "One page of shipments.", schema: pageSchema(shipmentViewSchema) } },
    },
    "GET /api/shipments/:orderId": {
      summary: "An order's shipment",
      responses: { 200: { description: "The shipment.", schema: shipmentViewSchema } },
      problems: { 404: "No shipment for this order yet, or another patient's (SHIPMENT_NOT_FOUND)." },
    },
    "GET /api/destinations": {
      summary: "The serviceable destinations",
      responses: {
        200: {
          description: "Every destination code, in order.",
          schema: z.object({ items: z.array(z.string()) }).strict(),
        },
      },
    },
    "PUT /api/destinations/:code": {
      summary: "Make a destination serviceable",
      params: code,
      responses: { 204: { description: "It is serviceable (whether or not it was before)." } },
      problems: { 400: invalidCode },
    },
    "DELETE /api/destinations/:code": {
      summary: "Stop shipping to a destination",
      params: code,
      responses: { 204: { description: "It is no longer serviceable (whether or not it was)." } },
      problems: { 400: invalidCode },
    },
  },
};
