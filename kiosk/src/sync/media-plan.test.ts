import { describe, expect, it } from "vitest";
import { planMedia, resolveMedia } from "./media-plan.ts";

describe("resolveMedia with a URL claimed by two hashes", () => {
  it("keeps both, so the one the URL does not serve is downloaded, fails its hash, and blocks the switch", () => {
    const a = "a".repeat(64);
    const f = "f".repeat(64);
    const needed = resolveMedia(
      {
        media: [
          { sha256: a, bytes: 3, mime: "image/png", url: "/media/x" },
          { sha256: f, bytes: 3, mime: "image/png", url: "/media/x" },
        ],
      },
      "https://c.example",
    );
    expect(needed.map((m) => m.sha256)).toEqual([a, f]);
    const plan = planMedia(needed, new Map([["https://c.example/media/x", a]]));
    expect(plan.ready.map((m) => m.sha256)).toEqual([a]);
    expect(plan.download.map((m) => m.sha256)).toEqual([f]);
  });
});
