/**
 * docker-compose.yml's monitoring profile, read as Docker would: every file it mounts into
 * Prometheus and Grafana exists in the repo, Prometheus's config reads the rules file mounted
 * beside it, and every service of the system is scraped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROMETHEUS_DIR, REPO_ROOT } from "./rules.js";

const compose = parse(readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8")) as {
  services: Record<string, { volumes?: string[]; profiles?: string[] }>;
};

describe("docker-compose's monitoring profile", () => {
  it("mounts only files of the repo into prometheus and grafana", () => {
    const mounts = ["prometheus", "grafana"].flatMap((name) => {
      const service = compose.services[name];
      expect(service?.profiles, name).toEqual(["monitoring"]);
      return (service?.volumes ?? []).filter((v) => v.startsWith("./")).map((v) => v.split(":")[0]!);
    });
    expect(mounts.length).toBeGreaterThanOrEqual(4);
    expect(mounts.filter((path) => !existsSync(join(REPO_ROOT, path)))).toEqual([]);
  });

  it("scrapes the five services on the ports the README gives them", () => {
    const config = parse(readFileSync(join(PROMETHEUS_DIR, "prometheus.yml"), "utf8")) as {
      scrape_configs: Array<{
        job_name: string;
        honor_labels?: boolean;
        static_configs: Array<{ targets: string[]; labels: { service: string } }>;
      }>;
    };
    const job = config.scrape_configs.find((c) => c.job_name === "fulfillment");
    expect(job?.honor_labels).toBe(true);
    expect(
      Object.fromEntries(
        (job?.static_configs ?? []).map((s) => [s.labels.service, s.targets[0]?.split(":")[1]]),
      ),
    ).toEqual({
      order: "3001",
      prescription: "3002",
      inventory: "3003",
      shipment: "3004",
      "saga-tracker": "3005",
    });
  });
});
