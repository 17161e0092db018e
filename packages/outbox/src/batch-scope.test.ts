import { describe, expect, it } from "vitest";
import { BatchScope } from "./batch-scope.js";

describe("a batch's gathered writes", () => {
  it("keeps one state per key and writes each once, in the order the keys were first used", async () => {
    const scope = new BatchScope();
    const written: string[] = [];
    const gather = (key: string, item: string) =>
      scope
        .gather(
          key,
          () => [] as string[],
          (items) => Promise.resolve(void written.push(`${key}:${items.join(",")}`)),
        )
        .push(item);
    gather("b", "1");
    gather("a", "2");
    gather("b", "3");
    await scope.flush();
    expect(written).toEqual(["b:1,3", "a:2"]);
    await scope.flush();
    expect(written).toHaveLength(2);
  });
});
