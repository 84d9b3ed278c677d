import { Readable } from "node:stream";
import memoryPersistence, { type AedesMemoryPersistence, type Packet } from "aedes-persistence";

const hasWildcard = (pattern: string) => pattern.includes("+") || pattern.includes("#");

/**
 * Aedes' memory persistence, with retained messages also indexed by exact topic.
 *
 * The stock one answers every subscription by testing each retained topic against it, so when 1000
 * screens reconnect after a restart, each of their subscriptions walks 1000+ retained manifests:
 * quadratic, and it was most of the embedded broker's restart time. Screens only ever subscribe to
 * exact topics, which this answers from a map; wildcard patterns (the controller's) still go to the
 * stock lookup.
 */
export function retainedIndexedPersistence(): AedesMemoryPersistence {
  const persistence = memoryPersistence();
  const byTopic = new Map<string, Packet>();
  const combi = persistence.createRetainedStreamCombi.bind(persistence);

  // Aedes calls this without a callback and awaits what it returns (the typings only know the callback form).
  const storeRetained = persistence.storeRetained.bind(persistence) as unknown as (packet: Packet) => Promise<void>;
  persistence.storeRetained = ((packet: Packet) => {
    // only PUBLISH packets are ever retained
    if (packet.cmd === "publish") {
      if (packet.payload.length === 0) byTopic.delete(packet.topic);
      else byTopic.set(packet.topic, { ...packet });
    }
    return storeRetained(packet);
  }) as unknown as AedesMemoryPersistence["storeRetained"];
  persistence.createRetainedStreamCombi = (patterns) => {
    if (patterns.some(hasWildcard)) return combi(patterns);
    return Readable.from(patterns.flatMap((p) => byTopic.get(p) ?? []));
  };
  return persistence;
}
