#!/usr/bin/env node
/**
 * Mints an access token from the local issuer's key, for curl and scripts:
 *   pnpm --silent token --role pharmacist --sub alice
 *   pnpm --silent token --role patient --sub pat-1          (patient_id defaults to the subject)
 *   pnpm --silent token --sign-in-link                      (a one-time operator link to the dashboard)
 * Prints only the token (or the link) on stdout.
 */
import { parseArgs } from "node:util";
import { mintToken } from "../mint.js";
import { DASHBOARD_SIGN_IN_PURPOSE, ROLES } from "../roles.js";
import { loadOrCreateSigningKey } from "../signing-key.js";
import { loadIdentityConfig } from "./config.js";

const USAGE = `usage: pnpm --silent token --role <${ROLES.join("|")}> [--role …] [--sub <subject>] [--patient-id <id>] [--ttl <seconds>]
       pnpm --silent token --sign-in-link`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: "string", multiple: true },
      sub: { type: "string" },
      "patient-id": { type: "string" },
      ttl: { type: "string" },
      "sign-in-link": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadIdentityConfig();
  const key = await loadOrCreateSigningKey(config.IDENTITY_DIR);
  if (values["sign-in-link"]) {
    const ticket = await mintToken(key, config.AUTH_ISSUER, {
      subject: values.sub ?? "local-operator",
      roles: ["operator"],
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: 15 * 60,
      extra: { purpose: DASHBOARD_SIGN_IN_PURPOSE },
    });
    console.log(`${config.DASHBOARD_URL}/auth/sign-in?ticket=${ticket}`);
    return 0;
  }
  const roles = (values.role ?? []).flatMap((r) => r.split(",")).map((r) => r.trim());
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `unknown role ${unknown.join(", ")}` : "give at least one --role");
    console.error(USAGE);
    return 2;
  }
  const ttl = values.ttl === undefined ? 3_600 : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1) {
    console.error(`--ttl must be a whole number of seconds, got ${values.ttl}`);
    return 2;
  }
  const subject = values.sub ?? `local-${roles[0]}`;
  const patientId = values["patient-id"] ?? (roles.includes("patient") ? subject : undefined);
  console.log(
    await mintToken(key, config.AUTH_ISSUER, {
      subject,
      roles,
      ...(patientId === undefined ? {} : { patientId }),
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: ttl,
    }),
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[token] failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(USAGE);
    process.exit(2);
  },
);
