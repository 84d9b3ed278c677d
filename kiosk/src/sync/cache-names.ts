/** Cache Storage names shared by the page and the service worker. */
export const MEDIA_CACHE = "gatecast-media-v1";
/** Font slices fetched on demand (rare CJK characters); the common ones are in the workbox precache. */
export const FONT_CACHE = "gatecast-fonts-v1";
/** Header on each cached media response naming the sha256 it was verified against. */
export const SHA_HEADER = "x-gatecast-sha256";
