import type { Alert } from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { services } from "../app/services.ts";
import { banners, critical, now } from "../app/state.ts";
import { SEVERITY_LABEL } from "./labels.ts";
import { LANG_TAG, languagesOf } from "./text.ts";
import { screenCap, useFit } from "./use-fit.ts";

const ROTATE_MS = 10_000;

function useRotating(list: Alert[]): { alert: Alert | undefined; index: number } {
  const tick = useComputed(() => Math.floor(now.value / ROTATE_MS));
  const index = list.length > 0 ? tick.value % list.length : 0;
  return { alert: list[index], index };
}

function useShown(alert: Alert | undefined): void {
  const id = alert?.id;
  useEffect(() => {
    if (id) services.alertShown(id);
  }, [id]);
}

function AlertIcon() {
  return (
    <svg class="alert-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 2 1 21h22L12 2z" fill="currentColor" />
      <path d="M11 9h2v6h-2zM11 17h2v2h-2z" fill="var(--alert-bg)" />
    </svg>
  );
}

/** A critical alert takes the whole screen; several rotate. It ends at its expiry by the kiosk clock. */
export function CriticalAlert() {
  const list = critical.value;
  const { alert, index } = useRotating(list);
  useShown(alert);
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useFit(box, content, [alert?.id, alert?.message], { max: () => screenCap(0.1) });
  if (!alert) return null;
  const langs = languagesOf(alert.message);
  const label = SEVERITY_LABEL.critical;
  return (
    <div class="critical" role="alert" data-alert={alert.id}>
      <div class="critical-head">
        <AlertIcon />
        <span lang="vi">{label.vi}</span>
        <span lang="zh-Hans">{label.zh}</span>
        <span lang="en">{label.en}</span>
        {list.length > 1 && (
          <span class="critical-count">
            {index + 1}/{list.length}
          </span>
        )}
      </div>
      <div class="fit-box critical-box" ref={box}>
        <div class="fit-content critical-content" ref={content}>
          {langs.map((l) => (
            <p key={l} class={`critical-line lang-${l}`} lang={LANG_TAG[l]}>
              {alert.message[l]}
            </p>
          ))}
        </div>
      </div>
    </div>
  );
}

/** Warnings (amber) and notices (blue) as a band at the bottom; several rotate. */
export function AlertBanner() {
  const list = banners.value;
  const { alert } = useRotating(list);
  useShown(alert);
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useFit(box, content, [alert?.id, alert?.message], { max: () => screenCap(0.045) });
  if (!alert) return null;
  const langs = languagesOf(alert.message);
  return (
    <div class={`banner sev-${alert.severity}`} role="status" data-alert={alert.id}>
      <AlertIcon />
      <div class="fit-box banner-box" ref={box}>
        <div class="fit-content banner-content" ref={content}>
          {langs.map((l) => (
            <p key={l} class={`banner-line lang-${l}`} lang={LANG_TAG[l]}>
              {alert.message[l]}
            </p>
          ))}
        </div>
      </div>
    </div>
  );
}
