import { createHmac } from "node:crypto";
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, type WebhookBody } from "@gatecast/playlists";

export const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=` and the HMAC-SHA256 of `timestamp.body` under the channel's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/**
 * One POST of the JSON body, signed when the channel has a secret, within a bounded time. Anything but
 * a 2xx answer is an error naming the status (retries are the notifier's).
 */
export async function sendWebhook(
  target: { url: string; secret: string | null },
  body: WebhookBody,
  now: number,
): Promise<string> {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(now / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "gatecast-notifier",
    [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
  };
  if (target.secret) headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(target.secret, timestamp, text);
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: "POST",
      headers,
      body: text,
      redirect: "error",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (e) {
    const err = e as { name?: string; cause?: { code?: string } };
    if (err.name === "TimeoutError")
      throw new Error(`webhook ${origin(target.url)} did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} s`);
    throw new Error(
      `webhook ${origin(target.url)}: ${err.cause?.code ?? (e instanceof Error ? e.message : String(e))}`,
    );
  }
  const answer = (await res.text().catch(() => "")).slice(0, 200);
  if (!res.ok)
    throw new Error(`webhook ${origin(target.url)} answered HTTP ${res.status}${answer ? `: ${answer}` : ""}`);
  return `HTTP ${res.status}`;
}

const origin = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return "(bad URL)";
  }
};
