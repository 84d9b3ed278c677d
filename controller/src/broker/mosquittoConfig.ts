import { hashMqttPassword } from "../auth/passwords.ts";
import type { Store } from "../store/index.ts";
import { CONTROLLER_USERNAME, screenReadTopics, screenWriteTopics } from "./acl.ts";

export interface ScreenAccess {
  screenId: string;
  username: string;
  passwordHash: string;
  gateId: string;
}

/** A gate-edge broker's bridge login at the central broker. */
export interface BridgeAccess {
  gateId: string;
  password: string;
}

export const bridgeUsername = (gateId: string) => `gatecast-edge-${gateId}`;

/**
 * Mosquitto password and ACL files giving each screen exactly what the embedded broker gives it:
 * read its own manifest, cmd and ack and its gate's alerts; write its own status, heartbeat, plays, ack.
 * For the central broker, `controllerPassword` adds the controller and `bridges` one login per gate edge
 * limited to that gate's screens; for a gate's own edge broker, leave both out.
 */
export function mosquittoFiles(
  screens: readonly ScreenAccess[],
  controllerPassword: string | null,
  bridges: readonly BridgeAccess[] = [],
): { passwd: string; acl: string } {
  const passwd: string[] = [];
  const acl = ["# written by gatecast broker-config: regenerate after pairing or moving screens", ""];
  if (controllerPassword !== null) {
    passwd.push(`${CONTROLLER_USERNAME}:${hashMqttPassword(controllerPassword)}`);
    acl.push(`user ${CONTROLLER_USERNAME}`, "topic readwrite gatecast/v1/#", "");
  }
  for (const b of bridges) {
    passwd.push(`${bridgeUsername(b.gateId)}:${hashMqttPassword(b.password)}`);
    acl.push(`user ${bridgeUsername(b.gateId)}`, `topic readwrite gatecast/v1/gates/${b.gateId}/alert`);
    for (const s of screens.filter((x) => x.gateId === b.gateId))
      acl.push(`topic readwrite gatecast/v1/screens/${s.screenId}/#`);
    acl.push("");
  }
  for (const s of screens) {
    passwd.push(`${s.username}:${s.passwordHash}`);
    acl.push(`user ${s.username}`);
    const reads = new Set(screenReadTopics(s.screenId, s.gateId));
    const writes = new Set(screenWriteTopics(s.screenId));
    for (const t of new Set([...reads, ...writes])) {
      acl.push(`topic ${reads.has(t) && writes.has(t) ? "readwrite" : reads.has(t) ? "read" : "write"} ${t}`);
    }
    acl.push("");
  }
  return { passwd: `${passwd.join("\n")}\n`, acl: `${acl.join("\n")}\n` };
}

/** Every paired screen in the inventory, with the gate it belongs to now. */
export function screenAccessFrom(store: Store): ScreenAccess[] {
  const gates = new Map(store.draft.list("screens").map((s) => [s.id, s.gate]));
  return store.fleet.allCredentials().flatMap((c) => {
    const gateId = gates.get(c.screenId);
    return gateId ? [{ ...c, gateId }] : [];
  });
}
