import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive } from "./process/detached.js";

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

/** A lock older than this is taken over even if its owner looks alive (e.g. a recycled pid). */
const MAX_LOCK_AGE_MS = 15 * 60_000;

/**
 * Runs `work` while holding an exclusive lock on the local folder, so parallel test runners never
 * both spawn servers. The lock is a directory (mkdir is atomic); a lock whose owner died is stale.
 */
export async function withLock<T>(lockDir: string, waitMs: number, work: () => Promise<T>): Promise<T> {
  await acquire(lockDir, waitMs);
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function acquire(lockDir: string, waitMs: number): Promise<void> {
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: Date.now() };
      await writeFile(join(lockDir, "owner.json"), JSON.stringify(owner));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lockDir)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `another infra command holds ${lockDir}; wait for it, or delete that folder if no such command runs`,
      );
    }
    await sleep(200);
  }
}

async function isStale(lockDir: string): Promise<boolean> {
  let owner: LockOwner;
  try {
    owner = JSON.parse(await readFile(join(lockDir, "owner.json"), "utf8")) as LockOwner;
  } catch {
    // Between mkdir and writing owner.json the file is briefly missing; only a lasting gap is stale.
    await sleep(500);
    try {
      await readFile(join(lockDir, "owner.json"), "utf8");
      return false;
    } catch {
      return true;
    }
  }
  if (Date.now() - owner.since > MAX_LOCK_AGE_MS) return true;
  return owner.host === hostname() && !isAlive(owner.pid);
}
