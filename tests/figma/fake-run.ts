/// <reference types="@figma/plugin-typings" />
/**
 * Running plugin code against the fake: `runPlugin` runs a built bundle as Figma does; `pluginView`
 * gives a test the plugin's own `figma` (the membrane: documented members only, per node type).
 */
import { FakeImage } from './fake-images.js';
import { Membrane, type Kind } from './fake-membrane.js';
import { FakeNode } from './fake-node.js';
import { CAPS, NODE_MEMBERS } from './fake-types.js';
import type { FakeFigma } from './fake-figma.js';
import type { TimerApi } from './fake-session.js';
import type { FakeScene } from './fake-scene.js';

const PLUGIN_API = new Set([
  'apiVersion', 'command', 'editorType', 'pluginId', 'mixed', 'root', 'currentPage', 'setCurrentPageAsync', 'loadAllPagesAsync',
  'ui', 'showUI', 'closePlugin', 'notify', 'commitUndo', 'triggerUndo', 'createImage', 'getImageByHash', 'createRectangle',
  'createEllipse', 'createFrame', 'group', 'on', 'once', 'off', 'getNodeById', 'getNodeByIdAsync',
]);
const UI_API = new Set(['show', 'hide', 'resize', 'reposition', 'getPosition', 'close', 'postMessage', 'on', 'once', 'off', 'onmessage']);
const IMAGE_API = new Set(['hash', 'getBytesAsync', 'getSizeAsync']);
const NODE_READONLY = new Set(['id', 'type', 'parent', 'removed', 'children', 'width', 'height', 'absoluteTransform', 'absoluteBoundingBox']);


export interface PluginScope extends TimerApi {
  readonly figma: PluginAPI;
}

/** Starts a run: the globals a plugin gets (the membrane `figma` and timers closePlugin cancels). */
export function pluginScope(fig: FakeFigma): PluginScope {
  const session = fig.launch();
  const membrane = new Membrane(session, {
    options: fig.options,
    kindOf: (v): Kind => (v === fig ? 'figma' : v === fig.ui ? 'ui' : v instanceof FakeImage ? 'image' : v instanceof FakeNode ? 'node' : null),
    allowed: (target, kind, prop) => {
      if (kind === 'figma') return PLUGIN_API.has(prop);
      if (kind === 'ui') return UI_API.has(prop);
      if (kind === 'image') return IMAGE_API.has(prop);
      const cap = NODE_MEMBERS.get(prop);
      return cap === 'base' || (cap !== undefined && CAPS[(target as FakeNode).type].includes(cap));
    },
    writable: (kind, prop) => (kind === 'figma' ? prop === 'currentPage' : kind === 'ui' ? prop === 'onmessage' : kind === 'node' && !NODE_READONLY.has(prop)),
  });
  return { figma: membrane.wrap(fig) as PluginAPI, ...session.timerApi() };
}

/**
 * Runs the built plugin (dist/code.js) as Figma does: one script with `figma` and `__html__` in scope,
 * plus timers that closePlugin cancels (FT L167). Each call is a new run of the plugin.
 */
export function runPlugin(code: string, fig: FakeFigma, html = '<html></html>'): void {
  const g = pluginScope(fig);
  const names = ['figma', '__html__', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'];
  new Function(...names, code)(g.figma, html, g.setTimeout, g.clearTimeout, g.setInterval, g.clearInterval);
}

/**
 * Starts a run and returns the `figma` the plugin would see (typed as the real API), so a test can
 * act as plugin code: documented members only, nothing after closePlugin.
 */
export function pluginView(fig: FakeFigma): PluginAPI {
  return pluginScope(fig).figma;
}

/** The test-side object behind a plugin-side node (for assertions on nodes the plugin created). */
export function testSide<T extends FakeNode = FakeScene>(fig: FakeFigma, node: BaseNode): T {
  const found = fig.nodeById(node.id);
  if (!found) throw new Error(`no node ${node.id}`);
  return found as T;
}
