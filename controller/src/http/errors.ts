import type { z } from "zod";

export interface IssueOut {
  path: string;
  message: string;
}

/** An error with the status and body the client gets: `{error, issues?}`. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    message: string,
    readonly issues?: IssueOut[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): IssueOut[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join("."), message: i.message }));
}

export const badRequest = (error: z.ZodError, where: string, prefix: (string | number)[] = []) =>
  new HttpError(400, `invalid ${where}`, zodIssues(error, prefix));
export const notFound = (what: string) => new HttpError(404, `${what} not found`);
