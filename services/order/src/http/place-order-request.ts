import { orderLimits as limits } from "@fulfillment/contracts";
import { cursorParam, limitParam } from "@fulfillment/runtime";
import { z } from "zod";

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

/** The body of POST /api/orders: the sizes are OrderCreated's, so what the API takes every consumer takes. */
export const placeOrderRequest = z
  .object({
    orderId: text(limits.idLength).optional(),
    patientId: text(limits.idLength),
    prescriberId: text(limits.idLength).nullable().optional(),
    items: z
      .array(
        z
          .object({
            sku: text(limits.skuLength),
            quantity: z
              .number()
              .int("must be a whole number")
              .min(limits.quantity.min)
              .max(limits.quantity.max),
            unitPriceCents: z.number().int("must be a whole number").min(0),
          })
          .strict(),
      )
      .min(limits.items.min, "must list at least one item")
      .max(limits.items.max),
    shippingAddress: z
      .object({
        line1: text(limits.addressLineLength),
        line2: text(limits.addressLineLength).nullable().optional(),
        city: text(limits.cityLength),
        region: text(limits.regionLength).nullable().optional(),
        postalCode: text(limits.postalCodeLength),
        country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as US"),
      })
      .strict(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD")
      .default("USD"),
  })
  .strict();

export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

/** The query of GET /api/orders. */
export const listOrdersQuery = z
  .object({
    patientId: z.string().min(1).max(100).optional(),
    limit: limitParam(20, 100),
    cursor: cursorParam.optional(),
  })
  .strict();

/** The Idempotency-Key header of POST /api/orders. */
export const idempotencyKey = z.string().min(1).max(200);
