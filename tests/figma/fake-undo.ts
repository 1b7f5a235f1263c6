/**
 * Undo (FT L270-297): "By default, plugin actions are not committed to undo history"; commitUndo
 * "commits actions to undo history"; triggerUndo "Reverts to the last commitUndo() state". The fake
 * keeps a snapshot of the whole document at every commit, so every mutation (tree, transforms, sizes,
 * paints, plugin and relaunch data, layout and mask properties …) is undone without per-property
 * bookkeeping. A second triggerUndo with nothing new reverts the step before (a second ⌘Z).
 */
import type { FakeNode } from './fake-node.js';
import type { NodeState } from './fake-types.js';

type Snapshot = ReadonlyMap<FakeNode, NodeState>;

function copyState(s: NodeState): NodeState {
  return { ...s, children: s.children.slice(), pluginData: { ...s.pluginData }, relaunch: { ...s.relaunch } };
}

export class UndoHistory {
  private readonly checkpoints: Snapshot[] = [];
  private dirty = false;

  constructor(private readonly nodes: () => Iterable<FakeNode>) {
    this.checkpoints.push(this.capture());
  }

  /** Called by every mutation. */
  touched(): void {
    this.dirty = true;
  }

  commit(): void {
    if (!this.dirty) return;
    this.checkpoints.push(this.capture());
    this.dirty = false;
  }

  /** Returns whether anything was reverted. */
  undo(): boolean {
    if (this.dirty) {
      this.restore(this.checkpoints[this.checkpoints.length - 1]!);
    } else if (this.checkpoints.length > 1) {
      this.checkpoints.pop();
      this.restore(this.checkpoints[this.checkpoints.length - 1]!);
    } else {
      return false;
    }
    this.dirty = false;
    return true;
  }

  /** A reopened file has no undo history: the current state becomes the only checkpoint. */
  reset(): void {
    this.checkpoints.length = 0;
    this.checkpoints.push(this.capture());
    this.dirty = false;
  }

  private capture(): Snapshot {
    const snap = new Map<FakeNode, NodeState>();
    for (const n of this.nodes()) snap.set(n, copyState(n.s));
    return snap;
  }

  private restore(snap: Snapshot): void {
    for (const n of this.nodes()) {
      const s = snap.get(n);
      if (s) n.s = copyState(s);
      else {
        // Created after the checkpoint: undo removes it.
        n.s = { ...copyState(n.s), parent: null, children: [] };
      }
    }
  }
}
