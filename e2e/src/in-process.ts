/** Pieces for tests that need one real API or a real browser, not the whole system. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { prescriptionApi } from "@fulfillment/prescription/web";
import {
  createMetricsRegistry,
  createServiceApp,
  listen,
  securityConfigShape,
  TokenVerifier,
} from "@fulfillment/runtime";
import type { Knex } from "knex";
import { pino } from "pino";
import { chromium, type Browser } from "playwright-core";
import { z } from "zod";

/** The prescription API served in this process on a free port, over `knex`, trusting tokens of `issuerUrl`. */
export async function servePrescriptionApi(
  knex: Knex,
  issuerUrl: string,
): Promise<{ server: Server; port: number; base: string }> {
  const config = z.object(securityConfigShape).parse({ AUTH_ISSUER: issuerUrl });
  const app = createServiceApp({
    logger: pino({ level: "silent" }),
    metrics: createMetricsRegistry("prescription"),
    readiness: {},
    knex,
    security: config,
    verifier: new TokenVerifier(config),
    api: prescriptionApi(knex),
  });
  const server = await listen(app, 0);
  const { port } = server.address() as AddressInfo;
  return { server, port, base: `http://127.0.0.1:${port}` };
}

/** Debian's Chromium, headless; never a downloaded browser. The flags keep it off the network. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}
