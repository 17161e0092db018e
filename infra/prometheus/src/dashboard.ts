import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { REPO_ROOT } from "./rules.js";

export const GRAFANA_DIR = join(REPO_ROOT, "infra", "grafana");
export const DASHBOARD_FILE = join(GRAFANA_DIR, "dashboards", "fulfillment.json");

const panel = z.object({
  title: z.string(),
  type: z.string(),
  targets: z.array(z.object({ expr: z.string(), refId: z.string() }).loose()).optional(),
});
const dashboard = z.object({ uid: z.string(), title: z.string(), panels: z.array(panel.loose()) }).loose();

/** Every query of the dashboard, with the title of its panel. */
export function dashboardQueries(file = DASHBOARD_FILE): Array<{ panel: string; expr: string }> {
  const parsed = dashboard.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${file} is not a Grafana dashboard this repo understands: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}
