import { Item } from "@gatecast/playlists";
import { DOMAIN_ISSUE_CODES, ERROR_STATUS, type ErrorCode } from "@gatecast/playlists/api";
import { afterEach, describe, expect, it } from "vitest";
import { lang } from "../i18n.ts";
import { ApiError, type FailureCode } from "./api.ts";
import { errorText, issueMap, issueText } from "./messages.ts";
import { issuesOf } from "./validate.ts";

const both = <T>(fn: () => T): { vi: T; en: T } => {
  lang.value = "vi";
  const vi = fn();
  lang.value = "en";
  const en = fn();
  lang.value = "vi";
  return { vi, en };
};

afterEach(() => {
  lang.value = "vi";
});

describe("issue codes in the operator's words", () => {
  it("names the category a text needs Chinese for, in its one wording", () => {
    expect(both(() => issueText({ code: "zh-required", params: { category: "procedure" } }))).toEqual({
      vi: "bắt buộc với chuyên mục “Thủ tục xuất nhập cảnh”",
      en: "required for the category “Procedure”",
    });
  });

  it("names what a reference points at, lower-case inside the sentence", () => {
    expect(both(() => issueText({ code: "unknown-ref", params: { kind: "playlist", id: "tet" } }))).toEqual({
      vi: "không có danh sách phát “tet”",
      en: "there is no playlist “tet”",
    });
  });

  it("tells a missing value from a wrong one, and sizes by what was measured", () => {
    expect(
      both(() => issueText({ code: "invalid_type", params: { expected: "string", received: "undefined" } })).vi,
    ).toBe("bắt buộc");
    expect(issueText({ code: "invalid_type", params: { expected: "string", received: "number" } })).toBe(
      "giá trị không hợp lệ",
    );
    expect(
      both(() => issueText({ code: "too_big", params: { origin: "string", maximum: 2000, inclusive: true } })),
    ).toEqual({ vi: "quá dài (tối đa 2000 ký tự)", en: "too long (at most 2000 characters)" });
    expect(issueText({ code: "too_small", params: { origin: "number", minimum: 0, inclusive: false } })).toBe(
      "phải lớn hơn 0",
    );
    expect(issueText({ code: "invalid_format", params: { format: "time", received: "empty" } })).toBe("bắt buộc");
  });

  it("words what the domain schemas report, never zod's English", () => {
    const issues = issuesOf(Item, {
      id: "Bad Id",
      kind: "notice",
      category: "border-law",
      duration: 0,
      title: { vi: "Tiêu đề" },
      body: { vi: "" },
    });
    const texts = issueMap(issues);
    expect(Object.fromEntries(texts)).toEqual({
      id: "mã không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu “-” (tối đa 64 ký tự)",
      duration: "phải dài hơn 0 giây",
      "body.vi": "không được để trống",
      "title.zh": "bắt buộc với chuyên mục “Pháp luật biên giới”",
      "body.zh": "bắt buộc với chuyên mục “Pháp luật biên giới”",
    });
  });

  it("has a text for every domain code in both languages, with every placeholder filled", () => {
    for (const code of DOMAIN_ISSUE_CODES) {
      const params = {
        category: "alert",
        kind: "item",
        id: "x",
        host: "a.vn",
        maxDays: 400,
        ids: ["a"],
        after: "from",
      };
      const { vi, en } = both(() => issueText({ code, params }));
      expect(vi, code).not.toMatch(/[{}]|^issue\./);
      expect(en, code).not.toMatch(/[{}]|^issue\./);
      expect(vi, code).not.toBe(en);
    }
  });
});

describe("error codes in the operator's words", () => {
  const err = (code: FailureCode, params = {}, issues: ApiError["issues"] = []) =>
    new ApiError(400, code, "English for the logs", issues, params);

  it("has a text for every code the controller may answer with", () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      const { vi, en } = both(() => errorText(err(code, { kind: "item", id: "x", release: 3, maxBytes: 1_048_576 })));
      expect(vi, code).not.toMatch(/[{}]|^err\.|English for the logs/);
      expect(en, code).not.toMatch(/[{}]|^err\.|English for the logs/);
    }
  });

  it("fills in what the error names", () => {
    expect(both(() => errorText(err("unchanged", { release: 4 })))).toEqual({
      vi: "Không có gì thay đổi: bản phát hành 4 đã chứa đúng nội dung này.",
      en: "Nothing changed: release 4 already holds exactly this content.",
    });
    expect(errorText(err("exists", { kind: "alert", id: "khan-1" }))).toBe("Thông báo khẩn “khan-1” đã tồn tại.");
    expect(errorText(err("too-large", { maxBytes: 500 * 1_048_576 }))).toBe("Tệp lớn hơn giới hạn 500 MB.");
    expect(errorText(err("rate-limited", { scope: "login", retryAfterS: 900 }))).toBe(
      "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.",
    );
    expect(errorText(err("validation", {}, [{ path: "id", code: "exists", message: "" }]))).toBe(
      "Vui lòng sửa các trường được đánh dấu.",
    );
    expect(errorText(err("network"))).toBe("Không kết nối được tới máy chủ điều khiển. Kiểm tra mạng rồi thử lại.");
  });
});
