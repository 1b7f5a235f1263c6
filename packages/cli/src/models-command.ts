/**
 * `cutout models add | list | remove`: the user's own models beside ours in the models folder.
 * Parsing is models-args.ts; the checks, test run and files are @cutout/core-node's registry.
 * Exit status: 0 done, 1 refused or failed (a coded message), 2 bad flags (with the usage).
 */
import { listModels, registerModel, removeModel, type ModelListing } from '@cutout/core-node';
import type { ModelManifest } from '@cutout/core';
import { cliErrorCode } from './error-code.js';
import { MODELS_USAGE, parseModelsArgs, type ModelsCommand } from './models-args.js';
import { defaultModelsDir } from './models-dir.js';

const SUBCOMMANDS = new Set(['add', 'list', 'remove', '-h', '--help']);

interface Out {
  write(text: string): unknown;
}

/** `cutout models …`; `cutout models/` or `./models` still cut out a folder named models. */
export function isModelsCommand(argv: readonly string[]): boolean {
  return argv[0] === 'models' && (argv.length === 1 || SUBCOMMANDS.has(argv[1] as string));
}

function sizeOf(m: ModelManifest): string {
  return `${m.input.shape[2]}x${m.input.shape[3]}${m.dynamicSize ? ' (any)' : ''}`;
}

function table(listing: ModelListing): string {
  const rows = [['id', 'size (HxW)', 'precision', 'backends', 'from']];
  for (const { id, manifest: m, problem } of listing.entries) {
    const name = `${id}${id === listing.index.default ? ' (default)' : ''}${m?.registered ? ' (added)' : ''}`;
    if (!m) rows.push([name, '-', '-', '-', `unreadable: ${problem ?? ''}`]);
    else rows.push([name, sizeOf(m), m.dequantize ? `${m.precision} (int8 weights)` : m.precision, m.backends.join(','), m.source]);
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c] as number) : cell)).join('  ')).join('\n');
}

async function run(command: Exclude<ModelsCommand, { kind: 'help' }>, out: Out): Promise<number> {
  const modelsDir = command.modelsDir ?? defaultModelsDir();
  if (command.kind === 'list') {
    const listing = await listModels(modelsDir);
    out.write(`${table(listing)}\n`);
    return listing.entries.some((e) => !e.manifest) ? 1 : 0;
  }
  if (command.kind === 'remove') {
    const m = await removeModel(modelsDir, command.id);
    out.write(`Removed "${m.id}" (${m.file} and ${m.id}.json) from ${modelsDir}.\n`);
    return 0;
  }
  const { kind: _kind, modelsDir: _dir, ...options } = command;
  const m = await registerModel({ ...options, modelsDir });
  out.write(
    `Registered "${m.id}" in ${modelsDir}: ${m.file}, ${(m.bytes / 1e6).toFixed(1)} MB, sha256 ${m.sha256.slice(0, 12)}…\n` +
      `  input "${m.input.name}" ${sizeOf(m)}, mean ${m.input.mean.map((v) => +v.toFixed(4)).join(',')} std ${m.input.std.map((v) => +v.toFixed(4)).join(',')}\n` +
      `  output "${m.output.name}" ${m.output.shape[2]}x${m.output.shape[3]}, activation ${m.output.activation ?? 'none'}; backends ${m.backends.join(', ')}\n` +
      `Use it: cutout <images> --out <dir> --model ${m.id}\n`,
  );
  return 0;
}

export async function runModelsCommand(argv: readonly string[], out: Out, err: Out): Promise<number> {
  let command: ModelsCommand;
  try {
    command = parseModelsArgs(argv);
  } catch (e) {
    err.write(`cutout models: ${(e as Error).message}\n\n${MODELS_USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    // A bare `cutout models` is a usage error (stderr, 2); --help is not.
    (argv.length === 0 ? err : out).write(`${MODELS_USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  try {
    return await run(command, out);
  } catch (e) {
    err.write(`cutout models ${command.kind}: [${cliErrorCode(e)}] ${(e as Error).message}\n`);
    return 1;
  }
}
