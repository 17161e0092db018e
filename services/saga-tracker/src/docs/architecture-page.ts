import { fileURLToPath } from "node:url";

/** The repository's architecture page, from this file's place in the tree (src or dist). */
export const architecturePage = fileURLToPath(new URL("../../../../docs/ARCHITECTURE.md", import.meta.url));
