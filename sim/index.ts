/** The fleet simulator (`@gatecast/sim`): screens on the kiosk's own sync code, their content and their API client. */
export * from "./api.ts";
export * from "./content.ts";
export * from "./fleet.ts";
export * from "./media.ts";
export * from "./screen.ts";
