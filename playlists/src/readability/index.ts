export * from "./contrast.ts";
export * from "./geometry.ts";
export * from "./judge.ts";
export * from "./reading.ts";
export * from "./targets.ts";
