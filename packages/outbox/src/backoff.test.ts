import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, defaultBackoff, sleep } from "./backoff.js";

const policy = { baseMs: 100, maxMs: 1_000 };
const low = () => 0;
const high = () => 1;

describe("backoff delay", () => {
  it("waits between half and all of the base on the first attempt", () => {
    expect(backoffDelay(1, policy, low)).toBe(50);
    expect(backoffDelay(1, policy, high)).toBe(100);
    expect(backoffDelay(1, policy, () => 0.5)).toBe(75);
  });

  it("doubles the ceiling with each attempt", () => {
    expect([2, 3, 4].map((attempt) => backoffDelay(attempt, policy, high))).toEqual([200, 400, 800]);
    expect(backoffDelay(3, policy, low)).toBe(200);
  });

  it("never waits longer than the maximum, however many attempts failed", () => {
    expect(backoffDelay(5, policy, high)).toBe(1_000);
    expect(backoffDelay(50, policy, low)).toBe(500);
  });

  it("treats attempt 0 or less like the first attempt", () => {
    expect(backoffDelay(0, policy, high)).toBe(100);
    expect(backoffDelay(-3, policy, high)).toBe(100);
  });

  it("rounds to whole milliseconds", () => {
    expect(backoffDelay(1, { baseMs: 3, maxMs: 10 }, low)).toBe(2);
  });

  it("uses the default policy and real jitter when none is given", () => {
    expect(backoffDelay(1, undefined, high)).toBe(defaultBackoff.baseMs);
    for (let i = 0; i < 20; i++) {
      const delay = backoffDelay(1);
      expect(delay).toBeGreaterThanOrEqual(defaultBackoff.baseMs / 2);
      expect(delay).toBeLessThanOrEqual(defaultBackoff.baseMs);
    }
    expect(backoffDelay(100, undefined, high)).toBe(defaultBackoff.maxMs);
  });
});

describe("sleep", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const settled = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it("resolves once the time has passed, not before", async () => {
    const promise = sleep(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(promise)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(promise)).toBe(true);
  });

  it("resolves at once when the signal aborts, and leaves no timer behind", async () => {
    const controller = new AbortController();
    const promise = sleep(60_000, controller.signal);
    expect(await settled(promise)).toBe(false);
    controller.abort();
    expect(await settled(promise)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not wait at all on a signal that has already aborted", async () => {
    const promise = sleep(60_000, AbortSignal.abort());
    expect(await settled(promise)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves no listener on a long-lived signal once it resolves", async () => {
    const controller = new AbortController();
    const promise = sleep(10, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    await promise;
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
