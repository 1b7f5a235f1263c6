/**
 * `require('uxp').storage` backed by real folders, so a test can inspect what the plugin wrote. Member
 * names from Adobe's UXP reference (adobedocs.github.io/uxp-photoshop/uxp-api/reference-js/Modules/uxp/
 * Persistent File Storage/: FileSystemProvider, Folder, File, Entry, formats): localFileSystem
 * getDataFolder / getTemporaryFolder / getPluginFolder (the latter "read-only access to the plugin's
 * install folder"); Folder getEntries / getEntry(path) / createFile(name, {overwrite}) / createFolder /
 * createEntry; File read({format}) → string | ArrayBuffer (default formats.utf8) / write(data, {format,
 * append}); Entry name / url / nativePath / isFile / isFolder / isEntry / delete. Per the docs a created
 * file exists on disk only once written. The fake's choices: write takes a string for utf8 and an
 * ArrayBuffer for binary (the documented types) and rejects anything else; getEntry of a missing path and
 * createFile over an existing file without `overwrite` reject.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

const formats = Object.freeze({ utf8: Symbol('utf8'), binary: Symbol('binary') });
const types = Object.freeze({ file: Symbol('file'), folder: Symbol('folder') });

interface Root {
  readonly scheme: string;
  readonly dir: string;
  readonly readOnly: boolean;
}

abstract class FakeEntry {
  readonly isEntry = true;
  abstract readonly isFile: boolean;
  abstract readonly isFolder: boolean;
  constructor(
    protected readonly root: Root,
    readonly nativePath: string,
  ) {}
  get name(): string {
    return this.nativePath.split(/[\\/]/).at(-1) ?? '';
  }
  get url(): string {
    return `${this.root.scheme}/${relative(this.root.dir, this.nativePath).split(/[\\/]/).join('/')}`;
  }
  async delete(): Promise<void> {
    this.writable('delete');
    await rm(this.nativePath, { recursive: true, force: false });
  }
  protected writable(what: string): void {
    if (this.root.readOnly) throw new Error(`${what}: ${this.url} is read-only`);
  }
  toString(): string {
    return this.url;
  }
}

export class FakeFile extends FakeEntry {
  readonly isFile = true;
  readonly isFolder = false;

  async read(options: { format?: symbol } = {}): Promise<string | ArrayBuffer> {
    if (!existsSync(this.nativePath)) throw new Error(`read: ${this.url} does not exist`);
    const bytes = await readFile(this.nativePath);
    if (options.format === formats.binary) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return bytes.toString('utf8');
  }

  /** Returns the number of bytes written. */
  async write(data: string | ArrayBuffer, options: { format?: symbol; append?: boolean } = {}): Promise<number> {
    this.writable('write');
    const binary = options.format === formats.binary;
    // By the built-in tag, not `instanceof`: the plugin runs in happy-dom's window, another realm.
    if (binary && Object.prototype.toString.call(data) !== '[object ArrayBuffer]') throw new TypeError(`write: formats.binary takes an ArrayBuffer (got ${Object.prototype.toString.call(data)})`);
    if (!binary && typeof data !== 'string') throw new TypeError('write: formats.utf8 (the default) takes a string');
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data as ArrayBuffer);
    await (options.append ? appendFile : writeFile)(this.nativePath, buf);
    return buf.byteLength;
  }
}

export class FakeFolder extends FakeEntry {
  readonly isFile = false;
  readonly isFolder = true;

  async getEntries(): Promise<Array<FakeFile | FakeFolder>> {
    const names = await readdir(this.nativePath);
    return Promise.all(names.sort().map((n) => this.entryAt(join(this.nativePath, n))));
  }

  async getEntry(path: string): Promise<FakeFile | FakeFolder> {
    const p = join(this.nativePath, ...path.split('/'));
    if (!existsSync(p)) throw new Error(`getEntry: could not find an entry "${path}" in ${this.url}`);
    return this.entryAt(p);
  }

  async createFile(name: string, options: { overwrite?: boolean } = {}): Promise<FakeFile> {
    this.writable('createFile');
    const p = join(this.nativePath, name);
    if (existsSync(p) && !options.overwrite) throw new Error(`createFile: ${name} already exists in ${this.url} (pass overwrite: true)`);
    return new FakeFile(this.root, p);
  }

  async createFolder(name: string): Promise<FakeFolder> {
    this.writable('createFolder');
    const p = join(this.nativePath, name);
    await mkdir(p);
    return new FakeFolder(this.root, p);
  }

  async createEntry(name: string, options: { type?: symbol; overwrite?: boolean } = {}): Promise<FakeFile | FakeFolder> {
    return options.type === types.folder ? this.createFolder(name) : this.createFile(name, options);
  }

  private async entryAt(p: string): Promise<FakeFile | FakeFolder> {
    return (await stat(p)).isDirectory() ? new FakeFolder(this.root, p) : new FakeFile(this.root, p);
  }
}

export interface StorageDirs {
  /** plugin-data: */
  readonly data: string;
  /** plugin-temp: */
  readonly temp: string;
  /** plugin: (read-only) */
  readonly plugin: string;
}

export function createStorage(dirs: StorageDirs) {
  const folder = (scheme: string, dir: string, readOnly: boolean): FakeFolder => new FakeFolder({ scheme, dir, readOnly }, dir);
  return {
    localFileSystem: {
      isFileSystemProvider: true,
      getDataFolder: async () => folder('plugin-data:', dirs.data, false),
      getTemporaryFolder: async () => folder('plugin-temp:', dirs.temp, false),
      getPluginFolder: async () => folder('plugin:', dirs.plugin, true),
    },
    formats,
    types,
  };
}
