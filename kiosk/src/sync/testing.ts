/* Fixtures shared by the sync tests (and usable by the fleet simulator): a tiny gate, a signing key, and
 * signed manifests whose media bytes are known. Node or browser; no DOM. */
import {
  buildManifest,
  Content,
  compileScreenProgram,
  type GateAlertsPayload,
  generateKeyPair,
  importSigningKey,
  jwksOf,
  type ManifestPayload,
  type SignedEnvelope,
  type SigningKey,
  signPayload,
} from "@gatecast/playlists";
import { sha256Hex } from "./media-cache.ts";

export const SCREEN = "hn-arrivals-1";
export const GATE = "huu-nghi";
export const ORIGIN = "https://controller.test";

export async function makeKey(): Promise<SigningKey> {
  return importSigningKey(await generateKeyPair());
}

export const bytesOf = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

export interface MediaFixture {
  sha256: string;
  body: ArrayBuffer;
}

export async function mediaFixture(text: string): Promise<MediaFixture> {
  const body = bytesOf(text);
  return { sha256: await sha256Hex(body), body };
}

export function content(media: readonly MediaFixture[]): Content {
  return Content.parse({
    gates: [
      {
        id: GATE,
        name: { vi: "Cửa khẩu Quốc tế Hữu Nghị", zh: "友谊国际口岸" },
        defaultPlaylist: "default",
      },
    ],
    screens: [{ id: SCREEN, gate: GATE, name: "Sảnh nhập cảnh 1", tags: ["arrivals"] }],
    items: [
      {
        id: "notice-1",
        kind: "notice",
        category: "procedure",
        duration: 10,
        title: { vi: "Khai báo hải quan", zh: "海关申报" },
        body: { vi: "Vui lòng khai báo.", zh: "请申报。" },
      },
      ...media.map((m, i) => ({
        id: `image-${i + 1}`,
        kind: "image",
        category: "tourism",
        duration: 8,
        media: m.sha256,
      })),
    ],
    playlists: [{ id: "default", name: "Default", items: ["notice-1", ...media.map((_, i) => `image-${i + 1}`)] }],
    media: media.map((m) => ({ sha256: m.sha256, bytes: m.body.byteLength, mime: "image/png" })),
  });
}

export function manifest(
  version: number,
  media: readonly MediaFixture[],
  opts: { issuedAt?: number; ttlMs?: number; screenId?: string } = {},
): ManifestPayload {
  const m = buildManifest(compileScreenProgram(content(media), SCREEN), {
    version,
    release: version,
    issuedAt: opts.issuedAt ?? Date.parse("2026-11-23T00:00:00Z"),
    ttlMs: opts.ttlMs ?? 30 * 86_400_000,
    mediaUrl: (sha) => `/media/${sha}`,
  });
  return opts.screenId ? { ...m, screenId: opts.screenId } : m;
}

export function signed(payload: object, key: SigningKey): Promise<SignedEnvelope> {
  return signPayload(payload as Record<string, unknown>, key);
}

export function gateAlerts(seq: number, alerts: GateAlertsPayload["alerts"] = []): GateAlertsPayload {
  return { gate: GATE, seq, issuedAt: "2026-11-23T00:00:00Z", alerts };
}

export { jwksOf };
