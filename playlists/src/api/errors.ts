import { z } from "zod";
import { ApiIssue, IssueParams } from "../issues.ts";

/**
 * Every error the API answers with, by code, and its HTTP status. Clients decide on the code (and its
 * params), never on the English `message`.
 */
export const ERROR_STATUS = {
  /** Input failed its schema or a check; `issues` names each field. */
  validation: 400,
  /** A multipart upload cut off or malformed. */
  "upload-failed": 400,
  /** Not logged in, or the session ended. */
  unauthenticated: 401,
  /** Login refused. */
  "wrong-credentials": 401,
  /** A bearer token unknown or revoked. */
  "invalid-token": 401,
  /** A screen's own upload without its MQTT credentials. */
  "screen-credentials": 401,
  /** The caller's role is too low. `{need, have}` */
  forbidden: 403,
  /** An API token bound to an agency, used outside the routes it opens (the CAP import). */
  "token-bound": 403,
  /** A bound token's CAP message targets a gate, or changes a notice, outside its binding. `{gate?, agency}` */
  "cap-out-of-scope": 403,
  /** A contributor writing outside its scope (agency, categories, gates); `issues` says where. */
  "out-of-scope": 403,
  /** A cookie write without the session's X-CSRF-Token. */
  csrf: 403,
  /** Asked with an API token where only a logged-in session may. */
  "session-required": 403,
  /** `{kind, id?}` */
  "not-found": 404,
  /** No such route (an older controller?). */
  "no-route": 404,
  /** The id is taken. `{kind, id}` */
  exists: 409,
  /** Something refers to what would be removed; `issues` says where. `{kind, id?}` */
  "in-use": 409,
  /** The change would break other content; `issues` says where. `{kind}` */
  "breaks-content": 409,
  /** A release that would change nothing. `{release}` */
  unchanged: 409,
  /** `{kind, id}` */
  "already-cancelled": 409,
  /** A command to a screen no device is paired as: nothing would receive it. `{kind, id}` */
  "not-paired": 409,
  /** A review action the object's state does not allow (approve what is not submitted…). `{state, action}` */
  "wrong-state": 409,
  /** The last enabled admin cannot be demoted, disabled or deleted. */
  "last-admin": 409,
  /** One's own account cannot be deleted. */
  "own-account": 409,
  /** Provisioned from the environment: change it there. `{kind, id}` */
  "read-only": 409,
  /** Not a CAP 1.2 message: not well-formed XML, another root or namespace, or a required element missing or wrong (`issues` name each). `{line?}` */
  "cap-malformed": 400,
  /** A CAP document with a document type declaration or an entity: refused unread (no XXE, no entity expansion). */
  "cap-doctype": 400,
  /** A CAP Update or Cancel whose references name no message the controller took. `{reference}` */
  "cap-unknown-reference": 404,
  /** A CAP area that is no gate's id or name and no row of the area table. `{area}` */
  "cap-unknown-area": 422,
  /** A CAP message with no `<info>` in a language a targeted gate requires. `{gate, language}` */
  "cap-missing-language": 422,
  /** A CAP message whose `<expires>` is already past. `{expires}` */
  "cap-expired": 422,
  /** A CAP message gatecast cannot show: msgType Ack or Error, no `<expires>`, or one sent twice. `{field, value?}` */
  "cap-unsupported": 422,
  /** `{maxBytes}` */
  "too-large": 413,
  /** The body is not of a type the route takes. */
  "unsupported-type": 415,
  /** The draft has problems that stop its release; `issues` lists them. */
  "content-problems": 422,
  /** A release uses media no longer stored; `issues` lists them. */
  "media-missing": 422,
  /**
   * The draft's readability shortfalls are not the ones the release request says it saw (the draft or
   * the check changed since): look at the list again. `{revision}` the current one.
   */
  "readability-stale": 409,
  /** Items fall short of their screens' readable size or reading time: fix them, or release with a reason. `{blocking, revision}` */
  "readability-blocking": 422,
  /** `{retryAfterS}`; the Retry-After header says the same. */
  "rate-limited": 429,
  internal: 500,
  /** A response that does not match its contract (only where the controller checks its answers). */
  "response-mismatch": 500,
  /** The data disk is full (media or the store): nothing was stored. */
  "disk-full": 503,
  /** Every slot of something the controller keeps open is taken (pairings); `{retryAfterS, scope}`, and Retry-After. */
  busy: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

/** The body of every error answer. */
export const ApiErrorBody = z.object({
  code: ErrorCode,
  /** For people reading logs or curl output; clients show their own words for `code`. */
  message: z.string(),
  params: IssueParams.optional(),
  issues: z.array(ApiIssue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
