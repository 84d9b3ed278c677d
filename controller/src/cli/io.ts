/** Where a command writes: the real console, or a buffer in tests. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export const DEFAULT_CONTENT_DIR = "playlists/content";
