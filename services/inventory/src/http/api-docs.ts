import type { ApiDocs } from "@fulfillment/runtime";
import { z } from "zod";
import type { inventoryAccess } from "./access.js";
import { restockBody, SKU } from "./requests.js";
import { stockLevelSchema } from "./stock-view.js";

const sku = z.object({ sku: z.string().regex(SKU) });
const invalidSku = "A malformed SKU (INVALID_SKU): 1 to 64 letters, digits, '.', '_' or '-'.";

/** The inventory API's description: /openapi.json is generated from it and the access matrix. */
export const inventoryApiDocs: ApiDocs<typeof inventoryAccess> = {
  title: "Inventory service",
  description: "Reserves stock for each order's saga and releases it on compensation; managers restock.",
  routes: {
    "GET /api/inventory": {
      summary: "Every SKU's stock level",
      responses: {
        200: {
          description: "Stock levels by SKU.",
          schema: z.object({ items: z.array(stockLevelSchema) }).strict(),
        },
      },
    },
    "GET /api/inventory/:sku": {
      summary: "One SKU's stock level",
      params: sku,
      responses: { 200: { description: "The stock level.", schema: stockLevelSchema } },
      problems: { 400: invalidSku, 404: "No stock record for this SKU (SKU_NOT_FOUND): restock it first." },
    },
    "POST /api/inventory/:sku/restock": {
      summary: "Add stock",
      params: sku,
      body: restockBody,
      responses: { 200: { description: "The stock level after the restock.", schema: stockLevelSchema } },
      problems: {
        400: invalidSku,
        422: "On hand would pass 2147483647 units (STOCK_LIMIT_EXCEEDED).",
      },
    },
  },
};
