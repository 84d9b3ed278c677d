/// <reference types="vite/client" />

/** Package version and build stamp, injected by vite.config.ts. */
declare const __APP_VERSION__: string;
