import { cursorParam, limitParam } from "@fulfillment/runtime";
import { z } from "zod";
import { SAGA_STATUSES } from "../domain/saga-definition.js";

/** The query of GET /api/sagas. */
export const listSagasQuery = z
  .object({
    status: z.enum(SAGA_STATUSES).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: limitParam(50, 200),
    cursor: cursorParam.optional(),
  })
  .strict();
