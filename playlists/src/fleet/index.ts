export * from "./conditions.ts";
export * from "./health.ts";
export * from "./incidents.ts";
export * from "./notify.ts";
