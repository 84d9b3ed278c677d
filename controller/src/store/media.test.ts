import { createHash } from "node:crypto";
import { link, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Store } from "./index.ts";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("importing media files", () => {
  it("never writes into a file already in the media folder: it may be a hard link to the very source", async () => {
    const root = await mkdtemp(join(tmpdir(), "gatecast-media-"));
    dirs.push(root);
    const source = join(root, "content", "photo.png");
    await mkdir(join(root, "content"));
    const bytes = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), Buffer.from("a photo of Mẫu Sơn")]);
    await writeFile(source, bytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const info = { sha256, bytes: bytes.length, mime: "image/png" as const };
    const dataDir = join(root, "data");

    // a first store imports it (hard-linked), then the store is lost and a new one made over the same media
    const first = await Store.open(dataDir);
    await first.media.importFile(source, info, 0);
    first.close();
    for (const f of ["gatecast.db", "gatecast.db-wal", "gatecast.db-shm"]) await rm(join(dataDir, f), { force: true });
    const again = await Store.open(dataDir);
    try {
      await again.media.importFile(source, info, 0);
      expect(await readFile(source)).toEqual(bytes);
      expect(await readFile(again.media.path(sha256))).toEqual(bytes);
      expect(again.media.info(sha256)).toMatchObject({ bytes: bytes.length });

      // a wrong file at the target is replaced, not written through
      await rm(again.media.path(sha256));
      const wrong = join(root, "wrong.png");
      await writeFile(wrong, "not the photo");
      await link(wrong, again.media.path(sha256));
      again.db.prepare("DELETE FROM media").run();
      await again.media.importFile(source, info, 0);
      expect(await readFile(wrong, "utf8")).toBe("not the photo");
      expect(await readFile(again.media.path(sha256))).toEqual(bytes);
      expect((await stat(source)).size).toBe(bytes.length);
    } finally {
      again.close();
    }
  });
});
