import { createHash } from "node:crypto";
import type { OrderCreated } from "@fulfillment/contracts";
import {
  defineApi,
  keysetPage,
  HttpProblem,
  notePatients,
  parseRequest,
  type ServiceApi,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import { handleOrderCommand, type OrderDeps } from "../application/order-commands.js";
import { claimIdempotencyKey } from "../persistence/idempotency-keys.js";
import { findOrder, recordPlacedBy, type OrderRow } from "../persistence/order-repository.js";
import { orderAccess } from "./access.js";
import { orderApiDocs } from "./api-docs.js";
import { orderLinks, orderView, type PlacedOrderView } from "./order-view.js";
import {
  idempotencyKey,
  listOrdersQuery,
  placeOrderRequest,
  type PlaceOrderRequest,
} from "./place-order-request.js";

export function orderApi(knex: Knex, deps: OrderDeps, sagaTrackerUrl: string): ServiceApi {
  const links = (orderId: string) => orderLinks(orderId, sagaTrackerUrl);
  const notFound = (orderId: string) =>
    new HttpProblem(
      404,
      "ORDER_NOT_FOUND",
      `No order ${orderId}. Check the id returned by POST /api/orders.`,
    );

  return defineApi(
    orderAccess,
    {
      "POST /api/orders": async (req, res, grant) => {
        const body = parseRequest(placeOrderRequest, req.body);
        if (!grant.allows({ patientId: body.patientId })) {
          throw new HttpProblem(
            403,
            "FORBIDDEN",
            "A patient may place orders only for themselves: set patientId to your own id.",
          );
        }
        notePatients(res, body.patientId);
        const key = req.header("Idempotency-Key");
        if (key !== undefined && !idempotencyKey.safeParse(key).success) {
          throw new HttpProblem(
            400,
            "INVALID_IDEMPOTENCY_KEY",
            "Idempotency-Key must be 1 to 200 characters.",
          );
        }
        const caller = grant.principal.subject;
        const orderId = body.orderId ?? deps.newId();
        const outcome = await knex.transaction(async (trx) => {
          if (key) {
            const claim = await claimIdempotencyKey(trx, {
              owner: caller,
              key,
              requestHash: createHash("sha256").update(JSON.stringify(body)).digest("hex"),
              orderId,
              now: deps.now(),
            });
            if (!claim.claimed && !claim.sameRequest) {
              throw new HttpProblem(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used for a different request; use a new key for a new order.",
              );
            }
            if (!claim.claimed) return { orderId: claim.orderId, replayed: true };
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
              `Order ${orderId} already exists; place it under a new orderId.`,
            );
          await recordPlacedBy(trx, orderId, caller);
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
          } satisfies PlacedOrderView);
      },

      "GET /api/orders/:orderId": async (req, res, grant) => {
        const orderId = String(req.params.orderId);
        const row = await findOrder(knex, orderId);
        notePatients(res, row?.patient_id);
        // Another patient's order answers exactly like a missing one.
        if (!row?.details || !grant.allows({ patientId: row.patient_id, clientId: row.placed_by }))
          throw notFound(orderId);
        res.json(orderView(row, sagaTrackerUrl));
      },

      "GET /api/orders": async (req, res, grant) => {
        const { patientId, limit, cursor } = parseRequest(listOrdersQuery, req.query);
        const query = knex("orders").whereNotNull("details");
        grant.restrict(query, { patient: "patient_id", client: "placed_by" });
        if (patientId) query.where({ patient_id: patientId });
        const page = await keysetPage<OrderRow>(
          query,
          { at: "created_at", id: "order_id" },
          { limit, cursor },
        );
        notePatients(res, ...page.rows.map((r) => r.patient_id));
        res.json({
          items: page.rows.map((row) => orderView(row, sagaTrackerUrl)),
          nextCursor: page.nextCursor,
        });
      },
    },
    orderApiDocs,
  );
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
