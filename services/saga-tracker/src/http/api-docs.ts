import { pageSchema, type ApiDocs } from "@fulfillment/runtime";
import type { sagaAccess } from "./access.js";
import { SESSION_COOKIE } from "./auth/sessions.js";
import { listSagasQuery } from "./requests.js";
import { sagaStatsSchema, sagaSummarySchema, sagaViewSchema } from "./saga-view.js";

/** The saga tracker's API description (its dashboard pages outside /api are not in it). */
export const sagaApiDocs: ApiDocs<typeof sagaAccess> = {
  title: "Saga tracker",
  description:
    "Follows every order's saga from its events and drives it (the next step, compensations, timeouts); answers queries about sagas.",
  sessionCookie: {
    name: SESSION_COOKIE,
    description: "The operator dashboard's session (signed in at /), taken instead of a bearer token.",
  },
  routes: {
    "GET /api/sagas/stats": {
      summary: "Saga counts, success and compensation rates, durations",
      responses: { 200: { description: "The stats of every saga.", schema: sagaStatsSchema } },
    },
    "GET /api/sagas/:orderId": {
      summary: "An order's saga: its status, history and compensations",
      responses: { 200: { description: "The saga.", schema: sagaViewSchema } },
      problems: { 404: "No saga for this order yet, or another patient's (SAGA_NOT_FOUND)." },
    },
    "GET /api/sagas": {
      summary: "List sagas, newest first, by status",
      query: listSagasQuery,
      responses: { 200: { description: "One page of sagas.", schema: pageSchema(sagaSummarySchema) } },
    },
  },
};
