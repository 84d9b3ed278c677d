import { itemTextFields } from "@gatecast/playlists";
import { memo } from "preact/compat";
import { services } from "../app/services.ts";
import { manifest, type Slot } from "../app/state.ts";
import { mediaUrlOf } from "../sync/media-plan.ts";
import { GateStatusBoard } from "./gate-status.tsx";
import { ImageView } from "./image.tsx";
import { Notice } from "./notice.tsx";
import { SourceLine } from "./source.tsx";
import { languagesOf } from "./text.ts";
import { VideoView } from "./video.tsx";
import { WebView } from "./web.tsx";

/** The renderer for one slot's item. */
export const ItemView = memo(function ItemView({ slot, onReady }: { slot: Slot; onReady: () => void }) {
  const item = slot.item;
  const view = <KindView slot={slot} onReady={onReady} />;
  if (!item.source) return view;
  const own = languagesOf(...itemTextFields(item).map(([, text]) => text));
  return (
    <div class="item-with-source">
      {view}
      <SourceLine source={item.source} langs={own.length > 0 ? own : languagesOf(item.source.agency)} />
    </div>
  );
});

function KindView({ slot, onReady }: { slot: Slot; onReady: () => void }) {
  const m = manifest.value;
  const item = slot.item;
  switch (item.kind) {
    case "notice":
      return <Notice item={item} slot={slot} onReady={onReady} />;
    case "image":
      return (
        <ImageView
          item={item}
          slot={slot}
          url={m ? mediaUrlOf(m, item.media, services.origin) : null}
          onReady={onReady}
        />
      );
    case "video":
      return (
        <VideoView
          item={item}
          slot={slot}
          url={m ? mediaUrlOf(m, item.media, services.origin) : null}
          onReady={onReady}
        />
      );
    case "web":
      return <WebView item={item} slot={slot} webHosts={m?.webHosts ?? []} onReady={onReady} />;
    case "gate-status":
      return <GateStatusBoard item={item} onReady={onReady} />;
    default:
      return null;
  }
}
