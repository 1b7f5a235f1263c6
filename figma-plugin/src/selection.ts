/**
 * Which selected nodes the plugin can work on. Figma has no image layers: an image is an IMAGE
 * paint in a node's fills (rectangles, ellipses, frames, …). The topmost visible image paint is the
 * one the user sees and the one processed; everything else is reported with a reason.
 */
export type Mode = 'layer' | 'mask';

export interface Target {
  readonly node: SceneNode & MinimalFillsMixin;
  readonly paintIndex: number;
  readonly paint: ImagePaint & { readonly imageHash: string };
}

export interface Skip {
  readonly name: string;
  readonly reason: string;
}

function insideInstance(node: BaseNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'INSTANCE') return true;
  return false;
}

function lockedInTree(node: SceneNode): boolean {
  for (let n: BaseNode | null = node; n && n.type !== 'PAGE' && n.type !== 'DOCUMENT'; n = n.parent) {
    if ('locked' in n && (n as SceneNode).locked) return true;
  }
  return false;
}

/** Index of the topmost visible image paint (later paints draw on top), or -1. */
export function topImagePaint(fills: ReadonlyArray<Paint>): number {
  for (let i = fills.length - 1; i >= 0; i--) {
    const p = fills[i] as Paint;
    if (p.type === 'IMAGE' && p.visible !== false && p.imageHash) return i;
  }
  return -1;
}

export function collectTargets(selection: ReadonlyArray<SceneNode>, mode: Mode): { targets: Target[]; skipped: Skip[] } {
  const targets: Target[] = [];
  const skipped: Skip[] = [];
  for (const node of selection) {
    const fills = 'fills' in node ? (node as MinimalFillsMixin).fills : undefined;
    if (!Array.isArray(fills)) {
      skipped.push({ name: node.name, reason: 'has no image fill' });
      continue;
    }
    const index = topImagePaint(fills as ReadonlyArray<Paint>);
    if (index < 0) {
      skipped.push({ name: node.name, reason: 'has no image fill' });
      continue;
    }
    if (lockedInTree(node)) {
      skipped.push({ name: node.name, reason: 'is locked' });
      continue;
    }
    if (mode === 'mask' && insideInstance(node)) {
      skipped.push({ name: node.name, reason: 'is inside a component instance (detach it, or use "Remove background")' });
      continue;
    }
    targets.push({ node: node as SceneNode & MinimalFillsMixin, paintIndex: index, paint: (fills as ReadonlyArray<Paint>)[index] as ImagePaint & { imageHash: string } });
  }
  return { targets, skipped };
}

/** GIF fills would lose their animation: refused (magic bytes "GIF8"). */
export function isGif(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38;
}
