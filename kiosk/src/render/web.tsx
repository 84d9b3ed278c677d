import { hostAllowed, type WebItem } from "@gatecast/playlists";
import { useEffect, useState } from "preact/hooks";
import { services } from "../app/services.ts";
import type { Slot } from "../app/state.ts";
import { Caption } from "./caption.tsx";
import { Fallback } from "./fallback.tsx";

const PROBE_MS = 3_000;
const LOAD_WAIT_MS = 4_000;

type Reach = "probing" | "up" | "down";

/**
 * Whether the page can be reached: a no-cors request settles as an opaque response when the host
 * answers and rejects when it cannot be reached. (A cross-origin iframe would show the browser's error
 * page instead, and the kiosk could not tell.)
 */
async function probe(url: string): Promise<boolean> {
  if (!navigator.onLine) return false;
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), PROBE_MS);
  try {
    await fetch(url, { mode: "no-cors", credentials: "omit", cache: "no-store", signal: ac.signal });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A web page in a sandboxed iframe, only from a host the manifest allows. When the host is not allowed
 * or cannot be reached, the item's caption and a QR code of the address stand in.
 */
export function WebView({
  item,
  slot,
  webHosts,
  onReady,
}: {
  item: WebItem;
  slot: Slot;
  webHosts: string[];
  onReady: () => void;
}) {
  const allowed = hostAllowed(item.url, webHosts);
  const [reach, setReach] = useState<Reach>(allowed ? "probing" : "down");

  useEffect(() => {
    if (!allowed) {
      services.report("playback", `web item ${item.id}: host of ${item.url} is not in webHosts`);
      return;
    }
    let alive = true;
    void probe(item.url).then((ok) => {
      if (alive) setReach(ok ? "up" : "down");
    });
    return () => {
      alive = false;
    };
  }, [allowed, item.id, item.url]);

  useEffect(() => {
    if (reach !== "up") return;
    const t = setTimeout(onReady, LOAD_WAIT_MS);
    return () => clearTimeout(t);
  }, [reach, onReady]);

  if (reach === "down") {
    return <Fallback category={item.category} text={item.caption} link={item.url} onReady={onReady} />;
  }
  if (reach === "probing") return <div class={`media-item cat-${item.category}`} />;
  return (
    <div class={`media-item web-item cat-${item.category}`}>
      <iframe
        class="web-frame"
        src={item.url}
        title={item.caption?.vi ?? item.id}
        sandbox="allow-scripts allow-same-origin"
        referrerpolicy="no-referrer"
        allow=""
        loading="eager"
        onLoad={onReady}
      />
      {item.caption && (
        <Caption text={item.caption} turn={{ item: item.id, startsAt: slot.startsAt, endsAt: slot.endsAt }} />
      )}
    </div>
  );
}
