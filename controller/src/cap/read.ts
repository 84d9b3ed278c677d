import { checkInput } from "@gatecast/playlists";
import { CAP_MAX_BYTES, CapStatus } from "@gatecast/playlists/api";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { AppError } from "../errors.ts";

/*
 * Reading an OASIS CAP 1.2 message (urn:oasis:names:tc:emergency:cap:1.2) safely: bounded in size,
 * any document type declaration or entity refused before parsing (no XXE, no billion laughs), a parser
 * whose entity processing is off, and the result checked with a zod schema naming each bad field.
 * Pure: no I/O, no clock.
 */

export const CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2";

const Text = z.string().trim();
const Required = Text.min(1, { error: "required" });
/** CAP's dateTime: an offset is required ("Z" and fractions tolerated on the way in). */
const CapDateTime = z.iso.datetime({
  offset: true,
  error: "expected a date-time with offset, e.g. 2026-11-23T08:00:00+07:00",
});

const ValuePair = z.object({ valueName: Required, value: Required });

const CapArea = z.object({
  areaDesc: Required,
  geocode: z.array(ValuePair).default([]),
});
export type CapArea = z.infer<typeof CapArea>;

const CapInfo = z.object({
  language: Text.default("en-US"),
  event: Required,
  urgency: z.enum(["Immediate", "Expected", "Future", "Past", "Unknown"]),
  severity: z.enum(["Extreme", "Severe", "Moderate", "Minor", "Unknown"]),
  certainty: z.enum(["Observed", "Likely", "Possible", "Unlikely", "Unknown"]),
  effective: CapDateTime.optional(),
  onset: CapDateTime.optional(),
  expires: CapDateTime.optional(),
  senderName: Text.optional(),
  headline: Text.optional(),
  description: Text.optional(),
  instruction: Text.optional(),
  area: z.array(CapArea).default([]),
});
export type CapInfo = z.infer<typeof CapInfo>;

/** The parts of a CAP message gatecast reads; the rest (resources, parameters, signatures) is ignored. */
export const CapMessage = z.object({
  identifier: Required.regex(/^[^\s,<&]+$/, { error: "must not contain spaces, commas, < or &" }),
  sender: Required.regex(/^[^\s,<&]+$/, { error: "must not contain spaces, commas, < or &" }),
  sent: CapDateTime,
  status: CapStatus,
  msgType: z.enum(["Alert", "Update", "Cancel", "Ack", "Error"]),
  scope: z.enum(["Public", "Restricted", "Private"]),
  references: Text.optional(),
  info: z.array(CapInfo).default([]),
});
export type CapMessage = z.infer<typeof CapMessage>;

/** One earlier message named in `<references>`: "sender,identifier,sent", separated by spaces. */
export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}

export function parseReferences(text: string | undefined): CapReference[] {
  if (!text) return [];
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((triple) => {
      const [sender = "", identifier = "", sent = ""] = triple.split(",");
      return { sender, identifier, sent };
    })
    .filter((r) => r.sender && r.identifier);
}

const REPEATED = new Set([
  "info",
  "area",
  "geocode",
  "category",
  "responseType",
  "eventCode",
  "parameter",
  "resource",
  "polygon",
  "circle",
  "code",
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 20,
  isArray: (name) => REPEATED.has(name.includes(":") ? name.slice(name.indexOf(":") + 1) : name),
});

const malformed = (message: string, extra: ConstructorParameters<typeof AppError>[2] = {}) =>
  new AppError("cap-malformed", message, extra);

/** The five predefined entities and character references: the only ones XML has without a DTD. */
const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return NAMED[name] ?? "";
    const cp = dec ? Number(dec) : Number.parseInt(hex ?? "", 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : "\uFFFD";
  });
}

/**
 * Refusals made on the raw text, before any parser sees it: too large, a document type declaration
 * (which is where entities, external ones included, would be declared), an entity that is not one of
 * XML's own, or an encoding other than UTF-8.
 */
export function screenCapText(xml: string): void {
  const bytes = Buffer.byteLength(xml, "utf8");
  if (bytes > CAP_MAX_BYTES)
    throw new AppError("too-large", `a CAP message is at most ${CAP_MAX_BYTES} bytes`, {
      params: { maxBytes: CAP_MAX_BYTES, kind: "cap" },
    });
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml) || /<!\[\s*INCLUDE/i.test(xml))
    throw new AppError("cap-doctype", "CAP messages with a document type declaration or entities are refused");
  const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
  const entity = /&(?!(?:lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)[^\s;<]*;?/.exec(outsideCdata);
  if (entity)
    throw new AppError("cap-doctype", `entity ${entity[0].slice(0, 40)} is not one of XML's own`, {
      params: { entity: entity[0].slice(0, 40) },
    });
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(xml)?.[1];
  if (declared && !/^utf-?8$/i.test(declared))
    throw malformed(`encoding ${declared}: CAP messages are read as UTF-8`, { params: { encoding: declared } });
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** Element values without the root's namespace prefix and attributes, text decoded. */
function plain(value: unknown, prefix: string): unknown {
  if (typeof value === "string") return decode(value);
  if (Array.isArray(value)) return value.map((v) => plain(v, prefix));
  if (!isNode(value)) return value;
  const keys = Object.keys(value).filter((k) => !k.startsWith("@_"));
  if (keys.length === 1 && keys[0] === "#text") return plain(value["#text"], prefix);
  const out: Node = {};
  for (const k of keys) {
    const name = prefix && k.startsWith(`${prefix}:`) ? k.slice(prefix.length + 1) : k;
    // elements of other namespaces (an XML signature) keep their prefix and are ignored by the schema
    out[name] = plain(value[k], prefix);
  }
  return out;
}

/** Parses and checks a CAP 1.2 message, or refuses it with `cap-doctype`, `cap-malformed` or `too-large`. */
export function readCap(xml: string): CapMessage {
  screenCapText(xml);
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true)
    throw malformed(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`, {
      params: { line: valid.err.line },
    });
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    throw malformed(`not well-formed XML: ${(e as Error).message}`);
  }
  if (!isNode(doc)) throw malformed("empty document");
  const roots = Object.keys(doc).filter((k) => !k.startsWith("#") && !k.startsWith("?"));
  const rootName = roots[0];
  if (roots.length !== 1 || rootName === undefined)
    throw malformed("expected one root element <alert>", { params: { root: roots.join(",") } });
  const colon = rootName.indexOf(":");
  const prefix = colon >= 0 ? rootName.slice(0, colon) : "";
  const local = colon >= 0 ? rootName.slice(colon + 1) : rootName;
  const root = doc[rootName];
  const ns = isNode(root) ? root[prefix ? `@_xmlns:${prefix}` : "@_xmlns"] : undefined;
  if (local !== "alert" || ns !== CAP_NS)
    throw malformed(`expected <alert xmlns="${CAP_NS}">`, { params: { root: rootName, namespace: String(ns ?? "") } });
  const parsed = checkInput(CapMessage, plain(root, prefix));
  if (!parsed.ok) throw malformed("not a CAP 1.2 message gatecast can read", { issues: parsed.issues });
  return parsed.data;
}
