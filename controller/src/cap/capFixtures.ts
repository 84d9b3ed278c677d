import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * Test helpers: CAP 1.2 messages written the way agencies send them, and validation against the OASIS
 * schema kept in fixtures/ (Debian's xmllint, from libxml2-utils).
 */

export const CAP_XSD = join(import.meta.dirname, "fixtures", "CAP-v1.2.xsd");

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** CAP's dateTime with the gate's offset (+07:00), as Vietnamese agencies write it. */
export function capTime(ms: number): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + 7 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+07:00`;
}

export interface InfoSpec {
  language: string;
  severity?: string;
  headline: string;
  description?: string;
  areas: (string | { desc: string; geocode?: [string, string] })[];
  onset?: number;
  expires?: number;
}

export interface CapSpec {
  identifier?: string;
  sender?: string;
  sent?: number;
  status?: string;
  msgType?: string;
  references?: string;
  infos?: InfoSpec[];
  /** Raw text put before the root element (a DOCTYPE, for refusal tests). */
  prolog?: string;
}

/** A CAP 1.2 message; by default an Actual Alert for Hữu Nghị in Vietnamese and Chinese, live for two hours. */
export function capXml(spec: CapSpec = {}, now = Date.now()): string {
  const infos: InfoSpec[] = spec.infos ?? [
    {
      language: "vi-VN",
      headline: "Tạm dừng thông quan hàng hóa",
      description: "Luồng hàng hóa tạm dừng do sự cố kỹ thuật & kiểm tra an ninh.",
      areas: ["Cửa khẩu Quốc tế Hữu Nghị"],
    },
    {
      language: "zh-CN",
      headline: "货物暂停通关",
      description: "因技术故障及安全检查，货物通道暂停。",
      areas: ["友谊国际口岸"],
    },
  ];
  const info = infos
    .map((i) => {
      const areas = i.areas
        .map((a) => {
          const { desc, geocode } = typeof a === "string" ? { desc: a, geocode: undefined } : a;
          const code = geocode
            ? `\n      <geocode><valueName>${esc(geocode[0])}</valueName><value>${esc(geocode[1])}</value></geocode>`
            : "";
          return `    <area>\n      <areaDesc>${esc(desc)}</areaDesc>${code}\n    </area>`;
        })
        .join("\n");
      const expires = i.expires === undefined ? now + 2 * 3_600_000 : i.expires;
      return `  <info>
    <language>${i.language}</language>
    <category>Transport</category>
    <event>${esc(i.headline)}</event>
    <urgency>Immediate</urgency>
    <severity>${i.severity ?? "Severe"}</severity>
    <certainty>Observed</certainty>
    <onset>${capTime(i.onset ?? now - 60_000)}</onset>
${Number.isNaN(expires) ? "" : `    <expires>${capTime(expires)}</expires>\n`}    <senderName>Bộ đội Biên phòng tỉnh Lạng Sơn</senderName>
    <headline>${esc(i.headline)}</headline>
${i.description ? `    <description>${esc(i.description)}</description>\n` : ""}${areas}
  </info>`;
    })
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
${spec.prolog ?? ""}<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${spec.identifier ?? "BDBP-LS-0142"}</identifier>
  <sender>${spec.sender ?? "bdbp-langson@bienphong.gov.vn"}</sender>
  <sent>${capTime(spec.sent ?? now - 60_000)}</sent>
  <status>${spec.status ?? "Actual"}</status>
  <msgType>${spec.msgType ?? "Alert"}</msgType>
  <scope>Public</scope>
${spec.references ? `  <references>${spec.references}</references>\n` : ""}${info}
</alert>
`;
}

/** xmllint's verdict on a document: against the CAP 1.2 schema, or (no schema) well-formedness only. */
export function xmllint(xml: string, schema: string | null = CAP_XSD): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "gatecast-xmllint-"));
  const file = join(dir, "doc.xml");
  writeFileSync(file, xml);
  try {
    const args = ["--noout", "--nonet", ...(schema ? ["--schema", schema] : []), file];
    const r = spawnSync("xmllint", args, { encoding: "utf8" });
    if (r.error) throw new Error(`xmllint: ${r.error.message} (install libxml2-utils: scripts/install-test-deps.sh)`);
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
