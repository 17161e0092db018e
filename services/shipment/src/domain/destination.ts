import type { ShippingAddress } from "@fulfillment/contracts";

/**
 * Whether an address can be shipped to. A destination code is a country (`US`: all of it) or a
 * country-region (`US-CA`: only that region); a country listed only by regions is served only there.
 */
export function serviceability(
  address: Pick<ShippingAddress, "country" | "region">,
  destinations: ReadonlySet<string>,
): { serviceable: true } | { serviceable: false; reason: string } {
  const country = address.country.toUpperCase();
  if (destinations.has(country)) return { serviceable: true };
  const region = address.region?.toUpperCase();
  if (region && destinations.has(`${country}-${region}`)) return { serviceable: true };
  const where = region ? `${country}-${region}` : country;
  return { serviceable: false, reason: `destination ${where} is not serviceable` };
}

/** The carrier that serves a country. */
export function carrierFor(country: string): string {
  return ["US", "CA"].includes(country.toUpperCase()) ? "UPS" : "DHL";
}
