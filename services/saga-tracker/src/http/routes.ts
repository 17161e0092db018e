import {
  defineApi,
  keysetPage,
  HttpProblem,
  notePatients,
  parseRequest,
  type ServiceApi,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import { loadFacts, type SagaRow } from "../persistence/saga-repository.js";
import { sagaStats } from "../persistence/saga-stats.js";
import { sagaAccess } from "./access.js";
import { sagaApiDocs } from "./api-docs.js";
import { listSagasQuery } from "./requests.js";
import { sagaSummaryView, sagaView } from "./saga-view.js";

export function sagaApi(knex: Knex): ServiceApi {
  return defineApi(
    sagaAccess,
    {
      "GET /api/sagas/stats": async (_req, res) => {
        res.json(await sagaStats(knex));
      },

      "GET /api/sagas/:orderId": async (req, res, grant) => {
        const orderId = String(req.params.orderId);
        const row = (await knex("sagas").where({ order_id: orderId }).first()) as SagaRow | undefined;
        notePatients(res, row?.patient_id);
        if (!row || !grant.allows({ patientId: row.patient_id }))
          throw new HttpProblem(
            404,
            "SAGA_NOT_FOUND",
            `No saga for order ${orderId} yet; it appears once the order's first event is consumed.`,
          );
        res.json(sagaView(row, await loadFacts(knex, row.order_id)));
      },

      "GET /api/sagas": async (req, res, grant) => {
        const { status, since, limit, cursor } = parseRequest(listSagasQuery, req.query);
        const query = knex("sagas");
        grant.restrict(query, { patient: "patient_id" });
        if (status) query.where({ status });
        if (since) query.where("started_at", ">=", new Date(since));
        const page = await keysetPage<SagaRow>(
          query,
          { at: "started_at", id: "order_id" },
          { limit, cursor },
        );
        notePatients(res, ...page.rows.map((r) => r.patient_id));
        res.json({
          items: page.rows.map(sagaSummaryView),
          nextCursor: page.nextCursor,
        });
      },
    },
    sagaApiDocs,
  );
}
