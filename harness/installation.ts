/**
 * One installation to measure: the controller as its own process (as in production) with either its
 * embedded broker or Debian's Mosquitto in front (`MQTT_URL`), an admin API client, and what the
 * figures need around it (broker files after pairing, a broker restart, process readings).
 */
import { readFile } from "node:fs/promises";
import type { ScreenCredentials } from "@gatecast/playlists";
import { ControllerApi, mapLimit, type ProvisionOptions, provisionScreens } from "@gatecast/sim";
import { randomSecret } from "../controller/src/auth/passwords.ts";
import { CONTROLLER_USERNAME } from "../controller/src/broker/acl.ts";
import { mosquittoFiles, screenAccessFrom } from "../controller/src/broker/mosquittoConfig.ts";
import { Store } from "../controller/src/store/index.ts";
import { ADMIN_PASSWORD, type ControllerProcess, startControllerProcess } from "./controllerProcess.ts";
import { type Mosquitto, startMosquitto } from "./mosquitto.ts";

export type BrokerKind = "embedded" | "mosquitto";
export const BROKERS: readonly BrokerKind[] = ["embedded", "mosquitto"];

export interface Installation {
  kind: BrokerKind;
  controller: ControllerProcess;
  mosquitto: Mosquitto | null;
  api: ControllerApi;
  /** The controller's own login at an external broker (null: embedded). */
  brokerLogin: { username: string; password: string } | null;
  /** The TCP URL screens connect to. */
  brokerUrl(): string;
  /** Makes the broker accept every screen paired so far (Mosquitto: rewrite passwd + ACL, SIGHUP). */
  syncBroker(probe?: ScreenCredentials): Promise<void>;
  /** Creates `count` sim screens (or issues new credentials to existing ones) and lets the broker know. */
  provision(opts: ProvisionOptions): Promise<ScreenCredentials[]>;
  /**
   * Takes the broker down and brings it back: the controller process (embedded) or Mosquitto.
   * `whileDown` runs between the two. Returns when the broker accepts connections again.
   */
  restartBroker(whileDown?: () => Promise<void>): Promise<{ downAt: number; upAt: number }>;
  /** Process ids to read resources of: the controller, and Mosquitto when there is one. */
  pids(): { controller: number | null; broker: number | null };
  stop(): Promise<void>;
}

export async function startInstallation(kind: BrokerKind, env: Record<string, string> = {}): Promise<Installation> {
  const controllerPassword = randomSecret(24);
  const mosquitto = kind === "mosquitto" ? await startMosquitto(mosquittoFiles([], controllerPassword)) : null;
  let controller: ControllerProcess;
  try {
    controller = await startControllerProcess({
      env: {
        ...(mosquitto
          ? {
              MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}`,
              MQTT_USERNAME: CONTROLLER_USERNAME,
              MQTT_PASSWORD: controllerPassword,
              MQTT_WS_URL: `ws://127.0.0.1:${mosquitto.wsPort}`,
            }
          : {}),
        ...env,
      },
    });
  } catch (e) {
    await mosquitto?.stop();
    throw e;
  }
  const api = await ControllerApi.connect(controller.url, { user: "admin", password: ADMIN_PASSWORD });

  const self: Installation = {
    kind,
    get controller() {
      return controller;
    },
    mosquitto,
    api,
    brokerLogin: mosquitto ? { username: CONTROLLER_USERNAME, password: controllerPassword } : null,
    brokerUrl: () => `mqtt://127.0.0.1:${mosquitto ? mosquitto.port : controller.mqttPort}`,
    async syncBroker(probe) {
      if (!mosquitto) return;
      const store = await Store.open(controller.dataDir);
      let files: { passwd: string; acl: string };
      try {
        files = mosquittoFiles(screenAccessFrom(store), controllerPassword);
      } finally {
        store.close();
      }
      await mosquitto.reload(
        files,
        probe ? { username: probe.mqtt.username, password: probe.mqtt.password } : undefined,
      );
    },
    async provision(opts) {
      const creds = await provisionScreens(api, opts);
      await self.syncBroker(creds[creds.length - 1]);
      return creds;
    },
    async restartBroker(whileDown) {
      const downAt = Date.now();
      if (mosquitto) {
        await mosquitto.halt();
        await whileDown?.();
        await mosquitto.start();
      } else {
        await controller.stop();
        await whileDown?.();
        controller = await controller.restart();
      }
      return { downAt, upAt: Date.now() };
    },
    pids: () => ({
      controller: controller.proc.exitCode === null ? (controller.proc.pid ?? null) : null,
      broker: mosquitto?.pid() ?? null,
    }),
    async stop() {
      await controller.cleanup().catch(() => undefined);
      await mosquitto?.stop();
    },
  };
  return self;
}

/** Resident memory and CPU time of a process, from /proc. */
export interface ProcReading {
  rssBytes: number;
  /** user + system CPU seconds since the process started. */
  cpuS: number;
  at: number;
}

export async function readProc(pid: number): Promise<ProcReading> {
  const [status, stat] = await Promise.all([
    readFile(`/proc/${pid}/status`, "utf8"),
    readFile(`/proc/${pid}/stat`, "utf8"),
  ]);
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  // fields after the command name (which may contain spaces) start at "state" (field 3)
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const ticks = 100; // USER_HZ on Linux
  return { rssBytes: rssKb * 1024, cpuS: (utime + stime) / ticks, at: Date.now() };
}

/** A counter from the controller's Prometheus text. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

export { mapLimit };
