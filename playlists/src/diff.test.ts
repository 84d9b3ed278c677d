import { describe, expect, it } from "vitest";
import {
  diffContent,
  EMPTY_CONTENT,
  isEmptyDiff,
  type ReleasedContent,
  releaseFingerprint,
  sameReleasedContent,
} from "./diff.ts";
import type { Gate, Item, Playlist, ScheduleEntry } from "./schema/content.ts";

const gate = (id: string, defaultPlaylist = "p1"): Gate => ({
  id,
  name: { vi: `Cửa khẩu ${id}`, zh: `口岸 ${id}` },
  timezone: "Asia/Ho_Chi_Minh",
  defaultPlaylist,
  languages: ["vi", "zh"],
});
const notice = (id: string, duration = 10): Item => ({
  id,
  kind: "notice",
  category: "promotion",
  duration,
  title: { vi: "Tiêu đề" },
  body: { vi: "Nội dung" },
  layout: "stacked",
});
const withSource = (item: Item, agency: string): Item => ({ ...item, source: { agency: { vi: agency } } });
const playlist = (id: string, items: string[]): Playlist => ({ id, name: id, items });
const schedule = (id: string, priority = 0): ScheduleEntry => ({
  id,
  playlist: "p1",
  targets: {},
  days: ["mon"],
  priority,
});

const base: ReleasedContent = {
  gates: [gate("g1")],
  items: [notice("a"), notice("b")],
  playlists: [playlist("p1", ["a", "b"])],
  schedules: [schedule("s1"), schedule("s2")],
  webHosts: ["langson.gov.vn"],
  media: [{ sha256: "a".repeat(64), bytes: 10, mime: "image/png" }],
};

describe("diffContent", () => {
  it("is empty for the same content", () => {
    const d = diffContent(base, structuredClone(base));
    expect(isEmptyDiff(d)).toBe(true);
    expect(d.items).toEqual({ added: [], removed: [], changed: [] });
    expect(d.scheduleOrder).toBeNull();
  });

  it("names added and removed ids, and changed objects with before and after", () => {
    const after: ReleasedContent = {
      ...base,
      items: [notice("a", 20), notice("c")],
      playlists: [playlist("p1", ["a", "c"]), playlist("p2", ["a"])],
    };
    const d = diffContent(base, after);
    expect(d.items.added).toEqual(["c"]);
    expect(d.items.removed).toEqual(["b"]);
    expect(d.items.changed).toEqual([{ id: "a", before: notice("a"), after: notice("a", 20) }]);
    expect(d.playlists).toEqual({
      added: ["p2"],
      removed: [],
      changed: [{ id: "p1", before: playlist("p1", ["a", "b"]), after: playlist("p1", ["a", "c"]) }],
    });
    expect(d.gates).toEqual({ added: [], removed: [], changed: [] });
    expect(isEmptyDiff(d)).toBe(false);
  });

  it("ignores key order inside objects and the order of items, gates and playlists", () => {
    const reordered: ReleasedContent = {
      ...base,
      items: [notice("b"), { ...notice("a") }].map((i) => Object.fromEntries(Object.entries(i).reverse()) as Item),
    };
    expect(isEmptyDiff(diffContent(base, reordered))).toBe(true);
    expect(sameReleasedContent(base, reordered)).toBe(true);
  });

  it("reports a new schedule order, which changes priority ties", () => {
    const after = { ...base, schedules: [schedule("s2"), schedule("s1")] };
    const d = diffContent(base, after);
    expect(d.scheduleOrder).toEqual({ before: ["s1", "s2"], after: ["s2", "s1"] });
    expect(d.schedules.changed).toEqual([]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(sameReleasedContent(base, after)).toBe(false);
  });

  it("does not call an addition or removal alone a reorder", () => {
    const after = { ...base, schedules: [schedule("s0"), schedule("s2")] };
    const d = diffContent(base, after);
    expect(d.scheduleOrder).toBeNull();
    expect(d.schedules.added).toEqual(["s0"]);
    expect(d.schedules.removed).toEqual(["s1"]);
  });

  it("shows a change of source alone as a change of the item, with the agencies before and after", () => {
    const before = { ...base, items: [withSource(notice("a"), "Cục Hải quan tỉnh Lạng Sơn"), notice("b")] };
    const after = { ...base, items: [withSource(notice("a"), "Chi cục Hải quan cửa khẩu Hữu Nghị"), notice("b")] };
    const d = diffContent(before, after);
    expect(d.items.changed.map((c) => [c.id, c.before.source?.agency.vi, c.after.source?.agency.vi])).toEqual([
      ["a", "Cục Hải quan tỉnh Lạng Sơn", "Chi cục Hải quan cửa khẩu Hữu Nghị"],
    ]);
    expect(isEmptyDiff(diffContent(base, { ...base, items: [withSource(notice("a"), "X"), notice("b")] }))).toBe(false);
  });

  it("diffs web hosts and media as sets", () => {
    const after = {
      ...base,
      webHosts: ["langson.gov.vn", "vietnam.travel"],
      media: [{ sha256: "b".repeat(64), bytes: 5, mime: "image/png" }],
    };
    const d = diffContent(base, after);
    expect(d.webHosts).toEqual({ added: ["vietnam.travel"], removed: [] });
    expect(d.media).toEqual({ added: ["b".repeat(64)], removed: ["a".repeat(64)] });
  });

  it("against nothing, everything is added", () => {
    const d = diffContent(EMPTY_CONTENT, base);
    expect(d.items.added).toEqual(["a", "b"]);
    expect(d.gates.added).toEqual(["g1"]);
    expect(d.scheduleOrder).toBeNull();
  });
});

describe("releaseFingerprint", () => {
  it("leaves screens and alerts out: they are not part of a release", () => {
    const withScreens = {
      ...base,
      screens: [{ id: "x", gate: "g1", name: "X", tags: [], orientation: "landscape" as const }],
      alerts: [],
    };
    expect(releaseFingerprint(withScreens)).toBe(releaseFingerprint(base));
  });

  it("agrees with the diff on whether anything changed", () => {
    const variants: ReleasedContent[] = [
      base,
      { ...base, gates: [gate("g1", "p2")] },
      { ...base, schedules: [schedule("s1", 5), schedule("s2")] },
      { ...base, webHosts: [] },
      { ...base, items: [...base.items].reverse() },
    ];
    for (const a of variants)
      for (const b of variants) expect(sameReleasedContent(a, b)).toBe(isEmptyDiff(diffContent(a, b)));
  });
});
