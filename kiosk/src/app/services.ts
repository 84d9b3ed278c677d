import { type Clock, systemClock } from "../clock.ts";
import type { ErrorKind } from "../sync/heartbeat.ts";

/** What the views need from the running kiosk; wired once at start-up by app/kiosk.ts. */
export interface Services {
  clock: Clock;
  /** The controller's origin: relative media URLs resolve against it. */
  origin: string;
  report: (kind: ErrorKind, message: string) => void;
  /** An alert is on screen (acknowledged once by the agent). */
  alertShown: (id: string) => void;
}

export const services: Services = {
  clock: systemClock,
  origin: typeof location === "undefined" ? "http://localhost" : location.origin,
  report: () => undefined,
  alertShown: () => undefined,
};
