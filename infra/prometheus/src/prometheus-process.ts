import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { RULES_FILE } from "./rules.js";

/** A service Prometheus scrapes: its name (the `service` target label) and its host:port. */
export interface ScrapeTarget {
  service: string;
  address: string;
}

export interface PrometheusProcess {
  url: string;
  /** An instant query; rejects with Prometheus's error when the expression is invalid. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** The alerts pending or firing now. */
  alerts(): Promise<Array<{ labels: Record<string, string>; state: string; value: string }>>;
  /** Every metric's type and help, as Prometheus learned them from the scrapes. */
  metadata(): Promise<Record<string, Array<{ type: string; help: string }>>>;
  stop(): Promise<void>;
}

/**
 * Runs a real Prometheus (Debian's `prometheus` package) as a local process with its own config
 * and TSDB in a temporary folder: the `fulfillment` job scrapes the targets every second with a
 * bearer token if given, and the rules file is evaluated every second. `stop` ends it and removes
 * the folder.
 */
export async function startPrometheus(options: {
  port: number;
  targets: ScrapeTarget[];
  bearerToken?: string;
  rulesFile?: string;
  logFile?: string;
  binary?: string;
}): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), "fulfillment-prometheus-"));
  const tokenFile = join(dir, "token");
  if (options.bearerToken) await writeFile(tokenFile, options.bearerToken, { mode: 0o600 });
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    rule_files: [options.rulesFile ?? RULES_FILE],
    scrape_configs: [
      {
        job_name: "fulfillment",
        // The services label their own series with `service`: keep it as they say it.
        honor_labels: true,
        ...(options.bearerToken ? { authorization: { type: "Bearer", credentials_file: tokenFile } } : {}),
        static_configs: options.targets.map((t) => ({
          targets: [t.address],
          labels: { service: t.service },
        })),
      },
    ],
  };
  await writeFile(join(dir, "prometheus.yml"), stringify(config));
  const binary = options.binary ?? "prometheus";
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = options.logFile ? createWriteStream(options.logFile, { flags: "a" }) : undefined;
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      log?.write(chunk);
    });
  const exited = new Promise<void>((done) => child.once("close", () => done()));
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (error) =>
      reject(
        new Error(
          `could not run ${binary} (${error.message}): install Debian's prometheus package (apt-get install -y prometheus)`,
        ),
      ),
    );
    child.once("exit", (code) =>
      reject(new Error(`prometheus exited with code ${code} before it was ready: ${output.join("")}`)),
    );
  });
  failed.catch(() => undefined);
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      await exited;
    }
    log?.end();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([failed, waitUntilReady(url)]);
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success")
      throw new Error(`Prometheus refused ${path}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) =>
      (
        await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
          `/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    alerts: async () =>
      (
        await api<{ alerts: Array<{ labels: Record<string, string>; state: string; value: string }> }>(
          "/api/v1/alerts",
        )
      ).alerts,
    metadata: () => api("/api/v1/metadata"),
    stop,
  };
}

async function waitUntilReady(url: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Prometheus at ${url} was not ready within ${timeoutMs} ms`);
}
