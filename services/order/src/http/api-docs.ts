import { pageSchema, type ApiDocs } from "@fulfillment/runtime";
import { z } from "zod";
import type { orderAccess } from "./access.js";
import { orderViewSchema, placedOrderSchema } from "./order-view.js";
import { idempotencyKey, listOrdersQuery, placeOrderRequest } from "./place-order-request.js";

const notFound = "No such order, or another patient's or client's (ORDER_NOT_FOUND).";

/** The order API's description: /openapi.json is generated from it and the access matrix. */
export const orderApiDocs: ApiDocs<typeof orderAccess> = {
  title: "Order service",
  description:
    "Places pharmacy orders (each starts a saga) and shows them. Follow an order by polling it or its saga (links.saga).",
  routes: {
    "POST /api/orders": {
      summary: "Place an order",
      description:
        "Accepts the order and starts its saga (202). Send an Idempotency-Key to retry safely: the same key with the same body answers the same order (`replayed: true`) and places nothing new.",
      headers: z.object({
        "Idempotency-Key": idempotencyKey
          .optional()
          .meta({ description: "1 to 200 characters, unique per order the caller means to place." }),
      }),
      body: placeOrderRequest,
      responses: {
        202: {
          description: "Accepted: the saga runs; follow it at links.saga.",
          schema: placedOrderSchema,
          headers: { Location: { description: "The order's URL on this service." } },
        },
      },
      problems: {
        400: "An invalid Idempotency-Key (INVALID_IDEMPOTENCY_KEY).",
        409: "An order with this orderId exists (ORDER_EXISTS): place it under a new orderId.",
        422: "This Idempotency-Key was used for a different body (IDEMPOTENCY_KEY_REUSED).",
      },
    },
    "GET /api/orders": {
      summary: "List orders, newest first",
      query: listOrdersQuery,
      responses: { 200: { description: "One page of orders.", schema: pageSchema(orderViewSchema) } },
    },
    "GET /api/orders/:orderId": {
      summary: "One order",
      responses: { 200: { description: "The order.", schema: orderViewSchema } },
      problems: { 404: notFound },
    },
  },
};
