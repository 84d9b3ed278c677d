import { z } from "zod";

/**
 * Operator roles, lowest first: each may do everything the ones before it may. A contributor (an
 * agency's account) writes drafts only within its scope (`ContributorScope`), for review.
 */
export const ROLES = ["viewer", "contributor", "editor", "approver", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const roleAtLeast = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);
