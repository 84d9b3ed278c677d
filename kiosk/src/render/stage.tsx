import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Slot } from "../app/state.ts";
import { ItemView } from "./item.tsx";

/** Crossfade length; keep in step with `.layer` in the stylesheet. */
export const FADE_MS = 700;
/** A layer that has not said it is ready by then is shown anyway (an item never blocks the next). */
const READY_TIMEOUT_MS = 2_500;

interface Layer {
  id: number;
  slot: Slot;
  ready: boolean;
}

let nextLayerId = 1;

/**
 * Two layers: the item on screen, and the next one rendered underneath it invisibly until it is ready
 * (text fitted, image decoded, video playable), then faded in over the old one, which is removed.
 */
export function Stage({ slot }: { slot: Slot | null }) {
  const [layers, setLayers] = useState<Layer[]>([]);

  useEffect(() => {
    setLayers((prev) => {
      if (!slot) return [];
      const top = prev.at(-1);
      if (top && top.slot.key === slot.key) return prev;
      const shown = prev.filter((l) => l.ready).at(-1);
      return [...(shown ? [shown] : []), { id: nextLayerId++, slot, ready: false }];
    });
  }, [slot]);

  const markReady = useCallback((id: number) => {
    setLayers((prev) =>
      prev.some((l) => l.id === id && !l.ready) ? prev.map((l) => (l.id === id ? { ...l, ready: true } : l)) : prev,
    );
  }, []);

  const top = layers.at(-1);
  useEffect(() => {
    if (!top) return;
    if (!top.ready) {
      const t = setTimeout(() => markReady(top.id), READY_TIMEOUT_MS);
      return () => clearTimeout(t);
    }
    if (layers.length > 1) {
      const t = setTimeout(() => setLayers((prev) => prev.filter((l) => l.id === top.id)), FADE_MS + 50);
      return () => clearTimeout(t);
    }
    return undefined;
  }, [top, layers.length, markReady]);

  return (
    <div class="stage-layers">
      {layers.map((l) => (
        <LayerView key={l.id} layer={l} onReady={markReady} />
      ))}
    </div>
  );
}

function LayerView({ layer, onReady }: { layer: Layer; onReady: (id: number) => void }) {
  const id = layer.id;
  const ready = useRef(false);
  const done = useCallback(() => {
    if (ready.current) return;
    ready.current = true;
    onReady(id);
  }, [id, onReady]);
  return (
    <div class={`layer${layer.ready ? " in" : ""}`} data-item={layer.slot.item.id} aria-hidden={!layer.ready}>
      <ItemView slot={layer.slot} onReady={done} />
    </div>
  );
}
