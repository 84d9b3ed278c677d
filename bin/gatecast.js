#!/usr/bin/env node
// The gatecast command line. TypeScript sources run through tsx: no build step between a change and a run.
import { register } from "tsx/esm/api";

register();
await import("../controller/src/cli/run.ts");
