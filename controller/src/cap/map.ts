import type { Gate, Language, Localized, Severity } from "@gatecast/playlists";
import type { CapAreaRule } from "@gatecast/playlists/api";
import { AppError } from "../errors.ts";
import type { CapArea, CapInfo, CapMessage } from "./read.ts";

/*
 * From a CAP 1.2 message to a gatecast alert, and back: languages, severities, times and areas. Pure.
 */

/** vi, vi-VN → vi; zh, zh-CN, zh-Hans(-CN), zh-SG → zh (Simplified); en, en-US, en-GB… → en; others: none. */
export function capLanguage(tag: string): Language | null {
  const t = tag.trim().toLowerCase();
  if (t === "vi" || t.startsWith("vi-")) return "vi";
  if (["zh", "zh-cn", "zh-sg", "zh-hans", "zh-hans-cn", "zh-hans-sg"].includes(t)) return "zh";
  if (t === "en" || t.startsWith("en-")) return "en";
  return null;
}

/** The language tags gatecast writes. */
export const CAP_LANGUAGE_TAG: Record<Language, string> = { vi: "vi-VN", zh: "zh-CN", en: "en" };

const SEVERITY_IN: Record<CapInfo["severity"], Severity> = {
  Extreme: "critical",
  Severe: "critical",
  Moderate: "warning",
  Minor: "info",
  Unknown: "info",
};
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

export const capSeverity = (s: CapInfo["severity"]): Severity => SEVERITY_IN[s];

/** The CAP severity gatecast writes for its own. */
export const CAP_SEVERITY_OUT: Record<Severity, CapInfo["severity"]> = {
  critical: "Severe",
  warning: "Moderate",
  info: "Minor",
};

/** Text compared without regard to case, Unicode form or runs of spaces. */
export const areaKey = (s: string): string => s.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("vi");

/** The gates an area targets: a gate's id or name in any language, else the admin's table. */
export function areaGates(area: CapArea, gates: readonly Gate[], rules: readonly CapAreaRule[]): string[] {
  const key = areaKey(area.areaDesc);
  const found = new Set<string>();
  for (const g of gates) {
    const names = [g.id, g.name.vi, g.name.zh, g.name.en].filter((n): n is string => n !== undefined);
    if (names.some((n) => areaKey(n) === key)) found.add(g.id);
  }
  for (const r of rules) {
    const byDesc = r.areaDesc !== undefined && areaKey(r.areaDesc) === key;
    const byCode =
      r.geocode !== undefined &&
      area.geocode.some(
        (c) =>
          areaKey(c.valueName) === areaKey(r.geocode?.valueName ?? "") && c.value.trim() === r.geocode?.value.trim(),
      );
    if (byDesc || byCode) for (const g of r.gates) found.add(g);
  }
  const known = new Set(gates.map((g) => g.id));
  return [...found].filter((g) => known.has(g)).sort();
}

/** What a screen shows for one `<info>`: its headline and description, or its event. */
export function infoText(info: CapInfo): string {
  const parts = [info.headline, info.description].filter((p): p is string => !!p);
  if (parts.length === 2 && parts[1]?.startsWith(parts[0] ?? "")) parts.shift();
  return parts.length > 0 ? parts.join(" — ") : info.event;
}

/** The `<info>` blocks by gatecast language (the first of each; other languages are left out). */
export function infosByLanguage(msg: CapMessage): Map<Language, CapInfo> {
  const out = new Map<Language, CapInfo>();
  for (const info of msg.info) {
    const l = capLanguage(info.language);
    if (l && !out.has(l)) out.set(l, info);
  }
  return out;
}

/** Languages a gate's screens require: its own list when it has one, Vietnamese and Chinese always. */
export function gateLanguages(gate: Gate): Language[] {
  const own = (gate as Gate & { languages?: readonly Language[] }).languages ?? [];
  return [...new Set<Language>(["vi", "zh", ...own])];
}

export interface CapPlan {
  severity: Severity;
  message: Localized & { zh: string };
  startsAt: string;
  expiresAt: string;
  gates: string[];
  languages: Language[];
}

/**
 * Reads what an Alert or Update message asks for, or refuses it: no area, an unknown area, a gate's
 * language missing, no expiry or one already past.
 */
export function planFromCap(
  msg: CapMessage,
  opts: { gates: readonly Gate[]; rules: readonly CapAreaRule[]; now: number },
): CapPlan {
  const byLang = infosByLanguage(msg);
  const infos = [...byLang.values()];
  if (infos.length === 0)
    throw new AppError("cap-missing-language", "no <info> in Vietnamese, Chinese or English", {
      params: { language: "vi", gate: "" },
    });
  const gates = new Set<string>();
  for (const info of infos) {
    if (info.area.length === 0)
      throw new AppError("cap-unsupported", "every <info> needs an <area> naming a gate", {
        params: { field: "area" },
      });
    for (const area of info.area) {
      const found = areaGates(area, opts.gates, opts.rules);
      if (found.length === 0)
        throw new AppError("cap-unknown-area", `area "${area.areaDesc}" is no gate and not in the area table`, {
          params: { area: area.areaDesc },
        });
      for (const g of found) gates.add(g);
    }
  }
  const targeted = opts.gates.filter((g) => gates.has(g.id));
  for (const gate of targeted)
    for (const language of gateLanguages(gate))
      if (!byLang.has(language))
        throw new AppError("cap-missing-language", `gate ${gate.id} needs an <info> in ${CAP_LANGUAGE_TAG[language]}`, {
          params: { gate: gate.id, language },
        });
  const expiries = infos.map((i) => i.expires).filter((e): e is string => e !== undefined);
  if (expiries.length === 0)
    throw new AppError("cap-unsupported", "an urgent notice needs an <expires>", { params: { field: "expires" } });
  // the earliest: no language stays on screen past any info's end
  const expiresMs = Math.min(...expiries.map((e) => Date.parse(e)));
  if (expiresMs <= opts.now)
    throw new AppError("cap-expired", `expires ${new Date(expiresMs).toISOString()}, already past`, {
      params: { expires: new Date(expiresMs).toISOString() },
    });
  const startsMs = Math.min(...infos.map((i) => Date.parse(i.onset ?? i.effective ?? msg.sent)));
  const severity = infos
    .map((i) => capSeverity(i.severity))
    .reduce<Severity>((a, b) => (RANK[b] > RANK[a] ? b : a), "info");
  const text = (l: Language) => {
    const info = byLang.get(l);
    return info ? infoText(info) : undefined;
  };
  const vi = text("vi");
  const zh = text("zh");
  const en = text("en");
  // the gates' own language check above has made sure of vi and zh
  if (vi === undefined || zh === undefined)
    throw new AppError("cap-missing-language", "Vietnamese and Chinese are required", {
      params: { language: vi === undefined ? "vi" : "zh", gate: "" },
    });
  return {
    severity,
    message: { vi, zh, ...(en !== undefined ? { en } : {}) },
    startsAt: new Date(startsMs).toISOString(),
    expiresAt: new Date(expiresMs).toISOString(),
    gates: [...gates].sort(),
    languages: [...byLang.keys()],
  };
}
