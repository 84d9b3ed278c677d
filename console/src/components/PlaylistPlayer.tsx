import type { Gate } from "@gatecast/playlists";
import { type Item, type MediaInfo, type Playlist, playableSlots, type Screen } from "@gatecast/playlists";
import { useEffect, useMemo, useState } from "preact/hooks";
import { t } from "../i18n.ts";
import { localToday } from "../lib/format.ts";
import { useNow } from "../lib/hooks.ts";
import { itemTitle } from "../lib/labels.ts";
import { KioskPreview } from "../screen/KioskPreview.tsx";
import { defaultTarget, type PreviewTarget, resolveTarget, ScreenPicker } from "./ScreenPicker.tsx";

/**
 * Plays a playlist the way a screen does: the domain's playable slots (items valid today, with
 * per-entry durations), one after the other, an alternating notice cycling through its languages.
 */
export function PlaylistPlayer({
  playlist,
  items,
  screens,
  gates,
  media,
  webHosts,
  onPosition,
}: {
  playlist: Playlist;
  items: readonly Item[];
  screens: readonly Screen[];
  gates: readonly Gate[];
  media: readonly MediaInfo[];
  webHosts: string[];
  /** The item on screen and how many times it came before in the loop (to find its row), null when stopped. */
  onPosition?: (pos: { item: string; occurrence: number } | null) => void;
}) {
  const slots = useMemo(
    () => playableSlots(playlist, new Map(items.map((i) => [i.id, i])), localToday()),
    [playlist, items],
  );
  const [target, setTarget] = useState<PreviewTarget>(defaultTarget(screens));
  const [playing, setPlaying] = useState(false);
  const [index, setIndex] = useState(0);
  const [startedAt, setStartedAt] = useState(Date.now());
  const [pausedElapsed, setPausedElapsed] = useState(0);
  const now = useNow(playing ? 250 : 60_000);
  const at = Math.min(index, Math.max(0, slots.length - 1));
  const slot = slots[at];
  const elapsed = playing ? now - startedAt : pausedElapsed;

  const go = (i: number) => {
    const n = slots.length;
    if (n === 0) return;
    setIndex(((i % n) + n) % n);
    setStartedAt(Date.now());
    setPausedElapsed(0);
  };

  useEffect(() => {
    if (playing && slot && elapsed >= slot.durationMs) go(at + 1);
  }, [now]);

  const slotItem = slot?.item.id ?? null;
  const occurrence = slots.slice(0, at).filter((s) => s.item.id === slotItem).length;
  useEffect(() => {
    onPosition?.(slotItem && (playing || pausedElapsed > 0 || at > 0) ? { item: slotItem, occurrence } : null);
  }, [slotItem, occurrence, playing]);

  const preview = resolveTarget(target, screens, gates);

  return (
    <section class="player" aria-label={t("playlists.preview")}>
      <div class="player-controls">
        <ScreenPicker value={target} onValue={setTarget} screens={screens} gates={gates} />
        <div class="btn-row">
          <button type="button" class="btn btn-small" onClick={() => go(at - 1)} disabled={slots.length === 0}>
            ◀ {t("playlists.prev")}
          </button>
          <button
            type="button"
            class="btn btn-small btn-primary"
            disabled={slots.length === 0}
            data-testid="player-toggle"
            onClick={() => {
              if (playing) {
                setPausedElapsed(Date.now() - startedAt);
                setPlaying(false);
              } else {
                setStartedAt(Date.now() - pausedElapsed);
                setPlaying(true);
              }
            }}
          >
            {playing ? `❚❚ ${t("playlists.pause")}` : `▶ ${t("playlists.play")}`}
          </button>
          <button type="button" class="btn btn-small" onClick={() => go(at + 1)} disabled={slots.length === 0}>
            {t("playlists.next")} ▶
          </button>
        </div>
      </div>
      <KioskPreview
        gate={preview.gate}
        screen={preview.screen}
        item={slot?.item ?? null}
        playlist={playlist.id}
        startsAt={startedAt}
        endsAt={startedAt + (slot?.durationMs ?? 0)}
        media={media}
        webHosts={webHosts}
        maxHeight={preview.orientation === "portrait" ? 440 : 300}
        label={t("item.previewLabel", { screen: preview.label })}
      />
      {slot ? (
        <div class="player-status" role="status" data-testid="player-status">
          <div class="meter" aria-hidden="true">
            <span class="meter-fill" style={{ width: `${Math.min(100, (elapsed / slot.durationMs) * 100)}%` }} />
          </div>
          <span class="small">
            {t("playlists.position", {
              i: at + 1,
              n: slots.length,
              s: Math.max(0, Math.ceil((slot.durationMs - elapsed) / 1000)),
            })}{" "}
            — <strong>{itemTitle(slot.item)}</strong>
          </span>
        </div>
      ) : null}
    </section>
  );
}
