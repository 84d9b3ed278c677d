import { CATEGORY_LABEL, type Category, type Gate, type Item, type Localized, type Weekday } from "@gatecast/playlists";
import { type Key, lang, t, tCount, tDynamic } from "../i18n.ts";

/** The category's one name (the kiosk's chip shows the same). */
export const categoryLabel = (c: Category) => (lang.value === "en" ? CATEGORY_LABEL[c].en : CATEGORY_LABEL[c].vi);
export const kindLabel = (k: Item["kind"]) => t(`kind.${k}` as Key);
export const weekdayShort = (d: Weekday) => t(`weekdayShort.${d}` as Key);

/** "5 phút", "3 giờ", "2 ngày" for a span of milliseconds. */
export function agoText(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return t("ago.now");
  if (min < 60) return tCount("ago.minutes", min);
  const h = Math.floor(min / 60);
  if (h < 48) return tCount("ago.hours", h);
  return tCount("ago.days", Math.floor(h / 24));
}

/** A gate's name in the operator's language (Vietnamese name for English when there is no English). */
export function gateName(gate: Gate | undefined, fallback: string): string {
  if (!gate) return fallback;
  return lang.value === "en" ? (gate.name.en ?? gate.name.vi) : gate.name.vi;
}

/** The title an operator recognises an item by. */
export function itemTitle(item: Item): string {
  const text: Localized | undefined = item.kind === "notice" || item.kind === "gate-status" ? item.title : item.caption;
  if (!text) return item.id;
  return lang.value === "en" ? (text.en ?? text.vi) : text.vi;
}

export function auditActionLabel(action: string): string {
  if (action.startsWith("command:")) {
    const cmd = action.slice("command:".length);
    return t("action.command", { cmd: tDynamic(`cmd.${cmd}`, cmd) });
  }
  return tDynamic(`action.${action}`, action);
}

export const objectLabel = (kind: string) => tDynamic(`object.${kind}`, kind);
