import { describe, expect, it } from "vitest";
import { loadOptions } from "../config.js";
import { serverProperties } from "./server-properties.js";

describe("serverProperties", () => {
  it("describes one combined KRaft node that never auto-creates topics", () => {
    const options = loadOptions({ host: "127.0.0.1", kafkaPort: 19092, kafkaControllerPort: 19093 });
    const text = serverProperties(options, "/data");
    expect(text).toContain("process.roles=broker,controller");
    expect(text).toContain("listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093");
    expect(text).toContain("advertised.listeners=PLAINTEXT://127.0.0.1:19092");
    expect(text).toContain("auto.create.topics.enable=false");
    expect(text).toContain("offsets.topic.replication.factor=1");
    expect(text).toContain("group.initial.rebalance.delay.ms=0");
    expect(text).not.toContain("message.max.bytes");
  });
});
