/**
 * The part of `require('uxp')` the panel uses, typed from Adobe's UXP reference (no official typings
 * are installed; house style: never `declare module "uxp"` as any). Sources:
 *  - entrypoints.setup({panels: {id: {create, show, hide, destroy}}}): hosts.md §2.1 (manifest v5
 *    entry points; lifecycle promises time out after 300 ms).
 *  - storage.localFileSystem.getDataFolder()/getPluginFolder(), Folder.getEntry/createFile/createFolder,
 *    File.read({format})/write(data, {format, append}), formats.utf8/binary: adobedocs.github.io/uxp-photoshop
 *    uxp-api/reference-js/Modules/uxp/Persistent File Storage/{File,Folder,formats} ("write(data, options):
 *    Writes data to a file, appending if desired"; data "string | ArrayBuffer").
 */
declare module 'uxp' {
  import type { StorageApi } from './storage-types.js';

  export interface PanelHooks {
    create?(rootNode: HTMLElement): void | Promise<void>;
    show?(rootNode: HTMLElement): void | Promise<void>;
    hide?(rootNode: HTMLElement): void | Promise<void>;
    destroy?(rootNode: HTMLElement): void | Promise<void>;
  }

  export const entrypoints: {
    setup(config: { panels: Record<string, PanelHooks> }): void;
  };

  export const storage: StorageApi;
}
