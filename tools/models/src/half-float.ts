/**
 * IEEE 754 binary16 ("half") → binary32 decoding, exact for every one of the 65 536 bit patterns:
 * normals, subnormals (value = mantissa × 2⁻²⁴), ±0, ±Infinity and NaN.
 * Every half value is representable in float32, so the conversion loses nothing.
 */

/** Decodes one half-precision bit pattern (0..0xffff) to a JS number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // ±0 and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
}

let table: Float32Array | undefined;

/** Lookup table of all 65 536 half values as float32 (built once, 256 KiB). */
function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) table[i] = halfToFloat(i);
  }
  return table;
}

/** Decodes little-endian packed halves (e.g. an ONNX `raw_data` field) into float32. */
export function decodeHalfBytes(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 2 !== 0) throw new RangeError(`half-float data has an odd byte length (${bytes.byteLength})`);
  const t = halfTable();
  const n = bytes.byteLength / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = t[(bytes[2 * i] ?? 0) | ((bytes[2 * i + 1] ?? 0) << 8)] ?? NaN;
  return out;
}

/** Decodes halves stored one per element as integers (ONNX `int32_data` for FLOAT16 tensors). */
export function decodeHalfWords(words: ArrayLike<number>): Float32Array {
  const t = halfTable();
  const out = new Float32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = t[(words[i] ?? 0) & 0xffff] ?? NaN;
  return out;
}

/** Little-endian bytes of a float32 array (for an ONNX `raw_data` field), independent of host byte order. */
export function float32ToBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i] ?? 0, true);
  return out;
}
