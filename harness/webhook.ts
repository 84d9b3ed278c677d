import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookBody } from "@gatecast/playlists";

export interface ReceivedHook {
  body: WebhookBody;
  raw: string;
  timestamp: string;
  /** Whether the signature header is the HMAC-SHA256 of `timestamp.body` under the secret. */
  verified: boolean;
}

export interface WebhookSink {
  url: string;
  received: ReceivedHook[];
  /** Answer the next `n` requests with this status (e.g. 500) instead of 204. */
  failNext(n: number, status?: number): void;
  stop(): Promise<void>;
}

/** What a receiver of gatecast's webhooks does: recompute the HMAC over timestamp + "." + body, compare in constant time. */
export function verifyWebhook(secret: string, timestamp: string, raw: string, header: string | undefined): boolean {
  if (!header?.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest();
  const got = Buffer.from(header.slice(7), "hex");
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A local HTTP receiver on 127.0.0.1 that checks every webhook's signature with `secret`. */
export async function startWebhookSink(secret: string): Promise<WebhookSink> {
  const received: ReceivedHook[] = [];
  let failing = 0;
  let failStatus = 500;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus, { "content-type": "text/plain" }).end("receiver is down");
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const timestamp = String(req.headers["x-gatecast-timestamp"] ?? "");
      const signature = req.headers["x-gatecast-signature"];
      received.push({
        body: WebhookBody.parse(JSON.parse(raw)),
        raw,
        timestamp,
        verified: verifyWebhook(secret, timestamp, raw, typeof signature === "string" ? signature : undefined),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gatecast`,
    received,
    failNext: (n, status = 500) => {
      failing = n;
      failStatus = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
