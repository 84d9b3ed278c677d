/** The bundled font families (renamed at build time so no installed system font can stand in). */
export const FAMILY_LATIN = "GC Noto Sans";
export const FAMILY_CJK = "GC Noto Sans SC";
