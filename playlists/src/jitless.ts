import { z } from "zod";

/**
 * Imported first (before any schema is built) by pages under a strict Content-Security-Policy without
 * `unsafe-eval` (kiosk, console): zod then never compiles parsers with `new Function`, and never probes
 * whether it could (a probe the browser reports as a CSP violation).
 */
z.config({ jitless: true });
