import type { PreviewFit, PreviewFrame } from "@gatecast/kiosk/preview";

/**
 * What the console tells its preview page (an iframe at the screen's own pixel size running the
 * kiosk's renderer), and what the page answers. Same origin both ways.
 */
export interface PreviewShow extends PreviewFrame {
  type: "gatecast-preview";
}

export interface PreviewFitted extends PreviewFit {
  type: "gatecast-preview-fitted";
}

export const isPreviewShow = (d: unknown): d is PreviewShow =>
  typeof d === "object" && d !== null && (d as { type?: unknown }).type === "gatecast-preview";

export const isPreviewFitted = (d: unknown): d is PreviewFitted =>
  typeof d === "object" && d !== null && (d as { type?: unknown }).type === "gatecast-preview-fitted";
