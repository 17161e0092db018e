export {
  loadRules,
  runbookUrlOf,
  withoutThreshold,
  RULES_FILE,
  RULES_TEST_FILE,
  type AlertRule,
  type RecordingRule,
} from "./rules.js";
export { dashboardQueries, DASHBOARD_FILE, GRAFANA_DIR } from "./dashboard.js";
export { documentedMetrics, runbookHeadings, type DocumentedMetric } from "./docs.js";
export { startPrometheus, type PrometheusProcess, type ScrapeTarget } from "./prometheus-process.js";
