/**
 * Search that forgives missing diacritics, shared by the console's library search and the kiosk's
 * lookup point: "hai quan" finds "hải quan", "dong dang" finds "Đồng Đăng", "tien mat" finds "tiền mặt".
 * Unicode decomposition strips tone and vowel marks, but đ/Đ are letters of their own (no
 * decomposition), so they are mapped by hand. Han text passes through unchanged (matched as typed).
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const SPACES = /\s+/g;

/** Lower-cases, removes Vietnamese (and other Latin) diacritics, turns đ into d and squeezes spaces. */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .replace(/[đĐ]/g, "d")
    .normalize("NFC")
    .toLowerCase()
    .replace(SPACES, " ")
    .trim();
}

/** The query's words (folded), in order; an empty query has none. */
export function searchTerms(query: string): string[] {
  const folded = foldForSearch(query);
  return folded === "" ? [] : folded.split(" ");
}

/**
 * True when every word of the query occurs in one of the texts (after folding both sides). An empty
 * query matches everything. A query typed with diacritics still matches text written with them.
 */
export function matchesSearch(query: string, texts: readonly (string | undefined)[]): boolean {
  const terms = searchTerms(query);
  if (terms.length === 0) return true;
  const haystack = texts
    .filter((t): t is string => typeof t === "string")
    .map(foldForSearch)
    .join("\n");
  return terms.every((term) => haystack.includes(term));
}
