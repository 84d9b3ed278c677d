import { z } from "zod";
import { refinement } from "../issues.ts";
import { Source } from "./agency.ts";
import {
  Bilingual,
  DateRange,
  Id,
  Instant,
  Language,
  Localized,
  LocalTime,
  Sha256,
  Tag,
  Targets,
  TimeZone,
  WEEKDAYS,
  Weekday,
} from "./common.ts";
import { GateStatusRow, MAX_STATUS_ROWS } from "./gateStatus.ts";

export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";

export const TimeWindow = z.strictObject({ from: LocalTime, to: LocalTime });
export type TimeWindow = z.infer<typeof TimeWindow>;

/**
 * When something applies, in gate-local time: the days a window starts on, the window itself (a `to`
 * not after `from` crosses midnight; absent: all day) and a range of dates. Schedule entries and
 * on-hours share it, and `isEntryActive` reads both.
 */
const timing = {
  days: z
    .array(Weekday)
    .min(1, { error: "name at least one day, or leave days out for every day" })
    .default([...WEEKDAYS]),
  window: TimeWindow.optional(),
  dates: DateRange.optional(),
};
export const Timing = z.strictObject(timing);
export type Timing = z.infer<typeof Timing>;

/** One stretch of on-hours (or, under `off`, of planned dark such as a gate closed for Tết). */
export const OnHoursPeriod = Timing.extend({ note: z.string().trim().min(1).max(200).optional() });
export type OnHoursPeriod = z.infer<typeof OnHoursPeriod>;

/**
 * When a screen should be showing, in gate-local time: inside any `on` period and no `off` period.
 * Outside them it is dark by schedule (black, media stopped, the panel asked to sleep, still connected).
 */
export const OnHours = z.strictObject({
  on: z.array(OnHoursPeriod).min(1, { error: "name at least one period the screens are on" }).max(50),
  off: z.array(OnHoursPeriod).max(200).default([]),
});
export type OnHours = z.infer<typeof OnHours>;

export const Gate = z.strictObject({
  id: Id,
  name: Bilingual,
  timezone: TimeZone.default(DEFAULT_TIMEZONE),
  defaultPlaylist: Id,
  /** The on-hours of the gate's screens; absent: always on. A screen's own on-hours replace them. */
  onHours: OnHours.optional(),
  /**
   * The languages every traveller-facing item playing here must be written in (Vietnamese always).
   * Hữu Nghị may add English; the content check holds each item to all of its gates' languages.
   */
  languages: z
    .array(Language)
    .min(1)
    .max(3)
    .default(["vi", "zh"])
    .refine((ls) => ls.includes("vi"), { error: "must include vi" })
    .refine((ls) => new Set(ls).size === ls.length, { error: "lists a language twice" }),
});
export type Gate = z.infer<typeof Gate>;

export const Orientation = z.enum(["landscape", "portrait"]);

export type Orientation = z.infer<typeof Orientation>;

/** A panel's pixels (what the kiosk's window is when Chromium runs full screen at scale 1). */
export const PanelResolution = z.strictObject({
  width: z.int().min(320, { error: "at least 320 pixels" }).max(16_384),
  height: z.int().min(320, { error: "at least 320 pixels" }).max(16_384),
});
export type PanelResolution = z.infer<typeof PanelResolution>;

export const DEFAULT_DIAGONAL_INCHES = 55;
export const DEFAULT_VIEWING_DISTANCE_M = 5;

/** The panel's pixels when none are given: full HD, turned with the screen. */
export function defaultResolution(orientation: Orientation): PanelResolution {
  return orientation === "portrait" ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 };
}

/**
 * The physical screen, so that the height in millimetres of any text it shows is known: the panel's
 * diagonal, how far away the people who should read it stand, and its pixels (absent: full HD in the
 * screen's orientation, filled in by `Screen`).
 */
export const Panel = z.strictObject({
  diagonalInches: z
    .number()
    .min(7, { error: "at least 7 inches" })
    .max(300, { error: "at most 300 inches" })
    .default(DEFAULT_DIAGONAL_INCHES),
  viewingDistanceM: z
    .number()
    .min(0.3, { error: "at least 0.3 m" })
    .max(100, { error: "at most 100 m" })
    .default(DEFAULT_VIEWING_DISTANCE_M),
  resolution: PanelResolution.optional(),
});
export type PanelInput = z.input<typeof Panel>;
/** A panel with every field known (what `Screen` parses to). */
export type ScreenPanel = Required<z.output<typeof Panel>>;

/** A screen's fields as written (its panel may be left out); `Screen` fills the panel in. */
export const ScreenFields = z.strictObject({
  id: Id,
  gate: Id,
  name: z.string().trim().min(1).max(200),
  tags: z.array(Tag).default([]),
  orientation: Orientation.default("landscape"),
  /** This screen's own on-hours, replacing its gate's (e.g. a lorry-lane screen on all night). */
  onHours: OnHours.optional(),
  /** Its size and viewing distance (absent: 55", 5 m, full HD in its orientation). */
  panel: Panel.optional(),
});

/** Fills in a screen's panel: 55", 5 m, full HD in its orientation for whatever is not given. */
export function withPanel<T extends { orientation: Orientation; panel?: z.output<typeof Panel> }>(s: T): T {
  return { ...s, panel: panelOf(s) };
}

/** A screen; parsed, its `panel` is always there with every field. */
export const Screen = ScreenFields.overwrite(withPanel);
export type Screen = z.infer<typeof Screen>;

/** A screen's panel with every field known (a parsed `Screen` already has it so). */
export function panelOf(screen: { orientation: Orientation; panel?: Partial<ScreenPanel> }): ScreenPanel {
  return {
    diagonalInches: screen.panel?.diagonalInches ?? DEFAULT_DIAGONAL_INCHES,
    viewingDistanceM: screen.panel?.viewingDistanceM ?? DEFAULT_VIEWING_DISTANCE_M,
    resolution: screen.panel?.resolution ?? defaultResolution(screen.orientation),
  };
}

export const Category = z.enum(["border-law", "procedure", "promotion", "tourism", "investment", "alert"]);
export type Category = z.infer<typeof Category>;
/** Categories a traveller may be fined or turned back for not understanding: Chinese is mandatory. */
export const ZH_REQUIRED: ReadonlySet<Category> = new Set(["border-law", "procedure", "alert"]);
/**
 * Categories whose items must name their source (`source.agency`): the write path and the content check
 * refuse them without one; the schema keeps `source` optional so older releases still read.
 */
export const SOURCE_REQUIRED: ReadonlySet<Category> = new Set(["border-law", "procedure"]);

/** Seconds an item stays on screen. */
export const Duration = z.number().positive({ error: "must be more than 0 seconds" }).max(86_400);

const itemCommon = {
  id: Id,
  category: Category,
  duration: Duration,
  valid: DateRange.optional(),
  link: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).optional(),
  /** Who issued it (agency, document, date); required by the content check for `SOURCE_REQUIRED`. */
  source: Source.optional(),
  /**
   * Gates the item is written for, besides those whose screens can play it (`itemGates`): it must be
   * in their languages too. A contributor's new item names them (its scope is checked against them).
   */
  gates: z.array(Id).min(1).max(50).optional(),
};

export const NoticeLayout = z.enum(["stacked", "side-by-side", "alternate"]);

export const NoticeItem = z.strictObject({
  ...itemCommon,
  kind: z.literal("notice"),
  title: Localized,
  body: Localized,
  layout: NoticeLayout.default("stacked"),
});

export const ImageItem = z.strictObject({
  ...itemCommon,
  kind: z.literal("image"),
  /** sha256 of the media file in the store. */
  media: Sha256,
  caption: Localized.optional(),
  fit: z.enum(["contain", "cover"]).default("cover"),
});

export const VideoItem = z.strictObject({
  ...itemCommon,
  kind: z.literal("video"),
  media: Sha256,
  caption: Localized.optional(),
});

export const WebItem = z.strictObject({
  ...itemCommon,
  kind: z.literal("web"),
  url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
  caption: Localized.optional(),
});

/**
 * The state of a gate's crossings, as a board (`gateStatus.ts`): rows in force at the kiosk's clock,
 * each dropping off when its window ends. Each row names its issuing agency, so the item needs no
 * `source` of its own.
 */
export const GateStatusItem = z.strictObject({
  ...itemCommon,
  kind: z.literal("gate-status"),
  /** The gate whose crossings these are (also one of the item's gates). */
  gate: Id,
  /** The board's heading; absent: "Tình trạng cửa khẩu / 口岸通行状态". */
  title: Localized.optional(),
  rows: z.array(GateStatusRow).max(MAX_STATUS_ROWS).default([]),
});

/** Every localized field of an item whose Chinese is required by its category. */
export function requireChinese(
  item: { kind: string; category: Category } & Partial<Record<"title" | "body" | "caption", Localized | undefined>>,
  ctx: z.RefinementCtx,
): void {
  if (!ZH_REQUIRED.has(item.category)) return;
  const what = item.kind === "notice" ? `${item.category} notices` : `${item.category} items`;
  for (const field of ["title", "body", "caption"] as const) {
    const text = item[field];
    if (text && !text.zh)
      ctx.addIssue({
        code: "custom",
        path: [field, "zh"],
        message: `required for ${what}`,
        params: refinement("zh-required", { category: item.category }),
      });
  }
}

export const Item = z
  .discriminatedUnion("kind", [NoticeItem, ImageItem, VideoItem, WebItem, GateStatusItem])
  .superRefine(requireChinese);
export type Item = z.infer<typeof Item>;
export type GateStatusItem = z.infer<typeof GateStatusItem>;
export type NoticeItem = z.infer<typeof NoticeItem>;
export type ImageItem = z.infer<typeof ImageItem>;
export type VideoItem = z.infer<typeof VideoItem>;
export type WebItem = z.infer<typeof WebItem>;
export type ItemKind = Item["kind"];

export const PlaylistEntry = z.union([Id, z.strictObject({ item: Id, duration: Duration.optional() })]);
export type PlaylistEntry = z.infer<typeof PlaylistEntry>;

export const Playlist = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(200),
  items: z.array(PlaylistEntry).min(1, { error: "a playlist needs at least one item" }),
});
export type Playlist = z.infer<typeof Playlist>;

export const ScheduleEntry = z.strictObject({
  id: Id,
  playlist: Id,
  targets: Targets.default({}),
  ...timing,
  priority: z.int({ error: "expected a whole number" }).min(-1000).max(1000).default(0),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntry>;

export const Severity = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof Severity>;

export const Alert = z
  .strictObject({
    id: Id,
    severity: Severity,
    message: Bilingual,
    targets: Targets.default({}),
    startsAt: Instant,
    expiresAt: Instant,
  })
  .refine((a) => Date.parse(a.expiresAt) > Date.parse(a.startsAt), {
    error: "must be after startsAt",
    path: ["expiresAt"],
    params: refinement("range-order", { after: "startsAt" }),
  });
export type Alert = z.infer<typeof Alert>;

/** A host name a `web` item may show, e.g. "langson.gov.vn". */
export const WebHost = z.stringFormat("host", /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: "expected a host name",
});

/** Stored media, addressed by content hash. */
export const MediaInfo = z.strictObject({
  sha256: Sha256,
  bytes: z.int().nonnegative(),
  mime: z.string().min(3),
});
export type MediaInfo = z.infer<typeof MediaInfo>;

/** Everything a release is made of. Cross-references are checked by `checkContent`. */
export const Content = z.strictObject({
  gates: z.array(Gate).default([]),
  screens: z.array(Screen).default([]),
  items: z.array(Item).default([]),
  playlists: z.array(Playlist).default([]),
  schedules: z.array(ScheduleEntry).default([]),
  alerts: z.array(Alert).default([]),
  webHosts: z.array(WebHost).default([]),
  media: z.array(MediaInfo).default([]),
});
export type Content = z.infer<typeof Content>;
