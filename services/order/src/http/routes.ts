import { createHash } from "node:crypto";
import type { OrderCreated } from "@fulfillment/contracts";
import { HttpProblem, parseRequest } from "@fulfillment/runtime";
import type { Express } from "express";
import type { Knex } from "knex";
import { z } from "zod";
import { handleOrderCommand, type OrderDeps } from "../application/order-commands.js";
import type { OrderRow } from "../persistence/order-repository.js";
import { placeOrderRequest, type PlaceOrderRequest } from "./place-order-request.js";

const listQuery = z.object({
  patientId: z.string().min(1, "is required"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
});

export function orderRoutes(knex: Knex, deps: OrderDeps, sagaTrackerUrl: string): (app: Express) => void {
  const links = (orderId: string) => ({
    order: `/api/orders/${encodeURIComponent(orderId)}`,
    saga: `${sagaTrackerUrl}/api/sagas/${encodeURIComponent(orderId)}`,
  });
  const view = (row: OrderRow) => ({
    orderId: row.order_id,
    status: row.status,
    fulfilmentStatus: row.saga_status,
    patientId: row.patient_id,
    prescriberId: row.details?.prescriberId ?? null,
    items: row.details?.items ?? [],
    shippingAddress: row.details?.shippingAddress ?? null,
    currency: row.details?.currency ?? null,
    cancelReason: row.cancel_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    links: links(row.order_id),
  });

  return (app) => {
    app.post("/api/orders", async (req, res) => {
      const body = parseRequest(placeOrderRequest, req.body);
      const key = req.header("Idempotency-Key");
      if (key !== undefined && (key.length === 0 || key.length > 200)) {
        throw new HttpProblem(400, "INVALID_IDEMPOTENCY_KEY", "Idempotency-Key must be 1 to 200 characters.");
      }
      const orderId = body.orderId ?? deps.newId();
      const outcome = await knex.transaction(async (trx) => {
        if (key) {
          const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex");
          const now = deps.now();
          const inserted = await trx("idempotency_keys")
            .insert({ key, request_hash: hash, order_id: orderId, created_at: now })
            .onConflict("key")
            .ignore()
            .returning("key");
          if (inserted.length === 0) {
            const existing = (await trx("idempotency_keys").where({ key }).first()) as {
              request_hash: string;
              order_id: string;
            };
            if (existing.request_hash !== hash) {
              throw new HttpProblem(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                `Idempotency-Key ${key} was used for a different request; use a new key for a new order.`,
              );
            }
            return { orderId: existing.order_id, replayed: true };
          }
        }
        const decision = await handleOrderCommand(
          trx,
          orderId,
          { type: "PlaceOrder", order: toOrderCreated(orderId, body, deps), publish: true },
          deps,
        );
        if (!decision.publish)
          throw new HttpProblem(
            409,
            "ORDER_EXISTS",
            `Order ${orderId} already exists; GET ${links(orderId).order}.`,
          );
        return { orderId, replayed: false };
      });
      res
        .status(202)
        .location(links(outcome.orderId).order)
        .json({
          orderId: outcome.orderId,
          status: "PLACED",
          replayed: outcome.replayed,
          links: links(outcome.orderId),
        });
    });

    app.get("/api/orders/:orderId", async (req, res) => {
      const row = (await knex("orders").where({ order_id: req.params.orderId }).first()) as
        OrderRow | undefined;
      if (!row || !row.details)
        throw new HttpProblem(
          404,
          "ORDER_NOT_FOUND",
          `No order ${req.params.orderId}. Check the id returned by POST /api/orders.`,
        );
      res.json(view(row));
    });

    app.get("/api/orders", async (req, res) => {
      const { patientId, limit, cursor } = parseRequest(listQuery, req.query);
      const query = knex("orders")
        .where({ patient_id: patientId })
        .orderBy([
          { column: "created_at", order: "desc" },
          { column: "order_id", order: "desc" },
        ])
        .limit(limit + 1);
      if (cursor) {
        const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
        if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) {
          throw new HttpProblem(
            400,
            "INVALID_CURSOR",
            "cursor is not one this API returned; use nextCursor from the previous page.",
          );
        }
        query.whereRaw("(created_at, order_id) < (?, ?)", [new Date(createdAt), id]);
      }
      const rows = (await query) as OrderRow[];
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      res.json({
        items: page.map(view),
        nextCursor:
          rows.length > limit && last
            ? Buffer.from(`${last.created_at.toISOString()}|${last.order_id}`).toString("base64url")
            : null,
      });
    });
  };
}

function toOrderCreated(orderId: string, body: PlaceOrderRequest, deps: OrderDeps): OrderCreated {
  return {
    eventId: deps.newId(),
    occurredAt: deps.now().getTime(),
    orderId,
    patientId: body.patientId,
    prescriberId: body.prescriberId ?? null,
    items: body.items,
    shippingAddress: {
      ...body.shippingAddress,
      line2: body.shippingAddress.line2 ?? null,
      region: body.shippingAddress.region ?? null,
    },
    currency: body.currency,
  };
}
