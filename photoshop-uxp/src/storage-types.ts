/**
 * The UXP storage members the panel uses (plugin-data: for the model and the mask records), as plain
 * interfaces so that the modules using them are testable without UXP. Member names and shapes from
 * Adobe's UXP reference, Persistent File Storage (see uxp.d.ts): `File.read({format})` returns a string
 * for formats.utf8 and an ArrayBuffer for formats.binary; `write` takes a string or an ArrayBuffer.
 */
export interface UxpFile {
  readonly isFile: boolean;
  readonly name: string;
  /** The entry's URL (plugin-data:/…), usable as a src inside the plugin's UI. */
  readonly url: string;
  read(options?: { format?: symbol }): Promise<string | ArrayBuffer>;
  write(data: string | ArrayBuffer, options?: { format?: symbol; append?: boolean }): Promise<unknown>;
  delete(): Promise<unknown>;
}

export interface UxpFolder {
  readonly isFolder: boolean;
  readonly name: string;
  readonly url: string;
  getEntry(path: string): Promise<UxpFile | UxpFolder>;
  createFile(name: string, options?: { overwrite?: boolean }): Promise<UxpFile>;
  createFolder(name: string): Promise<UxpFolder>;
}

export interface StorageApi {
  readonly localFileSystem: {
    getDataFolder(): Promise<UxpFolder>;
    getPluginFolder(): Promise<UxpFolder>;
  };
  readonly formats: { readonly utf8: symbol; readonly binary: symbol };
}

const isFolder = (e: UxpFile | UxpFolder): e is UxpFolder => 'isFolder' in e && e.isFolder === true;

/** The entry at `path`, or null when there is none (getEntry rejects for a missing path). */
export async function findEntry(folder: UxpFolder, path: string): Promise<UxpFile | UxpFolder | null> {
  try {
    return await folder.getEntry(path);
  } catch {
    return null; // getEntry has no "not found" result other than a rejection
  }
}

/** The sub-folder `name`, created when missing. */
export async function ensureFolder(parent: UxpFolder, name: string): Promise<UxpFolder> {
  const found = await findEntry(parent, name);
  if (found && isFolder(found)) return found;
  return parent.createFolder(name);
}

/** The file at `path` when it exists and is a file. */
export async function findFile(folder: UxpFolder, path: string): Promise<UxpFile | null> {
  const found = await findEntry(folder, path);
  return found && !isFolder(found) ? found : null;
}
