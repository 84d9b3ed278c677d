import type { Gate, Screen } from "@gatecast/playlists";
import { type Key, t } from "../i18n.ts";
import { genericScreen } from "../lib/content.ts";
import { gateName } from "../lib/labels.ts";
import { type Orientation, SCREEN_SIZE } from "../screen/layout.ts";

const genericLabel = (o: Orientation) =>
  t("item.previewGeneric", {
    orientation: t(`orientation.${o}` as Key),
    size: `${SCREEN_SIZE[o].width}×${SCREEN_SIZE[o].height}`,
  });

/** "screen:<id>" or "generic:<orientation>". */
export type PreviewTarget = string;

export interface ResolvedTarget {
  orientation: Orientation;
  gate: Gate | undefined;
  /** The chosen screen, or a stand-in of the chosen orientation at the first gate. */
  screen: Screen;
  label: string;
}

export function resolveTarget(
  value: PreviewTarget,
  screens: readonly Screen[],
  gates: readonly Gate[],
): ResolvedTarget {
  if (value.startsWith("screen:")) {
    const s = screens.find((x) => x.id === value.slice(7));
    if (s) return { orientation: s.orientation, gate: gates.find((g) => g.id === s.gate), screen: s, label: s.name };
  }
  const orientation: Orientation = value === "generic:portrait" ? "portrait" : "landscape";
  return {
    orientation,
    gate: gates[0],
    screen: genericScreen(gates[0]?.id ?? "preview", orientation),
    label: genericLabel(orientation),
  };
}

export function defaultTarget(screens: readonly Screen[]): PreviewTarget {
  const s = screens[0];
  return s ? `screen:${s.id}` : "generic:landscape";
}

/** Which screen's size, orientation and gate header a preview is drawn for. */
export function ScreenPicker({
  value,
  onValue,
  screens,
  gates,
  label,
}: {
  value: PreviewTarget;
  onValue: (v: PreviewTarget) => void;
  screens: readonly Screen[];
  gates: readonly Gate[];
  label?: string;
}) {
  return (
    <label class="filter filter-grow">
      <span>{label ?? t("item.previewScreen")}</span>
      <select value={value} onChange={(e) => onValue(e.currentTarget.value)} data-testid="preview-screen">
        {gates.map((g) => {
          const members = screens.filter((s) => s.gate === g.id);
          if (members.length === 0) return null;
          return (
            <optgroup key={g.id} label={gateName(g, g.id)}>
              {members.map((s) => (
                <option key={s.id} value={`screen:${s.id}`}>
                  {s.name} ({s.id})
                </option>
              ))}
            </optgroup>
          );
        })}
        <option value="generic:landscape">{genericLabel("landscape")}</option>
        <option value="generic:portrait">{genericLabel("portrait")}</option>
      </select>
    </label>
  );
}
