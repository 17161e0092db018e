/** The roles of the system, as tokens carry them in their `roles` claim (see docs/SECURITY.md). */
export const ROLES = [
  "patient",
  "ordering-client",
  "pharmacist",
  "inventory-manager",
  "logistics",
  "operator",
] as const;

export type Role = (typeof ROLES)[number];

/** The `purpose` claim of a one-time dashboard sign-in ticket. */
export const DASHBOARD_SIGN_IN_PURPOSE = "dashboard-sign-in";
