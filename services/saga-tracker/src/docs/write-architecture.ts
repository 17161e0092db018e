/** `pnpm docs:write`: rewrites the generated sections of docs/ARCHITECTURE.md from the code. */
import { readFileSync, writeFileSync } from "node:fs";
import { architecturePage } from "./architecture-page.js";
import { renderArchitecture } from "./architecture.js";

const page = readFileSync(architecturePage, "utf8");
const rendered = renderArchitecture(page);
writeFileSync(architecturePage, rendered);
console.log(
  rendered === page ? `[docs] ${architecturePage} already up to date` : `[docs] rewrote ${architecturePage}`,
);
