import { defineApi, HttpProblem, parseRequest, type ServiceApi } from "@fulfillment/runtime";
import type { Knex } from "knex";
import { restock } from "../application/reservations.js";
import { inventoryAccess } from "./access.js";
import { inventoryApiDocs } from "./api-docs.js";
import { restockBody, SKU } from "./requests.js";
import { stockLevelView, stockRowView } from "./stock-view.js";

const invalidSku = () =>
  new HttpProblem(400, "INVALID_SKU", "sku must be 1 to 64 letters, digits, '.', '_' or '-'.");

export function inventoryApi(knex: Knex): ServiceApi {
  return defineApi(
    inventoryAccess,
    {
      "GET /api/inventory": async (_req, res) => {
        res.json({ items: (await knex("stock").orderBy("sku")).map(stockRowView) });
      },
      "GET /api/inventory/:sku": async (req, res) => {
        const sku = String(req.params.sku);
        if (!SKU.test(sku)) throw invalidSku();
        const row = (await knex("stock").where({ sku }).first()) as
          { sku: string; on_hand: number; reserved: number } | undefined;
        if (!row)
          throw new HttpProblem(
            404,
            "SKU_NOT_FOUND",
            `No stock record for ${sku}; add stock with POST /api/inventory/${sku}/restock.`,
          );
        res.json(stockRowView(row));
      },
      "POST /api/inventory/:sku/restock": async (req, res) => {
        const sku = String(req.params.sku);
        if (!SKU.test(sku)) throw invalidSku();
        const { quantity } = parseRequest(restockBody, req.body);
        const level = await restock(knex, sku, quantity).catch((error: unknown) => {
          // integer out of range: on hand would pass what a stock row can hold.
          if ((error as { code?: unknown }).code === "22003")
            throw new HttpProblem(
              422,
              "STOCK_LIMIT_EXCEEDED",
              `Stock of ${sku} cannot exceed 2147483647 units.`,
            );
          throw error;
        });
        res.json(stockLevelView(level));
      },
    },
    inventoryApiDocs,
  );
}
