/**
 * The variable-width LZW compressor GIF image data uses (GIF89a spec, appendix F), written for speed:
 * typed arrays only, no allocation per pixel. The string table is the classic open-addressing hash from
 * Unix `compress` (as used by most GIF encoders): each entry is "prefix code + next index", stored as one
 * integer key, so a lookup is a couple of array reads instead of a Map or string operations.
 */

const MAX_CODE = 4096; // 12-bit codes
const HSIZE = 5003; // prime, ~80% larger than the 4096 table entries: short probe chains
const HSHIFT = 4; // (index << 4) ^ prefix spreads keys over the table; < 4096 + 4096 fits in HSIZE

/**
 * Compresses palette indices into GIF LZW codes. Reuse one instance for many frames: its hash tables
 * and output buffer are kept between calls.
 *
 * @example
 * const lzw = new LzwEncoder();
 * const bytes = lzw.encode(indices, 8); // raw code stream, before splitting into GIF sub-blocks
 */
export class LzwEncoder {
  private readonly keys = new Int32Array(HSIZE);
  private readonly codes = new Int32Array(HSIZE);
  private out = new Uint8Array(1 << 16);

  /**
   * Compresses `indices`.
   *
   * @param indices palette indices, each `< 2 ** minCodeSize`.
   * @param minCodeSize the GIF "LZW minimum code size", 2…8 (bits per index; 2 for palettes of ≤ 4 colours).
   * @param length how many of `indices` to encode (default all), so a reused buffer can be passed.
   * @returns the packed code stream (a fresh copy), starting with a clear code and ending with end-of-information.
   */
  encode(indices: Uint8Array, minCodeSize: number, length = indices.length): Uint8Array {
    if (!Number.isInteger(minCodeSize) || minCodeSize < 2 || minCodeSize > 8) {
      throw new RangeError(`Expected an LZW minimum code size of 2…8, got ${minCodeSize}`);
    }
    if (!Number.isInteger(length) || length < 1 || length > indices.length) {
      throw new RangeError(`Expected 1…${indices.length} indices to encode, got ${length}`);
    }
    // Worst case is one 12-bit code per index, plus clear codes and the end.
    const capacity = Math.ceil(length * 1.5) + 64 + Math.ceil(length / 4000) * 2;
    if (this.out.length < capacity) this.out = new Uint8Array(capacity);
    const out = this.out;
    const keys = this.keys;
    const codes = this.codes;
    const clearCode = 1 << minCodeSize;
    const endCode = clearCode + 1;
    const limit = clearCode; // indices must be below this
    let codeSize = minCodeSize + 1;
    let next = endCode + 1;
    let acc = 0;
    let accBits = 0;
    let pos = 0;

    const emit = (code: number): void => {
      acc |= code << accBits;
      accBits += codeSize;
      while (accBits >= 8) {
        out[pos++] = acc & 0xff;
        acc >>>= 8;
        accBits -= 8;
      }
    };

    keys.fill(-1);
    emit(clearCode);
    let prefix = indices[0]!;
    if (prefix >= limit) throw new RangeError(`Expected palette indices below ${limit}, got ${prefix} at 0`);
    for (let i = 1; i < length; i++) {
      const c = indices[i]!;
      const key = (c << 12) | prefix;
      let h = (c << HSHIFT) ^ prefix;
      const k = keys[h]!;
      if (k === key) {
        prefix = codes[h]!;
        continue;
      }
      if (k >= 0) {
        // Secondary probe with a fixed displacement (double hashing as in `compress`).
        const disp = h === 0 ? 1 : HSIZE - h;
        let found = false;
        do {
          h -= disp;
          if (h < 0) h += HSIZE;
          if (keys[h] === key) {
            found = true;
            break;
          }
        } while (keys[h]! >= 0);
        if (found) {
          prefix = codes[h]!;
          continue;
        }
      }
      if (c >= limit) throw new RangeError(`Expected palette indices below ${limit}, got ${c} at ${i}`);
      emit(prefix);
      prefix = c;
      if (next < MAX_CODE) {
        codes[h] = next++;
        keys[h] = key;
        // The decoder adds its copy of this entry one code later; it widens codes once its table
        // reaches 2**codeSize entries, which is when ours (one ahead) exceeds it.
        if (next > 1 << codeSize && codeSize < 12) codeSize++;
      } else {
        // Table full: start over. Clearing at once (rather than continuing with a frozen table) adapts
        // to the image changing further down, and keeps the decoder logic trivial.
        emit(clearCode);
        keys.fill(-1);
        next = endCode + 1;
        codeSize = minCodeSize + 1;
      }
    }
    emit(prefix);
    // The decoder adds one more entry on reading that last code and may widen before the end code.
    if (next >= 1 << codeSize && codeSize < 12) codeSize++;
    emit(endCode);
    if (accBits > 0) out[pos++] = acc & 0xff;
    return out.slice(0, pos);
  }
}
