import type { ImageItem } from "@gatecast/playlists";
import { useState } from "preact/hooks";
import { services } from "../app/services.ts";
import type { Slot } from "../app/state.ts";
import { Caption } from "./caption.tsx";
import { Fallback } from "./fallback.tsx";
import { LinkQr } from "./qr.tsx";

/** A full-stage image from the media cache, `object-fit` as the item says. */
export function ImageView({
  item,
  slot,
  url,
  onReady,
}: {
  item: ImageItem;
  slot: Slot;
  url: string | null;
  onReady: () => void;
}) {
  const [failed, setFailed] = useState(url === null);
  if (failed || url === null) {
    return <Fallback category={item.category} text={item.caption} link={item.link} onReady={onReady} />;
  }
  return (
    <div class={`media-item cat-${item.category}`}>
      <img
        class={`media fit-${item.fit}`}
        src={url}
        alt={item.caption?.vi ?? ""}
        crossOrigin="anonymous"
        decoding="async"
        draggable={false}
        onLoad={(e) => {
          const img = e.currentTarget;
          img
            .decode()
            .catch(() => undefined)
            .then(onReady);
        }}
        onError={() => {
          services.report("playback", `image ${item.id} (${item.media.slice(0, 12)}) failed to load`);
          setFailed(true);
        }}
      />
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
