import type { Alert, Gate, Language } from "@gatecast/playlists";
import { XMLBuilder } from "fast-xml-parser";
import { CAP_LANGUAGE_TAG, CAP_SEVERITY_OUT } from "./map.ts";
import { CAP_NS } from "./read.ts";

/*
 * gatecast's urgent notices as CAP 1.2 messages, and the Atom feed that lists them. Element order
 * follows the OASIS schema's sequences (tests validate against CAP-v1.2.xsd). Pure.
 */

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  processEntities: true,
});

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** CAP's dateTime: seconds, an explicit offset, and UTC written as -00:00 (never "Z"). */
export function capDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}-00:00`;
}

const EVENT: Record<Language, string> = { vi: "Thông báo khẩn", zh: "紧急通知", en: "Urgent notice" };

export interface CapOut {
  alert: Alert;
  /** When the notice was sent. */
  sentAt: number;
  /** When it was last changed, if it was: the message is then an Update referencing the first. */
  updatedAt?: number | undefined;
  /** The gates it reaches (its own, or its screens'). */
  gates: readonly Gate[];
  /** Who writes: the controller's host, e.g. "gatecast@langson.gov.vn". */
  sender: string;
}

/** The identifier gatecast gives its message for an alert. */
export const capIdentifier = (alertId: string): string => `gatecast-alert-${alertId}`;

/** One alert as a CAP 1.2 Alert message: one `<info>` per language it has, one `<area>` per gate. */
export function alertToCap({ alert, sentAt, updatedAt, gates, sender }: CapOut): string {
  const updated = updatedAt !== undefined && updatedAt > sentAt;
  const langs = (["vi", "zh", "en"] as const).filter((l) => alert.message[l] !== undefined);
  const info = langs.map((l) => {
    const text = alert.message[l] ?? "";
    return {
      language: CAP_LANGUAGE_TAG[l],
      category: ["Safety"],
      event: EVENT[l],
      urgency: "Immediate",
      severity: CAP_SEVERITY_OUT[alert.severity],
      certainty: "Observed",
      effective: capDateTime(Date.parse(alert.startsAt)),
      onset: capDateTime(Date.parse(alert.startsAt)),
      expires: capDateTime(Date.parse(alert.expiresAt)),
      senderName: "gatecast",
      headline: text.length > 160 ? `${text.slice(0, 159)}…` : text,
      description: text,
      area: gates.map((g) => ({
        areaDesc: g.name[l] ?? g.name.vi,
        geocode: [{ valueName: "gatecast-gate", value: g.id }],
      })),
    };
  });
  return (
    DECLARATION +
    builder.build({
      alert: {
        "@_xmlns": CAP_NS,
        identifier: updated ? `${capIdentifier(alert.id)}-${Math.floor(updatedAt / 1000)}` : capIdentifier(alert.id),
        sender,
        sent: capDateTime(updated ? updatedAt : sentAt),
        status: "Actual",
        msgType: updated ? "Update" : "Alert",
        scope: "Public",
        ...(updated ? { references: `${sender},${capIdentifier(alert.id)},${capDateTime(sentAt)}` } : {}),
        info,
      },
    })
  );
}

export interface FeedEntry {
  alert: Alert;
  sentAt: number;
  updatedAt?: number | undefined;
}

/** The Atom feed (RFC 4287) of live notices, each entry linking to its CAP message at `/cap/{id}.xml`. */
export function capFeed(opts: { origin: string; entries: readonly FeedEntry[]; now: number }): string {
  const changed = (e: FeedEntry) => Math.max(e.sentAt, e.updatedAt ?? 0);
  const updated = opts.entries.reduce((t, e) => Math.max(t, changed(e)), 0) || opts.now;
  return (
    DECLARATION +
    builder.build({
      feed: {
        "@_xmlns": "http://www.w3.org/2005/Atom",
        "@_xml:lang": "vi",
        id: `${opts.origin}/cap/feed.atom`,
        title: "gatecast — Thông báo khẩn / 紧急通知 / Urgent notices",
        updated: new Date(updated).toISOString(),
        author: { name: "gatecast" },
        link: [{ "@_rel": "self", "@_type": "application/atom+xml", "@_href": `${opts.origin}/cap/feed.atom` }],
        entry: opts.entries.map((e) => ({
          id: `${opts.origin}/cap/${e.alert.id}.xml`,
          title: e.alert.message.vi,
          updated: new Date(changed(e)).toISOString(),
          link: [
            {
              "@_rel": "alternate",
              "@_type": "application/cap+xml",
              "@_href": `${opts.origin}/cap/${e.alert.id}.xml`,
            },
          ],
          summary: [e.alert.message.vi, e.alert.message.zh, e.alert.message.en].filter(Boolean).join(" / "),
        })),
      },
    })
  );
}
