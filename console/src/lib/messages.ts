import { CATEGORY_LABEL } from "@gatecast/playlists";
import type { ApiIssue, DomainIssueCode, IssueCode, IssueParams } from "@gatecast/playlists/api";
import { type Key, lang, type Params, t, tCount, tDynamic } from "../i18n.ts";
import { ApiError, type FailureCode } from "./api.ts";
import { formatSpan } from "./format.ts";

/*
 * What the console tells an operator about a refusal: chosen by the error's or issue's code and filled
 * in from its params, in the operator's language. The controller's English `message` is never shown
 * and never read.
 */

const str = (p: IssueParams | undefined, k: string): string => {
  const v = p?.[k];
  return typeof v === "string" || typeof v === "number" ? String(v) : "";
};

const num = (p: IssueParams | undefined, k: string): number | null => {
  const v = p?.[k];
  return typeof v === "number" ? v : null;
};

/** An object kind as a word inside a sentence ("nội dung", "danh sách phát"). */
function kindWord(kind: string): string {
  const label = tDynamic(`object.${kind}`, kind);
  return lang.value === "vi" ? label.toLocaleLowerCase("vi") : label.toLowerCase();
}

/** "Nội dung “tet”", "Playlist “rush-hour”": what an error names, from its `kind` and `id`. */
function what(p: IssueParams | undefined): string {
  const kind = str(p, "kind");
  const id = str(p, "id");
  const label = kind ? tDynamic(`object.${kind}`, kind) : "";
  return [label, id ? `“${id}”` : ""].filter(Boolean).join(" ");
}

const categoryName = (c: string): string => {
  const label = CATEGORY_LABEL[c as keyof typeof CATEGORY_LABEL];
  return label ? (lang.value === "en" ? label.en : label.vi) : c;
};

const list = (v: IssueParams[string] | undefined): string =>
  Array.isArray(v) ? v.map((x) => (typeof x === "string" ? `“${x}”` : String(x))).join(", ") : "";

/** "💵" → "💵 (U+1F4B5)": a character the console may not draw either, named. */
const codePoints = (chars: string): string =>
  [...chars].map((c) => `${c} (U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")})`).join(", ");

/** Words for the domain's own codes: one entry each, so a new code does not compile without its text. */
const DOMAIN_TEXT: Record<DomainIssueCode, (p: IssueParams | undefined) => [Key, Params?]> = {
  "zh-required": (p) => ["issue.zh-required", { category: categoryName(str(p, "category")) }],
  "language-required": (p) => [
    "issue.language-required",
    { lang: tDynamic(`lang.${str(p, "lang")}`, str(p, "lang")), gates: str(p, "gates") },
  ],
  "out-of-scope": (p) => ["issue.out-of-scope", { what: str(p, "gate") || str(p, "category") || str(p, "agency") }],
  "comment-required": () => ["issue.comment-required"],
  "wrong-state": (p) => ["issue.wrong-state", { state: tDynamic(`review.state.${str(p, "state")}`, str(p, "state")) }],
  "source-required": (p) => ["issue.source-required", { category: categoryName(str(p, "category")) }],
  "range-order": (p) => (str(p, "after") === "startsAt" ? ["issue.range-order.startsAt"] : ["issue.range-order"]),
  "empty-patch": () => ["issue.empty-patch"],
  "duplicate-id": (p) => ["issue.duplicate-id", { id: str(p, "id") }],
  "unknown-ref": (p) => ["issue.unknown-ref", { kind: kindWord(str(p, "kind")), id: str(p, "id") }],
  "unknown-media": () => ["issue.unknown-media"],
  "host-not-allowed": (p) => ["issue.host-not-allowed", { host: str(p, "host") }],
  "in-use": (p) => ["issue.in-use", { kind: kindWord(str(p, "kind")), id: str(p, "id") }],
  exists: (p) => (str(p, "kind") === "user" ? ["issue.exists.user"] : ["issue.exists"]),
  "reserved-id": (p) => ["issue.reserved-id", { id: str(p, "id") }],
  "id-mismatch": (p) => ["issue.id-mismatch", { id: str(p, "id") }],
  "in-past": () => ["issue.in-past"],
  "no-screen": () => ["issue.no-screen"],
  "range-too-long": (p) => ["issue.range-too-long", { maxDays: str(p, "maxDays") }],
  "before-retention": (p) => [
    "issue.before-retention",
    { keptFrom: str(p, "keptFrom"), retentionDays: str(p, "retentionDays") },
  ],
  "listed-twice": (p) => ["issue.listed-twice", { id: str(p, "id") }],
  "not-listed": (p) => ["issue.not-listed", { ids: list(p?.ids) }],
  "required-to-create": () => ["issue.required-to-create"],
  "no-pairing": () => ["issue.no-pairing"],
  "media-missing": () => ["issue.media-missing"],
  "not-json": () => ["issue.not-json"],
  "no-file": () => ["issue.no-file"],
  "unsafe-path": () => ["issue.unsafe-path"],
  "one-of": (p) => ["issue.one-of", { fields: str(p, "fields") }],
  "traditional-chinese": (p) => ["issue.traditional-chinese", { chars: str(p, "chars") }],
  "not-chinese": (p) => ["issue.not-chinese", { words: str(p, "words") }],
  undrawable: (p) => ["issue.undrawable", { chars: codePoints(str(p, "chars")) }],
  "wrong-password": () => ["issue.wrong-password"],
};

function sized(code: "too_big" | "too_small", p: IssueParams | undefined): [Key, Params?] {
  const origin = str(p, "origin");
  if (code === "too_big") {
    const maximum = str(p, "maximum");
    if (origin === "string") return ["issue.too_big.string", { maximum }];
    if (origin === "number" || origin === "int") return ["issue.too_big.number", { maximum }];
    if (origin === "array" || origin === "set") return ["issue.too_big.array", { maximum }];
    return ["issue.too_big"];
  }
  const minimum = str(p, "minimum");
  if (origin === "string")
    return num(p, "minimum") === 1 ? ["issue.too_small.empty"] : ["issue.too_small.string", { minimum }];
  if (origin === "number" || origin === "int")
    return p?.inclusive === false ? ["issue.too_small.positive", { minimum }] : ["issue.too_small.number", { minimum }];
  if (origin === "array" || origin === "set") return ["issue.too_small.array", { minimum }];
  return ["issue.too_small"];
}

const FORMAT_KEYS: Record<string, Key> = {
  id: "issue.format.id",
  tag: "issue.format.tag",
  time: "issue.format.time",
  date: "issue.format.date",
  host: "issue.format.host",
  sha256: "issue.format.sha256",
  "time-zone": "issue.format.time-zone",
  username: "issue.format.username",
  "pairing-code": "issue.format.pairing-code",
  datetime: "issue.format.datetime",
  url: "issue.format.url",
};

function issueKey(code: IssueCode, p: IssueParams | undefined): [Key, Params?] {
  if (str(p, "received") === "empty" && code !== "too_small") return ["issue.required"];
  switch (code) {
    case "invalid_type":
      return str(p, "received") === "undefined" ? ["issue.required"] : ["issue.invalid"];
    case "too_big":
    case "too_small":
      return sized(code, p);
    case "invalid_format":
      return [FORMAT_KEYS[str(p, "format")] ?? "issue.format"];
    case "not_multiple_of":
      return ["issue.not_multiple_of", { divisor: str(p, "divisor") }];
    case "unrecognized_keys":
      return ["issue.unrecognized_keys", { keys: list(p?.keys) }];
    case "invalid_value":
      return ["issue.invalid_value"];
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return ["issue.invalid"];
    default:
      return DOMAIN_TEXT[code](p);
  }
}

/** One field's problem, in the operator's language. */
export function issueText(issue: Pick<ApiIssue, "code" | "params">): string {
  const [key, params] = issueKey(issue.code, issue.params);
  return t(key, params);
}

/** Fields whose numbers are seconds: their bounds are said with the unit. */
const SECONDS = /(^|\.)duration$/;

/** A duration's bound in words: "phải không quá 86.400 giây (24 giờ)". */
function secondsText(i: Pick<ApiIssue, "code" | "params">): string | null {
  if (i.code !== "too_big" && i.code !== "too_small") return null;
  const bound = num(i.params, i.code === "too_big" ? "maximum" : "minimum");
  if (bound === null) return null;
  const span = bound >= 60 ? ` (${formatSpan(bound / 60)})` : "";
  const seconds = `${tCount("unit.seconds", bound)}${span}`;
  if (i.code === "too_big") return t("issue.too_big.seconds", { maximum: seconds });
  return i.params?.inclusive === false
    ? t("issue.too_small.positiveSeconds")
    : t("issue.too_small.seconds", { minimum: seconds });
}

/** Issues keyed by path, for fields to find theirs (several at one path are joined). */
export function issueMap(issues: readonly ApiIssue[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const i of issues) {
    const text = (SECONDS.test(i.path) ? secondsText(i) : null) ?? issueText(i);
    const prev = m.get(i.path);
    m.set(i.path, prev && prev !== text ? `${prev}; ${text}` : text);
  }
  return m;
}

function failureKey(err: ApiError): [Key, Params?] {
  const p = err.params;
  const code: FailureCode = err.code;
  switch (code) {
    case "validation":
      return err.issues.length > 0 ? ["error.fixFields"] : ["err.validation"];
    case "not-found": {
      if (str(p, "kind") === "pairing-code") return ["err.not-found.pairing-code"];
      if (err.issues.some((i) => i.code === "required-to-create"))
        return ["err.not-found.new-screen", { id: str(p, "id") }];
      return ["err.not-found", { what: what(p) || "—" }];
    }
    case "exists":
      return ["err.exists", { What: what(p) }];
    case "in-use":
      return str(p, "kind") === "web-hosts" ? ["err.in-use.web-hosts"] : ["err.in-use", { What: what(p) }];
    case "unchanged":
      return ["err.unchanged", { release: str(p, "release") }];
    case "readability-blocking":
      return ["err.readability-blocking", { blocking: str(p, "blocking") }];
    case "too-large": {
      const bytes = num(p, "maxBytes");
      if (str(p, "kind") === "cap")
        return ["err.too-large.cap", { kb: bytes === null ? "?" : Math.round(bytes / 1024) }];
      // a limit under a megabyte (a CAP message, a JSON body) is said in KB, not as "0 MB"
      if (bytes !== null && bytes < 1_048_576) return ["err.too-large.kb", { kb: Math.round(bytes / 1024) }];
      return ["err.too-large", { mb: bytes === null ? "?" : Math.round(bytes / 1_048_576) }];
    }
    case "rate-limited": {
      const scope = str(p, "scope");
      if (scope === "login") return ["err.rate-limited.login"];
      if (scope === "pairing") return ["err.rate-limited.pairing"];
      return ["err.rate-limited", { s: str(p, "retryAfterS") || "60" }];
    }
    case "busy":
      return ["err.busy", { s: str(p, "retryAfterS") || "60" }];
    case "token-bound":
      return ["err.token-bound", { agency: str(p, "agency") }];
    case "cap-out-of-scope":
      return ["err.cap-out-of-scope", { agency: str(p, "agency"), gate: str(p, "gate") }];
    case "cap-unknown-area":
      return ["err.cap-unknown-area", { area: str(p, "area") }];
    case "cap-missing-language":
      return [
        "err.cap-missing-language",
        { gate: str(p, "gate") || "—", language: tDynamic(`lang.${str(p, "language")}`, str(p, "language")) },
      ];
    case "cap-expired":
      return ["err.cap-expired", { expires: str(p, "expires") }];
    case "cap-unsupported": {
      const field = str(p, "field");
      if (field === "expires" || field === "area" || field === "msgType" || field === "identifier")
        return [`err.cap-unsupported.${field}`, { value: str(p, "value") }];
      return ["err.cap-unsupported"];
    }
    default:
      return [`err.${code}`];
  }
}

/** What to tell the operator about a failed request or any other error. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    const [key, params] = failureKey(err);
    return t(key, params);
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
