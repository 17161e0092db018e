/** Generated requests for the fuzz: any role or none, odd path parameters, queries, headers and bodies. */
import { ROLES } from "@fulfillment/identity";
import fc from "fast-check";
import type { MatrixRoute } from "./access-matrix.js";

export interface FuzzRequest {
  role: (typeof ROLES)[number] | null;
  params: string[];
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string | null;
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "..",
    "%00",
    "null",
    "-1",
    "0",
    "1e309",
    "' OR 1=1 --",
    "\u0000",
    "🙂",
    "a".repeat(2_000),
  ),
);
const isoDate = fc
  .date({ noInvalidDate: false })
  .map((d) => (Number.isNaN(d.getTime()) ? "0NaN-NaN-NaN" : d.toISOString()));
/** Cursors as the APIs encode them, with good and bad contents. */
const cursor = fc
  .record(
    { at: fc.oneof(isoDate, anyText, fc.integer()), id: fc.oneof(anyText, fc.integer()) },
    { requiredKeys: [] },
  )
  .map((value) => Buffer.from(JSON.stringify(value)).toString("base64url"));
const queryValue = fc.oneof(
  anyText,
  fc.integer().map(String),
  isoDate,
  cursor,
  fc.constantFrom("COMPLETED", "ISSUED", "DENIED"),
);
const queryKey = fc.oneof(
  fc.constantFrom("limit", "cursor", "patientId", "orderId", "status", "since", "until", "actor", "outcome"),
  printable.filter((k) => k.length > 0),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/problem+json",
  "",
);

/** Bodies: shaped like the route's own (with wrong values), any JSON, or not JSON at all. */
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const shaped = fc.record(
  {
    patientId: fc.oneof(anyText, jsonValue),
    prescriberId: fc.oneof(anyText, fc.constant(null), jsonValue),
    items: fc.oneof(
      fc.array(
        fc.record(
          {
            sku: fc.oneof(anyText, jsonValue),
            quantity: fc.oneof(fc.integer(), fc.double(), jsonValue),
            unitPriceCents: fc.oneof(fc.integer(), jsonValue),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 60 },
      ),
      jsonValue,
    ),
    shippingAddress: fc.oneof(
      fc.record(
        {
          line1: anyText,
          city: anyText,
          postalCode: anyText,
          country: fc.oneof(fc.constantFrom("US", "AQ", "us", "USA"), anyText),
          region: fc.oneof(anyText, fc.constant(null)),
        },
        { requiredKeys: [] },
      ),
      jsonValue,
    ),
    name: fc.oneof(anyText, jsonValue),
    prescriptionOnly: fc.oneof(fc.boolean(), jsonValue),
    maxQuantity: fc.oneof(fc.integer(), fc.double(), jsonValue),
    quantity: fc.oneof(fc.integer({ min: -10, max: 2_000_000_000 }), fc.double(), jsonValue),
    orderId: fc.oneof(anyText, jsonValue),
    currency: fc.oneof(anyText, fc.constantFrom("USD", "EUR")),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  shaped.map((b) => JSON.stringify(b)),
  jsonValue.map((v) => JSON.stringify(v)),
  anyText,
  fc.constant("{"),
);

/** An arbitrary request for `route`. */
export function fuzzRequest(route: MatrixRoute, knownIds: string[]): fc.Arbitrary<FuzzRequest> {
  const paramCount = (route.path.match(/:/g) ?? []).length;
  const param = fc.oneof(fc.constantFrom(...knownIds), anyText, printable);
  return fc.record({
    role: fc.option(fc.constantFrom(...ROLES), { nil: null, freq: 8 }),
    params: fc.array(param, { minLength: paramCount, maxLength: paramCount }),
    query: fc.dictionary(queryKey, queryValue, { maxKeys: 5 }),
    headers: fc.record(
      {
        "content-type": contentType,
        "idempotency-key": fc.oneof(printable, fc.constant("k".repeat(300))),
        traceparent: printable,
      },
      { requiredKeys: [] },
    ),
    body:
      route.method === "GET" || route.method === "DELETE"
        ? fc.constant(null)
        : fc.option(body, { nil: null, freq: 10 }),
  });
}

/** The URL of a fuzz request: parameters and query encoded, so every one is a valid URL. */
export function fuzzUrl(base: string, route: MatrixRoute, request: FuzzRequest): string {
  let index = 0;
  const path = route.path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(request.params[index++] ?? ""));
  const query = new URLSearchParams(request.query).toString();
  return `${base}${path}${query ? `?${query}` : ""}`;
}
