import { z } from "zod";
import { Id } from "../schema/common.ts";

/** `:id` of a content object (a slug). */
export const IdParams = z.object({ id: Id });

/** `:id` of a row numbered by the store (users, tokens, releases). */
export const IntIdParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** A query parameter that may be sent empty (`?actor=`): empty means absent. */
export const optionalQuery = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
