import type { VideoItem } from "@gatecast/playlists";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { services } from "../app/services.ts";
import type { Slot } from "../app/state.ts";
import { Caption } from "./caption.tsx";
import { Fallback } from "./fallback.tsx";
import { LinkQr } from "./qr.tsx";
import { acquireVideo, releaseVideo } from "./video-pool.ts";

/**
 * A muted, inline, looping video from the media cache (the service worker answers range requests).
 * Joins at the schedule's position so screens on the same playlist stay in step, and only reports
 * ready once it can play: the layer fades in on a moving picture, never a black or half-loaded one.
 */
export function VideoView({
  item,
  slot,
  url,
  onReady,
}: {
  item: VideoItem;
  slot: Slot;
  url: string | null;
  onReady: () => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(url === null);
  const ready = useRef(onReady);
  ready.current = onReady;
  const startsAt = slot.startsAt;

  useLayoutEffect(() => {
    const el = host.current;
    if (!el || url === null || failed) return;
    const v = acquireVideo();
    if (!v) {
      services.report("playback", `video ${item.id}: no free video element`);
      setFailed(true);
      return;
    }
    v.className = "media fit-cover";
    v.onloadedmetadata = () => {
      const offset = (services.clock.now() - startsAt) / 1000;
      if (offset > 0.5 && Number.isFinite(v.duration) && v.duration > 0) v.currentTime = offset % v.duration;
    };
    v.oncanplay = () => {
      v.oncanplay = null;
      v.play().catch(() => undefined);
      ready.current();
    };
    v.onerror = () => {
      services.report("playback", `video ${item.id} (${item.media.slice(0, 12)}): ${v.error?.message || "failed"}`);
      setFailed(true);
    };
    v.src = url;
    el.appendChild(v);
    return () => releaseVideo(v);
  }, [url, startsAt, failed, item.id, item.media]);

  if (failed || url === null) {
    return <Fallback category={item.category} text={item.caption} link={item.link} onReady={onReady} />;
  }
  return (
    <div class={`media-item cat-${item.category}`}>
      <div class="media-host" ref={host} />
      {item.caption && (
        <Caption text={item.caption} turn={{ item: item.id, startsAt: slot.startsAt, endsAt: slot.endsAt }} />
      )}
      {item.link && (
        <div class="qr-corner">
          <LinkQr url={item.link} />
        </div>
      )}
    </div>
  );
}
