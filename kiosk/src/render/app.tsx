import { critical, display, identify, manifest, phase, slot, sync } from "../app/state.ts";
import { AlertBanner, CriticalAlert } from "./alerts.tsx";
import { Header, Progress } from "./header.tsx";
import { Boot, Identify, Idle, Insecure, Pairing, Waiting } from "./screens.tsx";
import { Stage } from "./stage.tsx";

/** The whole screen, from the kiosk's phase and the playing manifest. */
export function App() {
  const p = phase.value;
  if (p.kind === "insecure") return <Insecure origin={location.origin} />;
  if (p.kind === "boot") return <Boot />;
  if (p.kind === "pairing") return <Pairing view={p.view} />;
  const m = manifest.value;
  const s = sync.value;
  if (!m) {
    return (
      <>
        <Waiting
          screenId={p.screenId}
          media={s?.media ?? { ready: 0, total: 0 }}
          pending={s?.pending?.manifest.version ?? null}
        />
        {identify.value && <Identify screenId={p.screenId} manifest={null} />}
      </>
    );
  }
  const current = slot.value;
  if (display.value === "dark-by-schedule") {
    // outside the on-hours: black, nothing playing (the panel is asked to sleep too)
    return (
      <>
        <div class="dark-screen" data-display="dark-by-schedule" data-manifest-version={m.version} />
        {identify.value && <Identify screenId={p.screenId} manifest={m} />}
      </>
    );
  }
  return (
    <>
      <div class={`screen orientation-${m.screen.orientation}`} data-manifest-version={m.version}>
        <Header gate={m.gate} />
        <Progress />
        <section class="stage">{current ? <Stage slot={current} /> : <Idle manifest={m} />}</section>
        <AlertBanner />
      </div>
      {critical.value.length > 0 && <CriticalAlert />}
      {identify.value && <Identify screenId={p.screenId} manifest={m} />}
    </>
  );
}
