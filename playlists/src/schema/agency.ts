import { z } from "zod";
import { Id, LocalDate, Localized } from "./common.ts";

/*
 * Who issues official information. The cluster shows only what an agency that owns it supplied
 * (DESIGN.md, "Official information"): every item can name its source, border-law and procedure items
 * must, and a contributor account (or an API token) is bound to one agency.
 */

/** What kind of body an agency is: enough to sort the list and to pick a default category. */
export const AgencyType = z.enum(["border-guard", "customs", "quarantine", "economic-zone", "department", "other"]);
export type AgencyType = z.infer<typeof AgencyType>;

/** An agency, by a stable id; its name is written as it signs its documents, in the gate's languages. */
export const Agency = z.strictObject({
  id: Id,
  type: AgencyType,
  name: Localized,
});
export type Agency = z.infer<typeof Agency>;

/**
 * The agencies that supply information at the Lạng Sơn gates. Names are the agencies' own; Chinese
 * renderings are those used at the gates. A new agency is added here (one list, like the categories).
 */
export const AGENCIES = [
  {
    id: "bdbp-lang-son",
    type: "border-guard",
    name: {
      vi: "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn",
      zh: "谅山省边防部队指挥部",
      en: "Lạng Sơn Provincial Border Guard Command",
    },
  },
  {
    id: "hq-lang-son",
    type: "customs",
    name: { vi: "Cục Hải quan tỉnh Lạng Sơn", zh: "谅山省海关局", en: "Lạng Sơn Customs Department" },
  },
  {
    id: "hq-huu-nghi",
    type: "customs",
    name: {
      vi: "Chi cục Hải quan cửa khẩu Hữu Nghị",
      zh: "友谊口岸海关分局",
      en: "Hữu Nghị Border Gate Customs Branch",
    },
  },
  {
    id: "bql-kkt-dong-dang",
    type: "economic-zone",
    name: {
      vi: "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn",
      zh: "同登－谅山口岸经济区管理委员会",
      en: "Đồng Đăng - Lạng Sơn Border Gate Economic Zone Authority",
    },
  },
  {
    id: "svhttdl-lang-son",
    type: "department",
    name: {
      vi: "Sở Văn hóa, Thể thao và Du lịch Lạng Sơn",
      zh: "谅山省文化体育旅游厅",
      en: "Lạng Sơn Department of Culture, Sports and Tourism",
    },
  },
] as const satisfies readonly Agency[];

export type AgencyId = (typeof AGENCIES)[number]["id"];
const AGENCY_IDS = AGENCIES.map((a) => a.id) as [AgencyId, ...AgencyId[]];
/** One of `AGENCIES`, by id (what a contributor account or an API token is bound to). */
export const AgencyRef = z.enum(AGENCY_IDS, { error: (i) => `unknown agency ${JSON.stringify(i.input)}` });

export const agencyById = (id: string): Agency | undefined => AGENCIES.find((a) => a.id === id);

/** Whether a source's agency is this agency: its Vietnamese name, as written on the item. */
export const isAgency = (source: Source | undefined, agency: Agency): boolean =>
  source !== undefined && source.agency.vi.trim() === agency.name.vi;

/**
 * Who issued an item and on what authority: the agency's name in the item's languages (Vietnamese
 * always), the document it rests on (e.g. a công văn's number) and its date. Optional in the schema so
 * releases and manifests made before it still read; the content check requires it where it matters.
 */
export const Source = z.strictObject({
  agency: Localized,
  document: z.string().trim().min(1, { error: "must not be empty" }).max(200).optional(),
  date: LocalDate.optional(),
});
export type Source = z.infer<typeof Source>;
