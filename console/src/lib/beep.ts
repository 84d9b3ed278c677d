/** A short two-tone alarm through WebAudio; browsers keep the context suspended until a click. */
let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = window.AudioContext;
  if (!Ctor) return null;
  ctx = new Ctor();
  return ctx;
}

export function soundBlocked(): boolean {
  const c = context();
  return c !== null && c.state !== "running";
}

/** Call from a click handler: lets the page make sound afterwards. */
export async function unlockSound(): Promise<boolean> {
  const c = context();
  if (!c) return false;
  try {
    await c.resume();
  } catch {
    return false;
  }
  return c.state === "running";
}

export function beep(): void {
  const c = context();
  if (c?.state !== "running") return;
  const start = c.currentTime + 0.02;
  for (const [i, freq] of [880, 660, 880].entries()) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = "square";
    osc.frequency.value = freq;
    const t0 = start + i * 0.22;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.15, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.18);
    osc.connect(gain).connect(c.destination);
    osc.start(t0);
    osc.stop(t0 + 0.2);
  }
}
