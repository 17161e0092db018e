import { z } from "zod";

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

/** The body of POST /api/orders. */
export const placeOrderRequest = z
  .object({
    orderId: text(100).optional(),
    patientId: text(100),
    prescriberId: text(100).nullable().optional(),
    items: z
      .array(
        z
          .object({
            sku: text(64),
            quantity: z.number().int("must be a whole number").min(1).max(1_000),
            unitPriceCents: z.number().int("must be a whole number").min(0),
          })
          .strict(),
      )
      .min(1, "must list at least one item")
      .max(50),
    shippingAddress: z
      .object({
        line1: text(200),
        line2: text(200).nullable().optional(),
        city: text(100),
        region: text(50).nullable().optional(),
        postalCode: text(20),
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
