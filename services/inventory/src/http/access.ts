import type { AccessMatrix } from "@fulfillment/runtime";

/** Who may do what on the inventory API (docs/SECURITY.md): stock levels hold no patient data. */
export const inventoryAccess = {
  "GET /api/inventory": {
    "inventory-manager": "all",
    pharmacist: "all",
    "ordering-client": "all",
    operator: "all",
  },
  "GET /api/inventory/:sku": {
    "inventory-manager": "all",
    pharmacist: "all",
    "ordering-client": "all",
    operator: "all",
  },
  "POST /api/inventory/:sku/restock": { "inventory-manager": "all" },
} as const satisfies AccessMatrix;
