// first: no schema may be built before zod is told not to use eval (the CSP forbids it)
import "@gatecast/playlists/jitless";
import "@fontsource/noto-sans/400.css";
import "@fontsource/noto-sans/600.css";
import "@fontsource/noto-sans/700.css";
import "@fontsource/noto-sans-sc/400.css";
import "@fontsource/noto-sans-sc/700.css";
import "./styles.css";
import { render } from "preact";
import { App } from "./app.tsx";
import { lang } from "./i18n.ts";
import { restoreSession } from "./lib/session.ts";

document.documentElement.lang = lang.value;
const root = document.getElementById("app");
if (root) render(<App />, root);
void restoreSession();
