import type { Gate } from "@gatecast/playlists";
import { useComputed } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { onFrame } from "../app/frames.ts";
import { now, slot, sync } from "../app/state.ts";
import { BEIJING, hhmm, zoneLabel } from "./labels.ts";
import { useFit } from "./use-fit.ts";

/** The gate's name in both languages, gate-local and Beijing time, and the current item's progress. */
export function Header({ gate }: { gate: Gate }) {
  const box = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  useFit(box, content, [gate.name.vi, gate.name.zh], { min: 10, max: (b) => Math.round(b.clientHeight * 0.42) });
  const local = zoneLabel(gate.timezone);
  const localTime = useComputed(() => hhmm(now.value, gate.timezone));
  const beijingTime = useComputed(() => hhmm(now.value, BEIJING.zone));
  const offline = useComputed(() => sync.value !== null && !sync.value.connected);
  return (
    <header class="header">
      <div class="gate-name fit-box" ref={box}>
        <div class="fit-content gate-name-content" ref={content}>
          <span class="gate-vi" lang="vi">
            {gate.name.vi}
          </span>
          <span class="gate-zh" lang="zh-Hans">
            {gate.name.zh}
          </span>
        </div>
      </div>
      <div class="clocks">
        <Clock vi={local.vi} zh={local.zh} time={localTime.value} />
        <Clock vi={BEIJING.vi} zh={BEIJING.zh} time={beijingTime.value} />
      </div>
      <span class={`link-dot${offline.value ? " off" : ""}`} aria-hidden="true" />
    </header>
  );
}

function Clock({ vi, zh, time }: { vi: string; zh: string; time: string }) {
  return (
    <div class="clock">
      <span class="clock-label">
        <span lang="vi">{vi}</span>
        <span lang="zh-Hans">{zh}</span>
      </span>
      <span class="clock-time">{time}</span>
    </div>
  );
}

/** A thin bar under the header: how far the current item is through its time. Driven per frame. */
export function Progress() {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(
    () =>
      onFrame((t) => {
        const s = slot.peek();
        const el = bar.current;
        if (!el) return;
        const p = s ? Math.min(1, Math.max(0, (t - s.startsAt) / Math.max(1, s.endsAt - s.startsAt))) : 0;
        el.style.transform = `scaleX(${p.toFixed(4)})`;
      }),
    [],
  );
  return (
    <div class="progress" aria-hidden="true">
      <div class="progress-bar" ref={bar} />
    </div>
  );
}
