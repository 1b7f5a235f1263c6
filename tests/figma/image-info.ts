/** Image sizes from file headers (PNG, JPEG, GIF), as Figma's createImage needs them, and the JPEG EXIF orientation. */
export function imageInfo(bytes: Uint8Array): { type: 'png' | 'jpeg' | 'gif'; width: number; height: number } | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return { type: 'png', width: v.getUint32(16), height: v.getUint32(20) };
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) {
    return { type: 'gif', width: v.getUint16(6, true), height: v.getUint16(8, true) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let o = 2;
    while (o + 9 < bytes.length) {
      if (bytes[o] !== 0xff) return null;
      const marker = bytes[o + 1] as number;
      const len = v.getUint16(o + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { type: 'jpeg', height: v.getUint16(o + 5), width: v.getUint16(o + 7) };
      }
      o += 2 + len;
    }
  }
  return null;
}

/** The EXIF Orientation tag (1–8) of a JPEG's APP1 segment, or 1 when there is none. */
export function exifOrientation(bytes: Uint8Array): number {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 1;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 2;
  while (o + 4 <= bytes.length && bytes[o] === 0xff) {
    const marker = bytes[o + 1] as number;
    const len = v.getUint16(o + 2);
    if (marker === 0xda) break; // start of scan: no more metadata
    // APP1 "Exif\0\0" + TIFF header
    if (marker === 0xe1 && o + 10 <= bytes.length && String.fromCharCode(...bytes.subarray(o + 4, o + 8)) === 'Exif') {
      const tiff = o + 10;
      if (tiff + 8 > bytes.length) return 1;
      const little = bytes[tiff] === 0x49;
      const ifd = tiff + v.getUint32(tiff + 4, little);
      if (ifd + 2 > bytes.length) return 1;
      const count = v.getUint16(ifd, little);
      for (let i = 0; i < count; i++) {
        const entry = ifd + 2 + i * 12;
        if (entry + 12 > bytes.length) return 1;
        if (v.getUint16(entry, little) === 0x0112) return v.getUint16(entry + 8, little);
      }
      return 1;
    }
    o += 2 + len;
  }
  return 1;
}
