import { readFile } from "node:fs/promises";
import type { DetachedCommand } from "./process/detached.js";
import { isOwnedProcess, spawnDetached, terminate } from "./process/detached.js";
import { elapsed, isPortOpen, waitUntil } from "./process/probe.js";
import type { ServerName } from "./state.js";
import { readState, recordServer } from "./state.js";

/** A port a server needs, and the variable that moves it elsewhere. */
export interface RequiredPort {
  readonly port: number;
  readonly variable: string;
}

/** One server infra/local can start and stop as a detached local process. */
export interface ManagedServer {
  readonly name: ServerName;
  readonly host: string;
  /** Where clients reach it, for progress lines and infra.json. */
  readonly endpoint: string;
  readonly ports: readonly RequiredPort[];
  /** A string on the command line of our process (a path under the local folder). */
  readonly processMarker: string;
  readonly stopSignal: NodeJS.Signals;
  readonly stopGraceMs: number;
  /** True only when the server really answers (a metadata call, an HTTP 200, `select 1`). */
  isHealthy(): Promise<boolean>;
  /** Fetches artifacts, formats storage…; returns the command to spawn. */
  prepare(): Promise<DetachedCommand>;
}

/** Shared by every server operation: where state lives, how long to wait, where progress goes. */
export interface LifecycleContext {
  readonly stateFile: string;
  readonly startTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** Starts the server unless it already answers; resolves once it answers. */
export async function ensureRunning(server: ManagedServer, context: LifecycleContext): Promise<void> {
  const { log, stateFile } = context;
  if (await server.isHealthy()) {
    log(`${server.name}: already up on ${server.endpoint}`);
    return;
  }
  const recorded = (await readState(stateFile))[server.name];
  if (recorded?.pid !== undefined && (await isOwnedProcess(recorded.pid, server.processMarker))) {
    if (recorded.endpoint !== server.endpoint) {
      throw new Error(
        `${server.name}: infra/local already runs it on ${recorded.endpoint} (pid ${recorded.pid}) with this data folder; stop it first (pnpm infra down) or use another FULFILLMENT_LOCAL_DIR`,
      );
    }
    if (await answersWithin(server, context.startTimeoutMs)) {
      log(`${server.name}: up on ${server.endpoint} (pid ${recorded.pid} finished starting)`);
      return;
    }
    log(`${server.name}: pid ${recorded.pid} runs but does not answer; restarting it`);
    await terminate(recorded.pid, server.stopSignal, server.stopGraceMs);
  }
  for (const { port, variable } of server.ports) {
    if (await isPortOpen(server.host, port)) {
      throw new Error(
        `${server.name}: port ${port} is in use by a process infra/local did not start here (or that does not answer as ${server.name}); stop it or set ${variable} to a free port`,
      );
    }
  }
  const command = await server.prepare();
  const startedAt = Date.now();
  const pid = spawnDetached(command);
  await recordServer(stateFile, server.name, {
    pid,
    endpoint: server.endpoint,
    startedAt: new Date().toISOString(),
  });
  log(`${server.name}: starting (pid ${pid}, log ${command.logFile})`);
  await waitUntil(() => server.isHealthy(), {
    what: `${server.name} did not come up on ${server.endpoint}`,
    timeoutMs: context.startTimeoutMs,
    intervalMs: 300,
    abortReason: async () =>
      (await isOwnedProcess(pid, server.processMarker))
        ? undefined
        : `the process exited; see ${command.logFile}:\n${await logTail(command.logFile)}`,
  });
  log(`${server.name}: up on ${server.endpoint} (${elapsed(startedAt)})`);
}

/** Stops the server if infra/local started it; leaves anything else alone. */
export async function ensureStopped(server: ManagedServer, context: LifecycleContext): Promise<void> {
  const { log, stateFile } = context;
  const recorded = (await readState(stateFile))[server.name];
  if (recorded?.pid !== undefined && (await isOwnedProcess(recorded.pid, server.processMarker))) {
    const startedAt = Date.now();
    const how = await terminate(recorded.pid, server.stopSignal, server.stopGraceMs);
    log(`${server.name}: ${how} (pid ${recorded.pid}, ${elapsed(startedAt)})`);
  } else if (await server.isHealthy()) {
    log(`${server.name}: up on ${server.endpoint} but not started by infra/local; left running`);
  } else {
    log(`${server.name}: not running`);
  }
  await recordServer(stateFile, server.name, undefined);
}

/** Gives a process we started earlier (e.g. by an interrupted `up`) time to finish starting. */
async function answersWithin(server: ManagedServer, timeoutMs: number): Promise<boolean> {
  try {
    await waitUntil(() => server.isHealthy(), { what: server.name, timeoutMs, intervalMs: 500 });
    return true;
  } catch {
    return false;
  }
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.trim().split("\n").slice(-20).join("\n");
}
