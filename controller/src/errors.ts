import type { ApiIssue, DomainIssueCode, ErrorCode, IssueParams } from "@gatecast/playlists/api";

/**
 * A refusal with a stable code: thrown by use cases and routes alike. The HTTP layer answers it with
 * the code's status and `{code, message, params?, issues?}`; the command line prints the message.
 */
export class AppError extends Error {
  readonly params: IssueParams | undefined;
  readonly issues: ApiIssue[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { params?: IssueParams; issues?: ApiIssue[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.params = extra.params;
    this.issues = extra.issues;
    this.headers = extra.headers;
  }
}

/** One problem at a dotted path, with its code. */
export const issue = (path: string, code: DomainIssueCode, message: string, params?: IssueParams): ApiIssue => ({
  path,
  code,
  message,
  ...(params ? { params } : {}),
});

export const invalid = (issues: ApiIssue[], message = "invalid input") =>
  new AppError("validation", message, { issues });

export const notFound = (kind: string, id?: string | number) =>
  new AppError("not-found", `${kind}${id === undefined ? "" : ` ${id}`} not found`, {
    params: id === undefined ? { kind } : { kind, id: String(id) },
  });
