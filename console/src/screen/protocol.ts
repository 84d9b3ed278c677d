import type { Alert, Gate, Item, MediaRef, Screen } from "@gatecast/playlists";

/**
 * What the console tells its preview page (an iframe at the screen's own pixel size running the
 * kiosk's renderer), and what the page answers. Same origin both ways.
 */
export interface PreviewShow {
  type: "gatecast-preview";
  gate: Gate;
  screen: Screen;
  /** null: nothing scheduled (the kiosk's welcome screen). */
  item: Item | null;
  playlist: string | null;
  /** The item's turn on screen (ms): the progress bar and alternating notices follow it. */
  startsAt: number;
  endsAt: number;
  alerts: Alert[];
  /** Media the item may name, with the URL the kiosk would fetch it from. */
  media: MediaRef[];
  webHosts: string[];
}

export interface PreviewFitted {
  type: "gatecast-preview-fitted";
  /** The font size the kiosk fitted the item's text to, in screen pixels; null when it has no fitted text. */
  fontPx: number | null;
  /** Which text it is: a notice's body, or a caption over an image, a video or a web page. */
  text: "notice" | "caption" | null;
}

export const isPreviewShow = (d: unknown): d is PreviewShow =>
  typeof d === "object" && d !== null && (d as { type?: unknown }).type === "gatecast-preview";

export const isPreviewFitted = (d: unknown): d is PreviewFitted =>
  typeof d === "object" && d !== null && (d as { type?: unknown }).type === "gatecast-preview-fitted";
