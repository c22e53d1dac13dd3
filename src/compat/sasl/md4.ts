/*
 * MD4 (RFC 1320), needed only for the NT password hash of NTLM. Node 20's OpenSSL 3 build does
 * not load the legacy provider, so `crypto.createHash("md4")` throws ERR_OSSL_EVP_UNSUPPORTED.
 * MD4 is broken as a general hash, so nothing else should use it.
 */

/** Order in which each round reads the 16 words of a block (RFC 1320 §3.4). */
const ROUND_WORD_ORDER: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
  [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
];

/** Left-rotation amounts. Each round cycles through its four. */
const ROUND_SHIFTS: readonly (readonly number[])[] = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
];

/** Constants added in rounds 2 and 3: the square roots of 2 and 3 as 32-bit fractions. */
const ROUND_CONSTANTS = [0, 0x5a827999, 0x6ed9eba1] as const;

const BLOCK_BYTES = 64;

/** Returns the 16-byte MD4 digest of `data`. */
export function md4(data: Uint8Array): Buffer {
  const padded = pad(data);
  const state = new Uint32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const words = new Uint32Array(16);

  for (let offset = 0; offset < padded.length; offset += BLOCK_BYTES) {
    for (let i = 0; i < 16; i++) {
      words[i] = padded.readUInt32LE(offset + i * 4);
    }
    compress(state, words);
  }

  const digest = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) {
    digest.writeUInt32LE(state[i] ?? 0, i * 4);
  }
  return digest;
}

/**
 * Appends the 0x80 byte, zeros up to 56 bytes modulo 64, and the message length in bits as a
 * 64-bit little-endian number (RFC 1320 §3.1 and §3.2).
 */
function pad(data: Uint8Array): Buffer {
  const zeroBytes = (BLOCK_BYTES + 55 - (data.length % BLOCK_BYTES)) % BLOCK_BYTES;
  const padded = Buffer.alloc(data.length + 1 + zeroBytes + 8);
  padded.set(data, 0);
  padded[data.length] = 0x80;
  padded.writeBigUInt64LE(BigInt(data.length) * 8n, padded.length - 8);
  return padded;
}

/** Runs the three rounds of 16 operations over one block and adds the result into `state`. */
function compress(state: Uint32Array, words: Uint32Array): void {
  const registers = [state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, state[3] ?? 0];

  for (let round = 0; round < 3; round++) {
    const order = ROUND_WORD_ORDER[round] ?? [];
    const shifts = ROUND_SHIFTS[round] ?? [];
    const constant = ROUND_CONSTANTS[round] ?? 0;

    for (let step = 0; step < 16; step++) {
      // The register written cycles A, D, C, B. The other three feed the round function in
      // the order of the RFC's [abcd k s] notation.
      const a = (4 - (step % 4)) % 4;
      const b = (a + 1) % 4;
      const c = (a + 2) % 4;
      const d = (a + 3) % 4;
      const mixed = roundFunction(round, registers[b] ?? 0, registers[c] ?? 0, registers[d] ?? 0);
      const sum = ((registers[a] ?? 0) + mixed + (words[order[step] ?? 0] ?? 0) + constant) >>> 0;
      registers[a] = rotateLeft(sum, shifts[step % 4] ?? 0);
    }
  }

  for (let i = 0; i < 4; i++) {
    state[i] = ((state[i] ?? 0) + (registers[i] ?? 0)) >>> 0;
  }
}

/** F (round 1), G (round 2) and H (round 3) of RFC 1320 §3.4. */
function roundFunction(round: number, x: number, y: number, z: number): number {
  if (round === 0) {
    return (x & y) | (~x & z);
  }

  if (round === 1) {
    return (x & y) | (x & z) | (y & z);
  }

  return x ^ y ^ z;
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
