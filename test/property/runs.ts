import fc from "fast-check";

/** Runs per property: 10,000 in CI (where CI is set), 1,000 on a developer machine. */
export const NUM_RUNS = process.env.CI ? 10_000 : 1_000;

/** Cut positions for a byte stream, taken modulo its length, so any stream can be cut. */
export const cutPoints = fc.array(fc.nat(), { maxLength: 16 });

/** Cuts `bytes` at each position in `cuts` (modulo its length), keeping empty chunks out. */
export function cutAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  if (bytes.length === 0) {
    return [bytes];
  }

  const positions = [...new Set(cuts.map((cut) => cut % bytes.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const position of [...positions, bytes.length]) {
    if (position > start) {
      chunks.push(bytes.subarray(start, position));
      start = position;
    }
  }
  return chunks;
}

/** Time allowed for one property in CI, where it runs ten times as often. */
export const PROPERTY_TIMEOUT_MS = 120_000;
