/**
 * What Remove Background wrote into a layer mask, kept so Refine edges can take the difference with
 * what the user painted since. Where: a plugin-data: file per document id + layer id
 * (`masks/d<doc>-l<layer>.bin`). plugin-data: needs no permission (M5 L216) and holds binary of any size;
 * layer metadata (XMP) would travel with the file but has no documented UXP DOM API, and a
 * full-resolution mask is too large for it. Document ids last one Photoshop session, so a record also
 * keeps the document's title and the layer's extent, and a refine refuses a record that no longer
 * matches (refine-edges.ts).
 *
 * File layout: 4 bytes little-endian header length, the header as ASCII JSON, the written mask
 * (8-bit, over the extent), then the network matte at model size (the refine re-solves from it).
 */
import type { EdgeControls } from '@cutout/core';
import { ensureFolder, findFile, type StorageApi, type UxpFolder } from './storage-types.js';
import type { Rect } from './ps-api.js';

export interface MaskRecord {
  readonly documentID: number;
  readonly layerID: number;
  readonly documentTitle: string;
  readonly extent: Rect;
  readonly edge: EdgeControls;
  /** The mask as written, 0..255 over the extent. */
  readonly written: Uint8Array;
  /** The frame's matte at model size (the refine's low-resolution alpha). */
  readonly lowRes: { readonly width: number; readonly height: number; readonly data: Uint8Array };
}

interface Header {
  readonly v: 1;
  readonly documentID: number;
  readonly layerID: number;
  readonly documentTitle: string;
  readonly extent: Rect;
  readonly edge: EdgeControls;
  readonly lowRes: { readonly width: number; readonly height: number };
}

const FOLDER = 'masks';
const recordName = (documentID: number, layerID: number): string => `d${documentID}-l${layerID}.bin`;

/** JSON with every non-ASCII character escaped, so one char is one byte (no TextEncoder needed). */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function encodeRecord(r: MaskRecord): ArrayBuffer {
  const header: Header = { v: 1, documentID: r.documentID, layerID: r.layerID, documentTitle: r.documentTitle, extent: r.extent, edge: r.edge, lowRes: { width: r.lowRes.width, height: r.lowRes.height } };
  const text = asciiJson(header);
  const out = new Uint8Array(4 + text.length + r.written.length + r.lowRes.data.length);
  new DataView(out.buffer).setUint32(0, text.length, true);
  for (let i = 0; i < text.length; i++) out[4 + i] = text.charCodeAt(i);
  out.set(r.written, 4 + text.length);
  out.set(r.lowRes.data, 4 + text.length + r.written.length);
  return out.buffer;
}

const isRect = (v: unknown): v is Rect => typeof v === 'object' && v !== null && ['left', 'top', 'right', 'bottom'].every((k) => Number.isInteger((v as Record<string, unknown>)[k]));

/** The record in a file's bytes, or null when they are not one (a damaged or foreign file). */
export function decodeRecord(buffer: ArrayBuffer): MaskRecord | null {
  const bytes = new Uint8Array(buffer);
  if (bytes.length < 4) return null;
  const length = new DataView(buffer).getUint32(0, true);
  if (4 + length > bytes.length) return null;
  let header: Partial<Header>;
  try {
    header = JSON.parse(String.fromCharCode(...bytes.subarray(4, 4 + length))) as Partial<Header>;
  } catch {
    return null; // not JSON: not a record of ours
  }
  const { documentID, layerID, documentTitle, extent, edge, lowRes } = header;
  if (header.v !== 1 || !Number.isInteger(documentID) || !Number.isInteger(layerID) || typeof documentTitle !== 'string' || !isRect(extent) || !lowRes) return null;
  const written = (extent.right - extent.left) * (extent.bottom - extent.top);
  const low = lowRes.width * lowRes.height;
  if (!(written > 0) || !(low > 0) || bytes.length !== 4 + length + written + low) return null;
  const start = 4 + length;
  return {
    documentID: documentID as number,
    layerID: layerID as number,
    documentTitle,
    extent,
    edge: typeof edge === 'object' && edge !== null ? edge : {},
    written: bytes.slice(start, start + written),
    lowRes: { width: lowRes.width, height: lowRes.height, data: bytes.slice(start + written) },
  };
}

export interface MaskStore {
  save(record: MaskRecord): Promise<void>;
  load(documentID: number, layerID: number): Promise<MaskRecord | null>;
}

export function createMaskStore(storage: StorageApi): MaskStore {
  let folder: Promise<UxpFolder> | null = null;
  const masks = (): Promise<UxpFolder> => (folder ??= storage.localFileSystem.getDataFolder().then((data) => ensureFolder(data, FOLDER)));
  return {
    async save(record) {
      const file = await (await masks()).createFile(recordName(record.documentID, record.layerID), { overwrite: true });
      await file.write(encodeRecord(record), { format: storage.formats.binary });
    },
    async load(documentID, layerID) {
      const file = await findFile(await masks(), recordName(documentID, layerID));
      if (!file) return null;
      const data = await file.read({ format: storage.formats.binary });
      return typeof data === 'string' ? null : decodeRecord(data);
    },
  };
}
