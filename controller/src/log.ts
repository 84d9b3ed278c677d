import { pino } from "pino";

export type Logger = pino.Logger;

/** JSON logs; anything that could carry a secret is redacted by path, whatever the caller logs. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: "gatecast" },
    redact: {
      paths: [
        "password",
        "*.password",
        "token",
        "*.token",
        "d",
        "*.d",
        "privateKey",
        "*.privateKey",
        "headers.cookie",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  });
}
