import type { PlayRecord } from "@gatecast/playlists";
import { describe, expect, it } from "vitest";
import { memoryPlayStore, PlayBuffer } from "./plays.ts";

const rec = (n: number): PlayRecord => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  item: "notice-1",
  playlist: "default",
  startedAt: new Date(Date.UTC(2026, 10, 23, 0, 0, n)).toISOString(),
  durationMs: 10_000,
});

function setup(opts: { failPublish?: boolean } = {}) {
  const store = memoryPlayStore();
  const sent: PlayRecord[][] = [];
  let now = 0;
  const buffer = new PlayBuffer({
    store,
    now: () => now,
    resendAfterMs: 60_000,
    publish: async (records) => {
      if (opts.failPublish) throw new Error("not connected");
      sent.push(records);
    },
  });
  return { store, sent, buffer, advance: (ms: number) => (now += ms) };
}

describe("PlayBuffer", () => {
  it("stores while offline and sends nothing", async () => {
    const { store, sent, buffer } = setup();
    await buffer.record(rec(1));
    await buffer.record(rec(2));
    expect(sent).toEqual([]);
    expect(await store.count()).toBe(2);
  });

  it("sends the oldest first when connected and deletes only what the controller acknowledged", async () => {
    const { store, sent, buffer } = setup();
    await buffer.record(rec(2));
    await buffer.record(rec(1));
    await buffer.setConnected(true);
    expect(sent).toEqual([[rec(1), rec(2)]]);
    await buffer.acknowledged([rec(1).id]);
    expect(await store.count()).toBe(1);
    expect(sent).toHaveLength(1); // rec(2) still awaits its ack
    await buffer.acknowledged([rec(2).id]);
    expect(await store.count()).toBe(0);
  });

  it("sends at most 500 per batch and the next batch after the ack", async () => {
    const { sent, buffer } = setup();
    for (let i = 0; i < 620; i++) await buffer.record(rec(i));
    await buffer.setConnected(true);
    expect(sent.map((b) => b.length)).toEqual([500]);
    await buffer.acknowledged((sent[0] ?? []).map((r) => r.id));
    expect(sent.map((b) => b.length)).toEqual([500, 120]);
  });

  it("resends an unacknowledged batch after a reconnect, with the same ids", async () => {
    const { sent, buffer } = setup();
    await buffer.record(rec(1));
    await buffer.setConnected(true);
    await buffer.setConnected(false);
    await buffer.setConnected(true);
    expect(sent).toEqual([[rec(1)], [rec(1)]]);
  });

  it("resends after the ack timeout", async () => {
    const { sent, buffer, advance } = setup();
    await buffer.setConnected(true);
    await buffer.record(rec(1));
    await buffer.tick();
    expect(sent).toHaveLength(1);
    advance(61_000);
    await buffer.tick();
    expect(sent).toEqual([[rec(1)], [rec(1)]]);
  });

  it("keeps records when publishing fails", async () => {
    const { store, buffer } = setup({ failPublish: true });
    await buffer.setConnected(true);
    await buffer.record(rec(1));
    expect(await store.count()).toBe(1);
    expect(buffer.awaitingAck).toBe(0);
  });

  it("ignores acknowledgements of unknown ids", async () => {
    const { store, buffer } = setup();
    await buffer.record(rec(1));
    await buffer.acknowledged(["11111111-1111-4111-8111-111111111111"]);
    expect(await store.count()).toBe(1);
  });

  it("sends the next batch at once when the controller's ack comes before the broker's PUBACK", async () => {
    const store = memoryPlayStore();
    for (let i = 1; i <= 3; i++) await store.add(rec(i));
    const sent: PlayRecord[][] = [];
    let buffer: PlayBuffer | null = null;
    buffer = new PlayBuffer({
      store,
      now: () => 0,
      batchSize: 1,
      publish: async (records) => {
        sent.push(records);
        // the controller answers while the publish is still waiting for its PUBACK
        void buffer?.acknowledged(records.map((r) => r.id));
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    await buffer.setConnected(true);
    expect(sent.map((b) => b.map((r) => r.id))).toEqual([[rec(1).id], [rec(2).id], [rec(3).id]]);
    expect(await store.count()).toBe(0);
  });
});
