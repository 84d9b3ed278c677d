import type { PreviewFit } from "@gatecast/kiosk/preview";
import {
  type Alert,
  type Gate,
  type Item,
  type MediaInfo,
  type MediaRef,
  panelOf,
  type Screen,
} from "@gatecast/playlists";
import { useEffect, useRef, useState } from "preact/hooks";
import { BASE } from "../lib/router.tsx";
import { isPreviewFitted, type PreviewShow } from "./protocol.ts";
import { Scaled } from "./Scaled.tsx";

export interface KioskPreviewProps {
  gate: Gate | undefined;
  screen: Screen;
  item: Item | null;
  playlist?: string | null;
  /** The item's turn; by default it starts when the item changes and lasts its duration, over and over. */
  startsAt?: number;
  endsAt?: number;
  alerts?: Alert[];
  media: readonly MediaInfo[];
  webHosts?: string[];
  label: string;
  maxHeight: number;
  /** What the kiosk fitted the text to (font size, pages, each text's measured height), whenever it changes. */
  onFitted?: (fitted: PreviewFit) => void;
}

const mediaRefs = (media: readonly MediaInfo[]): MediaRef[] =>
  media.map((m) => ({ sha256: m.sha256, bytes: m.bytes, mime: m.mime, url: `${location.origin}/media/${m.sha256}` }));

/**
 * The preview page's HTML, fetched once. It goes into `srcdoc`: the controller sends
 * `X-Frame-Options: DENY` with every console page, and a srcdoc frame is no response to refuse.
 */
let previewHtml: Promise<string> | null = null;
function loadPreviewHtml(): Promise<string> {
  previewHtml ??= fetch(`${BASE}/preview.html`, { credentials: "same-origin" }).then((r) => {
    if (!r.ok) throw new Error(`preview page: HTTP ${r.status}`);
    return r.text();
  });
  previewHtml.catch(() => {
    previewHtml = null;
  });
  return previewHtml;
}

/**
 * The screen as the kiosk draws it: an iframe at the screen's own resolution running the kiosk's
 * renderer (see preview/main.tsx), scaled down to fit the page. What the editor sees is what the gate shows.
 */
export function KioskPreview(props: KioskPreviewProps) {
  const { gate, screen, item, label, maxHeight, onFitted } = props;
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadPreviewHtml().then(
      (h) => live && setHtml(h),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  const [loop, setLoop] = useState(0);
  const size = panelOf(screen).resolution;
  const itemKey = JSON.stringify(item);
  const turn = useRef({ key: "", startsAt: 0 });
  // a turn lasts while the same item is edited (edits show at once); it starts again when its time is up
  const turnKey = `${item?.id ?? ""}:${loop}`;
  if (turn.current.key !== turnKey) turn.current = { key: turnKey, startsAt: Date.now() };
  const startsAt = props.startsAt ?? turn.current.startsAt;
  const endsAt = props.endsAt ?? startsAt + Math.max(1, item?.duration ?? 10) * 1000;
  const fittedRef = useRef(onFitted);
  fittedRef.current = onFitted;

  // Without a given turn, the item plays again when its time is up (an alternating notice shows both halves).
  useEffect(() => {
    if (props.startsAt !== undefined || !item) return;
    const t = setTimeout(() => setLoop((n) => n + 1), Math.max(500, endsAt - Date.now()));
    return () => clearTimeout(t);
  }, [endsAt, props.startsAt, itemKey]);

  const latest = useRef<PreviewShow | null>(null);
  useEffect(() => {
    const onMessage = (e: MessageEvent<unknown>) => {
      if (e.source !== frame.current?.contentWindow || e.origin !== location.origin) return;
      const d = e.data as { type?: unknown };
      if (d?.type === "gatecast-preview-ready") {
        // the page is up (first load, or loaded again): give it what to show now
        setReady(true);
        if (latest.current) frame.current?.contentWindow?.postMessage(latest.current, location.origin);
      } else if (isPreviewFitted(e.data)) {
        const { type: _type, ...fit } = e.data;
        fittedRef.current?.(fit);
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, []);

  const message: PreviewShow | null = gate
    ? {
        type: "gatecast-preview",
        gate,
        screen,
        item,
        playlist: props.playlist ?? null,
        startsAt,
        endsAt,
        alerts: props.alerts ?? [],
        media: mediaRefs(props.media),
        webHosts: props.webHosts ?? [],
      }
    : null;
  latest.current = message;
  const messageKey = JSON.stringify(message);
  useEffect(() => {
    if (ready && message) frame.current?.contentWindow?.postMessage(message, location.origin);
  }, [ready, messageKey]);

  return (
    <Scaled orientation={screen.orientation} size={size} maxHeight={maxHeight} label={label}>
      {html === null ? null : (
        <iframe
          ref={frame}
          class="preview-frame"
          srcdoc={html}
          width={size.width}
          height={size.height}
          title={label}
          tabIndex={-1}
        />
      )}
    </Scaled>
  );
}
