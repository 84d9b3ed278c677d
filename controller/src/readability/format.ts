import type { Shortfall } from "@gatecast/playlists";

const num = (n: number, unit: Shortfall["unit"]) =>
  unit === "ratio" ? `${n.toFixed(2)}:1` : `${n.toFixed(1)} ${unit}`;

/** What falls short, in words: "text 14.0 mm tall, needs 22.0 mm at 5 m". */
export function describeShortfall(s: Shortfall): string {
  switch (s.kind) {
    case "text-size":
      return `text ${num(s.measured, "mm")} tall, needs ${num(s.required, "mm")} at ${s.viewingDistanceM} m`;
    case "contrast":
      return `contrast ${num(s.measured, "ratio")}, needs ${num(s.required, "ratio")}`;
    case "reading-time":
      return s.pages > 1
        ? `each of ${s.pages} pages on screen ${num(s.measured, "s")}, needs ${num(s.required, "s")} to read`
        : `on screen ${num(s.measured, "s")}, needs ${num(s.required, "s")} to read`;
    default:
      return `not checked: ${s.detail ?? "could not render"}`;
  }
}

/** One line per shortfall, tab-free and greppable: severity, item, screen, language, kind, what. */
export function shortfallLine(s: Shortfall): string {
  const pages = s.pages > 1 && s.kind !== "reading-time" ? ` (${s.pages} pages)` : "";
  return `${s.severity.padEnd(8)} ${s.item} ${s.screen} ${s.lang ?? "-"} ${s.kind}: ${describeShortfall(s)}${pages}`;
}
