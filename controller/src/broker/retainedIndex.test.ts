import { Aedes } from "aedes";
import type { Packet } from "aedes-persistence";
import { describe, expect, it } from "vitest";
import { retainedIndexedPersistence } from "./retainedIndex.ts";

const packet = (topic: string, payload: string) =>
  ({ cmd: "publish", topic, payload: Buffer.from(payload), qos: 1, retain: true, dup: false }) as unknown as Packet;

async function read(stream: NodeJS.ReadableStream): Promise<string[]> {
  const out: string[] = [];
  for await (const p of stream as AsyncIterable<{ topic: string; payload: Buffer }>)
    out.push(`${p.topic}=${p.payload.toString()}`);
  return out.sort();
}

describe("retained messages indexed by topic", () => {
  it("answers exact topics from the index and patterns the stock way, and forgets cleared topics", async () => {
    const p = retainedIndexedPersistence();
    const broker = await Aedes.createBroker({ persistence: p });
    const store = (pk: Packet) => (p.storeRetained as unknown as (pk: Packet) => Promise<void>)(pk);
    await store(packet("screens/a/manifest", "A1"));
    await store(packet("screens/b/manifest", "B1"));
    await store(packet("screens/a/manifest", "A2"));
    await store(packet("gates/huu-nghi/alert", "G"));

    expect(
      await read(p.createRetainedStreamCombi(["screens/a/manifest", "gates/huu-nghi/alert", "screens/x/cmd"])),
    ).toEqual(["gates/huu-nghi/alert=G", "screens/a/manifest=A2"]);
    expect(await read(p.createRetainedStreamCombi(["screens/+/manifest"]))).toEqual([
      "screens/a/manifest=A2",
      "screens/b/manifest=B1",
    ]);

    await store(packet("gates/huu-nghi/alert", "")); // an empty retained payload clears the topic
    expect(await read(p.createRetainedStreamCombi(["gates/huu-nghi/alert"]))).toEqual([]);
    expect(await read(p.createRetainedStreamCombi(["gates/#"]))).toEqual([]);
    await new Promise<void>((res) => broker.close(() => res()));
  });
});
