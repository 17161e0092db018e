import { describe, expect, it } from "vitest";
import { carrierFor, serviceability } from "./destination.js";

const destinations = new Set(["US", "DE", "CA-ON"]);

describe("serviceable destinations", () => {
  it("serves every region of a listed country", () => {
    expect(serviceability({ country: "US", region: "AK" }, destinations)).toEqual({ serviceable: true });
    expect(serviceability({ country: "DE", region: null }, destinations)).toEqual({ serviceable: true });
  });

  it("serves only the listed regions of a country listed by region", () => {
    expect(serviceability({ country: "CA", region: "ON" }, destinations)).toEqual({ serviceable: true });
    expect(serviceability({ country: "CA", region: "QC" }, destinations)).toEqual({
      serviceable: false,
      reason: "destination CA-QC is not serviceable",
    });
  });

  it("refuses an unlisted country, naming it", () => {
    expect(serviceability({ country: "AQ", region: null }, destinations)).toEqual({
      serviceable: false,
      reason: "destination AQ is not serviceable",
    });
  });

  it("picks a carrier by country", () => {
    expect(carrierFor("US")).toBe("UPS");
    expect(carrierFor("ca")).toBe("UPS");
    expect(carrierFor("DE")).toBe("DHL");
  });
});
