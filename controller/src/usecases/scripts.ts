import type { Alert, Content, Item } from "@gatecast/playlists";
import type { ApiIssue } from "@gatecast/playlists/api";
import {
  type ScriptIssue,
  scriptIssuesOfAlert,
  scriptIssuesOfContent,
  scriptIssuesOfItem,
  scriptToolsOf,
} from "@gatecast/playlists/script";
import * as OpenCC from "opencc-js/t2cn";
import { issue } from "../errors.ts";

/*
 * The script checks the controller enforces: Traditional-only Chinese, Latin text in a Chinese field
 * and characters the kiosk cannot draw are refused in border-law, procedure and alert texts, at save
 * and at release (warnings elsewhere are the console's to show). Stored releases are not re-checked.
 */

const tools = scriptToolsOf(OpenCC);

const out = (i: ScriptIssue, prefix: (string | number)[] = []): ApiIssue =>
  issue([...prefix, ...i.path].join("."), i.code, i.message, i.params);

const errors = (issues: ScriptIssue[]) => issues.filter((i) => i.severity === "error");

/** An item's refused texts, at paths inside it (`title.zh`). */
export const itemScriptErrors = (item: Item): ApiIssue[] => errors(scriptIssuesOfItem(item, tools)).map((i) => out(i));

/** An alert's refused texts (`message.zh`). */
export const alertScriptErrors = (alert: Alert): ApiIssue[] =>
  errors(scriptIssuesOfAlert(alert, tools)).map((i) => out(i));

/** A content's refused texts, at paths inside it (`items.3.title.zh`). */
export const contentScriptErrors = (content: Pick<Content, "items" | "alerts">): ApiIssue[] =>
  scriptIssuesOfContent(content, tools)
    .filter((i) => i.severity === "error")
    .map((i) => out(i));
