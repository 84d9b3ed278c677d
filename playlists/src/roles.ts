import { z } from "zod";

/** Operator roles, lowest first: each may do everything the ones before it may. */
export const ROLES = ["viewer", "editor", "approver", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const roleAtLeast = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);
