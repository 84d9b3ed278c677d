import { describe, expect, it } from "vitest";
import {
  adoptGatesZone,
  formatDateTime,
  formatLocalDate,
  isoLocal,
  localToday,
  parseLocalDate,
  parseLocalTime,
  startOfLocalDay,
} from "./format.ts";

describe("dates and times as operators type them", () => {
  it("reads d/M/yyyy with /, . or - and refuses dates that do not exist", () => {
    expect(parseLocalDate("23/11/2026")).toBe("2026-11-23");
    expect(parseLocalDate(" 1.2.2027 ")).toBe("2027-02-01");
    expect(parseLocalDate("29-2-2028")).toBe("2028-02-29");
    expect(parseLocalDate("29/02/2027")).toBeNull();
    expect(parseLocalDate("31/12/26")).toBeNull();
    expect(parseLocalDate("2026-11-23")).toBeNull();
    expect(parseLocalDate("")).toBeNull();
  });

  it("reads HH:mm, H:mm, 7h05 and 0705, and refuses times past 23:59", () => {
    expect(parseLocalTime("7:05")).toBe("07:05");
    expect(parseLocalTime("07:05")).toBe("07:05");
    expect(parseLocalTime("7h05")).toBe("07:05");
    expect(parseLocalTime("0705")).toBe("07:05");
    expect(parseLocalTime("23:59")).toBe("23:59");
    expect(parseLocalTime("24:00")).toBeNull();
    expect(parseLocalTime("7:60")).toBeNull();
    expect(parseLocalTime("7h")).toBeNull();
  });

  it("shows a stored date as dd/MM/yyyy and leaves anything else alone", () => {
    expect(formatLocalDate("2026-11-23")).toBe("23/11/2026");
    expect(formatLocalDate(undefined)).toBe("");
    expect(formatLocalDate("soon")).toBe("soon");
  });

  it("counts days in gate-local time, not UTC", () => {
    // 23:30 UTC on the 22nd is already the 23rd at the gate (UTC+7)
    expect(localToday(Date.parse("2026-11-22T23:30:00Z"))).toBe("2026-11-23");
    expect(startOfLocalDay("2026-11-23")).toBe(Date.parse("2026-11-23T00:00:00+07:00"));
    expect(isoLocal(Date.parse("2026-11-23T01:02:03Z"))).toBe("2026-11-23T08:02:03+07:00");
  });

  it("follows the gate's own zone (gate.timezone), offset included, never a fixed +07:00", () => {
    const at = Date.parse("2026-07-01T01:02:03Z");
    expect(isoLocal(at, "Asia/Shanghai")).toBe("2026-07-01T09:02:03+08:00");
    expect(isoLocal(at, "Europe/Berlin")).toBe("2026-07-01T03:02:03+02:00");
    expect(isoLocal(Date.parse("2026-01-01T01:02:03Z"), "Europe/Berlin")).toBe("2026-01-01T02:02:03+01:00");
    expect(startOfLocalDay("2026-11-23", "Asia/Shanghai")).toBe(Date.parse("2026-11-23T00:00:00+08:00"));
    adoptGatesZone([{ timezone: "Asia/Shanghai" }]);
    try {
      expect(localToday(Date.parse("2026-11-22T16:30:00Z"))).toBe("2026-11-23");
      expect(formatDateTime(Date.parse("2026-11-23T01:00:00Z"))).toBe("23/11/2026 09:00");
    } finally {
      adoptGatesZone([{ timezone: "Asia/Ho_Chi_Minh" }]);
    }
    expect(formatDateTime(Date.parse("2026-11-23T01:00:00Z"))).toBe("23/11/2026 08:00");
  });
});

describe("lengths of time in words", () => {
  it("reads as durations, not clock times, with the right plural in English", async () => {
    const { formatSeconds, formatSpan } = await import("./format.ts");
    const { lang } = await import("../i18n.ts");
    expect(formatSeconds(934)).toBe("15 phút 34 giây");
    expect(formatSeconds(40)).toBe("40 giây");
    expect(formatSeconds(3725)).toBe("1 giờ 2 phút");
    expect(formatSpan(22 * 60)).toBe("22 giờ");
    lang.value = "en";
    try {
      expect(formatSpan(60)).toBe("1 hour");
      expect(formatSpan(90)).toBe("1 hour 30 minutes");
      expect(formatSeconds(61)).toBe("1 minute 1 second");
    } finally {
      lang.value = "vi";
    }
  });
});
