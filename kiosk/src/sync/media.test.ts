import { describe, expect, it } from "vitest";
import { memoryMediaStore, sha256Hex } from "./media-cache.ts";
import { countReady, evictable, mediaUrlOf, planMedia, type ResolvedMedia, resolveMedia } from "./media-plan.ts";
import { browserFetchBytes, syncMedia } from "./media-sync.ts";
import { bytesOf, manifest, mediaFixture, ORIGIN } from "./testing.ts";

const m = (sha: string, url = `${ORIGIN}/media/${sha}`): ResolvedMedia => ({
  sha256: sha,
  bytes: 1,
  mime: "image/png",
  url,
});

describe("resolveMedia", () => {
  it("resolves relative URLs against the controller origin and lists each once", async () => {
    const f = await mediaFixture("a");
    const man = manifest(1, [f]);
    const twice = { media: [...man.media, ...man.media] };
    expect(resolveMedia(twice, ORIGIN)).toEqual([
      { sha256: f.sha256, bytes: 1, mime: "image/png", url: `${ORIGIN}/media/${f.sha256}` },
    ]);
    expect(mediaUrlOf(man, f.sha256, ORIGIN)).toBe(`${ORIGIN}/media/${f.sha256}`);
    expect(mediaUrlOf(man, "0".repeat(64), ORIGIN)).toBeNull();
    expect(resolveMedia({ media: [{ ...man.media[0], url: "https://cdn.test/x" } as never] }, ORIGIN)[0]?.url).toBe(
      "https://cdn.test/x",
    );
  });
});

describe("planMedia", () => {
  it("keeps what is cached, copies a hash cached elsewhere, downloads the rest", () => {
    const cached = new Map([
      [`${ORIGIN}/media/aa`, "aa"],
      ["https://old-mirror.test/bb", "bb"],
      [`${ORIGIN}/media/cc`, "zz"],
    ]);
    const plan = planMedia([m("aa"), m("bb"), m("cc"), m("dd")], cached);
    expect(plan.ready.map((x) => x.sha256)).toEqual(["aa"]);
    expect(plan.copy).toEqual([{ media: m("bb"), from: "https://old-mirror.test/bb" }]);
    expect(plan.download.map((x) => x.sha256)).toEqual(["cc", "dd"]);
    expect(countReady([m("aa"), m("bb")], cached)).toBe(1);
  });

  it("evicts only what no manifest in use needs", () => {
    const cached = new Map([
      [`${ORIGIN}/media/aa`, "aa"],
      [`${ORIGIN}/media/bb`, "bb"],
      [`${ORIGIN}/media/cc`, "cc"],
      [`${ORIGIN}/media/dd`, "xx"],
    ]);
    expect(evictable(cached, [[m("aa")], [m("cc"), m("dd")]])).toEqual([`${ORIGIN}/media/bb`, `${ORIGIN}/media/dd`]);
    expect(evictable(cached, [])).toHaveLength(4);
  });
});

describe("syncMedia", () => {
  const setup = async () => {
    const a = await mediaFixture("image a");
    const b = await mediaFixture("image b");
    const needed = resolveMedia(manifest(1, [a, b]), ORIGIN);
    const store = memoryMediaStore();
    const errors: string[] = [];
    const progress: [number, number][] = [];
    const waits: number[] = [];
    return { a, b, needed, store, errors, progress, waits };
  };

  it("downloads, verifies and stores every file, reporting progress", async () => {
    const { a, b, needed, store, progress } = await setup();
    const bodies = new Map([
      [needed[0]?.url, a.body],
      [needed[1]?.url, b.body],
    ]);
    await syncMedia(needed, {
      store,
      fetchBytes: async (url) => bodies.get(url) ?? bytesOf("?"),
      digest: sha256Hex,
      onProgress: (r, t) => progress.push([r, t]),
      onError: () => undefined,
      random: () => 0.5,
      signal: new AbortController().signal,
    });
    expect(store.files.size).toBe(2);
    expect(progress.at(0)).toEqual([0, 2]);
    expect(progress.at(-1)).toEqual([2, 2]);
  });

  it("never keeps a file whose hash differs, and retries with backoff until it is right", async () => {
    const { a, needed, store, errors, waits } = await setup();
    const only = needed.slice(0, 1);
    let calls = 0;
    await syncMedia(only, {
      store,
      fetchBytes: async () => {
        calls++;
        if (calls === 1) throw new Error("HTTP 503");
        if (calls === 2) return bytesOf("image A"); // same size, wrong bytes
        if (calls === 3) return bytesOf("short");
        return a.body;
      },
      digest: sha256Hex,
      onProgress: () => undefined,
      onError: (kind, msg) => errors.push(`${kind}: ${msg}`),
      random: () => 0.5,
      signal: new AbortController().signal,
      wait: async (ms) => {
        waits.push(ms);
        expect(store.files.size).toBe(0);
      },
    });
    expect(calls).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(errors[0]).toMatch(/^download-failed: .*503/);
    expect(errors[1]).toMatch(/^hash-mismatch: .*hashes to/);
    expect(errors[2]).toMatch(/^hash-mismatch: .*bytes/);
    expect([...store.files.values()][0]?.sha256).toBe(a.sha256);
  });

  it("copies a file cached under another URL instead of downloading it", async () => {
    const { a, needed, store } = await setup();
    await store.put({ ...(needed[0] as ResolvedMedia), url: "https://mirror.test/a" }, a.body);
    let fetched = 0;
    await syncMedia(needed.slice(0, 1), {
      store,
      fetchBytes: async () => {
        fetched++;
        return a.body;
      },
      digest: sha256Hex,
      onProgress: () => undefined,
      onError: () => undefined,
      random: () => 0.5,
      signal: new AbortController().signal,
    });
    expect(fetched).toBe(0);
    expect(store.files.has(needed[0]?.url ?? "")).toBe(true);
  });

  it("stops when aborted", async () => {
    const { needed, store } = await setup();
    const ac = new AbortController();
    const p = syncMedia(needed, {
      store,
      fetchBytes: async () => {
        ac.abort();
        throw new Error("offline");
      },
      digest: sha256Hex,
      onProgress: () => undefined,
      onError: () => undefined,
      random: () => 0.5,
      signal: ac.signal,
    });
    await expect(p).rejects.toThrow();
    expect(store.files.size).toBe(0);
  });
});

describe("browserFetchBytes", () => {
  it("never uses the HTTP cache, first try or retry (a corrupt body kept there would come back as a 304)", async () => {
    const modes: (RequestCache | undefined)[] = [];
    const fetchBytes = browserFetchBytes(async (_url, init) => {
      modes.push(init?.cache);
      return new Response(new Uint8Array([1, 2, 3]));
    });
    const signal = new AbortController().signal;
    for (let i = 0; i < 3; i++) expect((await fetchBytes(`${ORIGIN}/media/aa`, signal)).byteLength).toBe(3);
    expect(modes).toEqual(["no-store", "no-store", "no-store"]);
  });
});
