/**
 * Bandwidth of a small change: a 20-item image playlist, one item's image replaced, released. What each
 * screen downloads for it (HTTP media bytes + manifest bytes over MQTT) against the playlist's media.
 */
import { itemIdOf, makePng, release, setupGate, startFleet, waitFor } from "@gatecast/sim";
import type { Installation } from "../harness/installation.ts";

export interface BandwidthRow {
  screens: number;
  items: number;
  /** Every media file of the playlist, once. */
  playlistMediaBytes: number;
  /** The replacement image. */
  changedFileBytes: number;
  /** Per screen, for the change: min and max over the fleet. */
  mediaBytes: { min: number; max: number };
  mediaFiles: { min: number; max: number };
  manifestBytes: { min: number; max: number };
  manifests: { min: number; max: number };
  /** Media + manifest bytes per screen as a share of the playlist's media. */
  shareOfPlaylist: number;
  /** Every screen downloaded exactly the changed file and one manifest. */
  onlyChangedFile: boolean;
}

const range = (v: number[]) => ({ min: Math.min(...v), max: Math.max(...v) });

export async function benchBandwidth(env: Installation, screens: number, gate = "bench-bw"): Promise<BandwidthRow> {
  const ITEMS = 20;
  const files = [];
  for (let i = 0; i < ITEMS; i++) {
    // 30–90 KB each, every one different
    const png = makePng(120 + (i % 5) * 20, 90 + (i % 4) * 20, i + 1);
    files.push(await env.api.upload(`bench-${i + 1}.png`, png, "image/png"));
  }
  await setupGate(
    env.api,
    { gate, items: files.map((f) => ({ kind: "image" as const, seconds: 5, media: f.sha256 })) },
    "bench: 20-item playlist",
  );
  const creds = await env.provision({ count: screens, gates: [gate] });
  const fleet = startFleet({ controllerUrl: env.controller.url, credentials: creds, rampPerSecond: 500 });
  try {
    await waitFor(
      () => (fleet.screens.every((s) => s.connected && s.inSync && s.mediaReady) ? true : undefined),
      120_000,
      "the bandwidth fleet's first sync",
    );
    const before = fleet.screens.map((s) => ({ ...s.stats, version: s.currentVersion ?? 0 }));

    const changed = makePng(160, 120, 1000);
    const upload = await env.api.upload("bench-changed.png", changed, "image/png");
    const index = 6;
    await env.api.must("PUT", `/api/v1/items/${itemIdOf(gate, index)}`, {
      id: itemIdOf(gate, index),
      kind: "image",
      category: "tourism",
      duration: 5,
      media: upload.sha256,
    });
    await release(env.api, "bench: one image replaced");
    await waitFor(
      () =>
        fleet.screens.every((s, i) => (s.currentVersion ?? 0) > (before[i]?.version ?? 0) && s.mediaReady)
          ? true
          : undefined,
      120_000,
      "every screen switching to the changed playlist",
      50,
    );
    const delta = fleet.screens.map((s, i) => {
      const b = before[i];
      return {
        mediaBytes: s.stats.mediaBytes - (b?.mediaBytes ?? 0),
        mediaFiles: s.stats.mediaFiles - (b?.mediaFiles ?? 0),
        manifestBytes: s.stats.manifestBytes - (b?.manifestBytes ?? 0),
        manifests: s.stats.manifestMessages - (b?.manifestMessages ?? 0),
      };
    });
    const playlistMediaBytes = files.reduce((n, f) => n + f.bytes, 0);
    const perScreen = Math.max(...delta.map((d) => d.mediaBytes + d.manifestBytes));
    return {
      screens: fleet.screens.length,
      items: ITEMS,
      playlistMediaBytes,
      changedFileBytes: upload.bytes,
      mediaBytes: range(delta.map((d) => d.mediaBytes)),
      mediaFiles: range(delta.map((d) => d.mediaFiles)),
      manifestBytes: range(delta.map((d) => d.manifestBytes)),
      manifests: range(delta.map((d) => d.manifests)),
      shareOfPlaylist: Math.round((perScreen / playlistMediaBytes) * 1000) / 1000,
      onlyChangedFile: delta.every((d) => d.mediaFiles === 1 && d.mediaBytes === upload.bytes && d.manifests === 1),
    };
  } finally {
    await fleet.stop();
  }
}
