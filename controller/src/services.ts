import type { Broker } from "./broker/embedded.ts";
import type { Commands } from "./features/commands.ts";
import type { Metrics } from "./features/metrics.ts";
import type { Pairings } from "./features/pairing.ts";
import type { Publisher } from "./features/publisher.ts";

/** Features that HTTP routes call into. */
export interface Services {
  publisher: Publisher;
  pairings: Pairings;
  commands: Commands;
  metrics: Metrics;
  broker: Broker | null;
}
