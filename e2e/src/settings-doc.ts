/** Every service's settings in one place: the tables of docs/operations.md, generated from the config schemas. */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { inventorySettings } from "@fulfillment/inventory/config";
import { orderSettings } from "@fulfillment/order/config";
import { prescriptionSettings } from "@fulfillment/prescription/config";
import { settingsMarkdown, type ServiceSettings } from "@fulfillment/runtime";
import { sagaTrackerSettings } from "@fulfillment/saga-tracker/config";
import { shipmentSettings } from "@fulfillment/shipment/config";

export const serviceSettings: readonly ServiceSettings[] = [
  { service: "order", schema: orderSettings },
  { service: "prescription", schema: prescriptionSettings },
  { service: "inventory", schema: inventorySettings },
  { service: "shipment", schema: shipmentSettings },
  { service: "saga-tracker", schema: sagaTrackerSettings },
];

export const operationsPage = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "docs",
  "operations.md",
);

const SECTION = /(<!-- settings:begin[^>]*-->\n)([\s\S]*?)(<!-- settings:end -->)/;

/** The settings section as the page holds it, or undefined when its markers are missing. */
export function documentedSettings(page: string): string | undefined {
  return SECTION.exec(page)?.[2]?.trim();
}

/** The page with its settings section rewritten from the schemas. */
export function withSettings(page: string): string {
  if (!SECTION.test(page))
    throw new Error(
      `${operationsPage} lost its settings markers (<!-- settings:begin … --> and <!-- settings:end -->); put them back`,
    );
  return page.replace(
    SECTION,
    (_all, begin: string, _body: string, end: string) =>
      `${begin}\n${settingsMarkdown(serviceSettings)}\n\n${end}`,
  );
}

/** `pnpm docs:write`: rewrites the settings section of docs/operations.md. */
export function writeSettingsDoc(): void {
  const page = readFileSync(operationsPage, "utf8");
  const rewritten = withSettings(page);
  writeFileSync(operationsPage, rewritten);
  console.log(
    rewritten === page ? `[docs] ${operationsPage} already up to date` : `[docs] rewrote ${operationsPage}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeSettingsDoc();
