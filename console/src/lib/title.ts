import { signal } from "@preact/signals";

/** Screens in alarm, for the tab title: a technician sees "(2) ⚠" from another tab. */
export const alarmCount = signal(0);
