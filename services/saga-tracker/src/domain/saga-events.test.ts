import { serviceTopics, topicOf } from "@fulfillment/contracts";
import { describe, expect, it } from "vitest";
import { listeners } from "./saga-events.js";

describe("the events of the saga's definition", () => {
  it("are heard on exactly the topics the tracker is allowed to read, no more and no fewer", () => {
    const heardOn = new Set(listeners.map((listener) => topicOf(listener.event)));
    expect([...heardOn].sort()).toEqual([...serviceTopics["saga-tracker"].consumes].sort());
  });

  it("are each heard once", () => {
    const events = listeners.map((listener) => listener.event);
    expect(new Set(events).size).toBe(events.length);
  });
});
