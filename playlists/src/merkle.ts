/**
 * A Merkle tree over a batch of manifests, so that one Ed25519 signature covers many screens: the
 * controller signs the root once, and each screen gets its own manifest with the few hashes that lead
 * from it to the root (its inclusion proof). Leaves and inner nodes are hashed apart (RFC 6962: a 0x00
 * prefix for a leaf, 0x01 for a node), so a node can never pass for a leaf. A level with an odd number
 * of nodes carries its last one up unchanged.
 *
 * Pure: the hash is passed in (Node's crypto in the controller, WebCrypto in a kiosk).
 */

export type SyncHash = (data: Uint8Array) => Uint8Array;
export type Hash = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

const LEAF = 0x00;
const NODE = 0x01;

function prefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const leafInput = (leaf: Uint8Array) => prefixed(LEAF, leaf);
export const nodeInput = (left: Uint8Array, right: Uint8Array) => prefixed(NODE, left, right);

export interface MerkleTree {
  root: Uint8Array;
  size: number;
  /** The sibling hashes from leaf `index` up to the root. */
  proof(index: number): Uint8Array[];
}

/** The tree over `leaves` (each a leaf's bytes, e.g. a manifest's canonical JSON). */
export function merkleTree(leaves: readonly Uint8Array[], hash: SyncHash): MerkleTree {
  if (leaves.length === 0) throw new Error("a Merkle tree needs at least one leaf");
  const levels: Uint8Array[][] = [leaves.map((l) => hash(leafInput(l)))];
  for (let level = levels[0] as Uint8Array[]; level.length > 1; ) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i] as Uint8Array;
      const right = level[i + 1];
      up.push(right ? hash(nodeInput(left, right)) : left);
    }
    levels.push(up);
    level = up;
  }
  return {
    root: (levels[levels.length - 1] as Uint8Array[])[0] as Uint8Array,
    size: leaves.length,
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`no leaf ${index}`);
      const path: Uint8Array[] = [];
      let i = index;
      for (const level of levels.slice(0, -1)) {
        const sibling = level[i % 2 === 1 ? i - 1 : i + 1];
        if (sibling) path.push(sibling);
        i = Math.floor(i / 2);
      }
      return path;
    },
  };
}

/**
 * The root that leaf `index` of a tree of `size` leaves leads to through `proof`, or null when the proof
 * has the wrong length for that position (a proof is never padded or cut short).
 */
export async function merkleRootOf(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  hash: Hash,
): Promise<Uint8Array | null> {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return null;
  let node = await hash(leafInput(leaf));
  let i = index;
  let n = size;
  let used = 0;
  while (n > 1) {
    if (i % 2 === 1) {
      const left = proof[used++];
      if (!left) return null;
      node = await hash(nodeInput(left, node));
    } else if (i + 1 < n) {
      const right = proof[used++];
      if (!right) return null;
      node = await hash(nodeInput(node, right));
    }
    i = Math.floor(i / 2);
    n = Math.ceil(n / 2);
  }
  return used === proof.length ? node : null;
}
