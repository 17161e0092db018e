import { z } from "zod";

/** A SKU's stock level as the API shows it. */
export const stockLevelSchema = z
  .object({
    sku: z.string(),
    onHand: z.number().int(),
    reserved: z.number().int().meta({ description: "Held for orders in progress." }),
    available: z.number().int().meta({ description: "onHand − reserved: what new orders may reserve." }),
  })
  .strict()
  .meta({ id: "StockLevel" });

export type StockLevelView = z.infer<typeof stockLevelSchema>;

export const stockLevelView = (r: { sku: string; onHand: number; reserved: number }): StockLevelView => ({
  sku: r.sku,
  onHand: r.onHand,
  reserved: r.reserved,
  available: r.onHand - r.reserved,
});

export const stockRowView = (r: { sku: string; on_hand: number; reserved: number }): StockLevelView =>
  stockLevelView({ sku: r.sku, onHand: r.on_hand, reserved: r.reserved });
