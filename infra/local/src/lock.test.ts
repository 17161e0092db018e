import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withLock } from "./lock.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "infra-lock-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("withLock", () => {
  it("runs concurrent holders one after the other", async () => {
    const lockDir = join(folder, "infra.lock");
    const events: string[] = [];
    const hold = (name: string) =>
      withLock(lockDir, 5_000, async () => {
        events.push(`${name}:in`);
        await sleep(50);
        events.push(`${name}:out`);
      });
    await Promise.all([hold("a"), hold("b")]);
    expect(events).toEqual(
      events[0] === "a:in" ? ["a:in", "a:out", "b:in", "b:out"] : ["b:in", "b:out", "a:in", "a:out"],
    );
  });

  it("takes over a lock whose owner process is gone", async () => {
    const lockDir = join(folder, "infra.lock");
    await mkdir(lockDir);
    await writeFile(
      join(lockDir, "owner.json"),
      JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), since: Date.now() }),
    );
    await expect(withLock(lockDir, 1_000, () => Promise.resolve("done"))).resolves.toBe("done");
  });

  it("gives up with a message naming the lock when a live owner keeps it", async () => {
    const lockDir = join(folder, "infra.lock");
    await mkdir(lockDir);
    await writeFile(
      join(lockDir, "owner.json"),
      JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }),
    );
    await expect(withLock(lockDir, 300, () => Promise.resolve())).rejects.toThrow(lockDir);
  });
});
