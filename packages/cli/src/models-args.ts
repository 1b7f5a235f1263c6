/**
 * argv after `cutout models` → a validated command. Every flag is parsed here once and every error
 * names its flag; registration (core-node model-register.ts) gets typed values only.
 */
import { parseArgs } from 'node:util';
import { CoreError, OUTPUT_ACTIVATIONS, type OutputActivation } from '@cutout/core';
import type { InputSize, Normalisation, RegisterOptions, Triple } from '@cutout/core-node';

/** What `registerModel` takes, with the models folder still to be found (--models-dir, else the default). */
interface AddCommand extends Omit<RegisterOptions, 'modelsDir'> {
  readonly kind: 'add';
  readonly modelsDir: string | undefined;
}

export type ModelsCommand =
  | { readonly kind: 'help' }
  | AddCommand
  | { readonly kind: 'list'; readonly modelsDir: string | undefined }
  | { readonly kind: 'remove'; readonly id: string; readonly modelsDir: string | undefined };

export const MODELS_USAGE = `Usage: cutout models add <file.onnx> --id <id> --activation sigmoid|none
                         (--mean r,g,b --std r,g,b | --scale s --offset o) [options]
       cutout models list
       cutout models remove <id>

Registers your own ONNX segmentation or matting model (e.g. a BiRefNet or RMBG export) so that
"cutout <images> --out <dir> --model <id>" and the inference frame can use it. The file is checked
(one float32 input [1, 3, H, W], one matte output) and test-run before anything is written.

add:
      --id <id>             the model's id: a-z, 0-9, . _ - (max 64; not isnet-…)
      --size <H[xW]>        input size, height x width (e.g. 1024 or 1024x768); may be left out
                            when the model's input size is fixed
      --mean <r,g,b>        per-channel mean in byte units (0-255): value = (byte - mean) / std
      --std <r,g,b>         per-channel std in byte units; ImageNet: --mean 123.675,116.28,103.53
                            --std 58.395,57.12,57.375
      --scale <s|r,g,b>     or the normalisation as value = byte * scale + offset
      --offset <o|r,g,b>    (e.g. --scale 1/255 --offset -0.5); numbers may be written as a/b
      --activation <name>   sigmoid (the model ends in logits) or none (it ends in a sigmoid)
      --backends <list>     where it may run: cpu, wasm, webgpu (default cpu; the frame needs wasm
                            and/or webgpu; only cpu is test-run here)
      --output-name <name>  the output with the matte, when the model has several
      --licence <text>      the weights' licence, recorded in the manifest
list:   every model in the folder: id, size, precision, backends, where it came from
remove: deletes a model added with "cutout models add" (never one of cutout's own)

      --models-dir <dir>    the models folder (default: the project's models/, or $CUTOUT_MODELS_DIR)`;

const BACKENDS = ['cpu', 'wasm', 'webgpu'];
/** The protocol's model id rule (packages/protocol validate.ts), so the frame accepts every registered id. */
const MODEL_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MIN_SIDE = 16;
const MAX_SIDE = 4096;

const bad = (message: string): CoreError => new CoreError('invalid_argument', message);

function modelId(text: string, flag: string): string {
  if (!MODEL_ID.test(text)) throw bad(`${flag} must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit, not "${text}".`);
  return text;
}

/** "0.5", "-0.5", "1/255". */
function number(text: string, flag: string): number {
  const parts = text.trim().split('/');
  const value = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : parts.length === 1 && parts[0] !== '' ? Number(parts[0]) : NaN;
  if (!Number.isFinite(value)) throw bad(`${flag} must be numbers (like 0.5 or 1/255), not "${text}".`);
  return value;
}

/** One value for all three channels, or r,g,b. */
function triple(text: string, flag: string): Triple {
  const values = text.split(',').map((t) => number(t, flag));
  if (values.length === 1) return [values[0] as number, values[0] as number, values[0] as number];
  if (values.length !== 3) throw bad(`${flag} takes one number or three (r,g,b), not "${text}".`);
  return values as unknown as Triple;
}

function nonZero(values: Triple, flag: string): Triple {
  if (values.some((v) => v === 0)) throw bad(`${flag} must not contain 0.`);
  return values;
}

function size(text: string | undefined): InputSize | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?:[x×](\d+))?$/i.exec(text.trim());
  const height = Number(m?.[1]);
  const width = m?.[2] === undefined ? height : Number(m[2]);
  if (!m || [height, width].some((s) => !(s >= MIN_SIDE && s <= MAX_SIDE))) {
    throw bad(`--size must be H or HxW (height x width) in pixels from ${MIN_SIDE} to ${MAX_SIDE}, not "${text}".`);
  }
  return { height, width };
}

interface NormalisationFlags {
  readonly mean?: string | undefined;
  readonly std?: string | undefined;
  readonly scale?: string | undefined;
  readonly offset?: string | undefined;
}

function normalisation(v: NormalisationFlags): Normalisation {
  const meanStd = v.mean !== undefined || v.std !== undefined;
  const scaleOffset = v.scale !== undefined || v.offset !== undefined;
  if (meanStd && scaleOffset) throw bad('Give the normalisation either as --mean and --std or as --scale and --offset, not both.');
  if (v.mean !== undefined && v.std !== undefined) {
    const std = nonZero(triple(v.std, '--std'), '--std');
    // A std below 1 byte would blow every input up past ±255: it is the 0–1 convention's value.
    if (std.every((s) => Math.abs(s) < 1)) {
      const x255 = (t: Triple): string => t.map((c) => Number((c * 255).toFixed(4))).join(',');
      throw bad(`--std ${v.std} looks like the 0-1 convention; cutout's --mean and --std are in byte units (0-255): multiply both by 255 (--mean ${x255(triple(v.mean, '--mean'))} --std ${x255(std)}).`);
    }
    return { kind: 'mean-std', mean: triple(v.mean, '--mean'), std };
  }
  if (v.scale !== undefined && v.offset !== undefined) return { kind: 'scale-offset', scale: nonZero(triple(v.scale, '--scale'), '--scale'), offset: triple(v.offset, '--offset') };
  if (meanStd) throw bad(v.mean === undefined ? '--std needs --mean.' : '--mean needs --std.');
  if (scaleOffset) throw bad(v.scale === undefined ? '--offset needs --scale.' : '--scale needs --offset.');
  throw bad("Missing the model's normalisation: --mean r,g,b --std r,g,b (byte units, 0-255), or --scale s --offset o (value = byte * scale + offset).");
}

function backends(text: string | undefined): string[] {
  if (text === undefined) return ['cpu'];
  const list = text.split(',').map((b) => b.trim());
  const unknown = list.filter((b) => !BACKENDS.includes(b));
  if (unknown.length > 0 || list.length === 0) throw bad(`--backends takes a comma-separated list of ${BACKENDS.join(', ')}, not "${text}".`);
  return [...new Set(list)];
}

function activation(text: string | undefined): OutputActivation {
  if (text === undefined) throw bad('Missing --activation: sigmoid if the model ends in logits, none if its output is already in [0, 1].');
  if (!(OUTPUT_ACTIVATIONS as readonly string[]).includes(text)) throw bad(`--activation must be ${OUTPUT_ACTIVATIONS.join(' or ')}, not "${text}".`);
  return text as OutputActivation;
}

/** The subcommand's own string flags plus --models-dir and --help; node's message for an unknown or incomplete flag. */
function parse(argv: readonly string[], flags: readonly string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = { 'models-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } };
  for (const f of flags) options[f] = { type: 'string' };
  // node's parseArgs takes "-0.5" for a flag: join a negative number to its flag ("--offset=-0.5").
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = argv[i + 1];
    if (flags.includes(a.slice(2)) && a.startsWith('--') && next !== undefined && /^-[\d.]/.test(next)) args.push(`${a}=${argv[++i] as string}`);
    else args.push(a);
  }
  try {
    return parseArgs({ args, strict: true, allowPositionals: true, options });
  } catch (e) {
    throw bad((e as Error).message);
  }
}

const ADD_FLAGS = ['id', 'size', 'mean', 'std', 'scale', 'offset', 'activation', 'backends', 'output-name', 'licence'];

/** argv after `models`: `add <file> …`, `list`, `remove <id>`, or help. */
export function parseModelsArgs(argv: readonly string[]): ModelsCommand {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') return { kind: 'help' };
  const { values, positionals } = parse(rest, sub === 'add' ? ADD_FLAGS : []);
  if (values['help'] === true) return { kind: 'help' };
  const v = values as Record<string, string | undefined>;
  const modelsDir = v['models-dir'];
  if (sub === 'list') {
    if (positionals.length > 0) throw bad(`cutout models list takes no arguments, not "${positionals.join(' ')}".`);
    return { kind: 'list', modelsDir };
  }
  if (sub === 'remove') {
    if (positionals.length !== 1) throw bad('cutout models remove takes one model id.');
    return { kind: 'remove', id: modelId(positionals[0] as string, 'The model id'), modelsDir };
  }
  if (sub !== 'add') throw bad(`Unknown models command "${sub}"; use add, list or remove.`);
  if (positionals.length !== 1) throw bad(`cutout models add takes one .onnx file, not ${positionals.length}.`);
  if (v['id'] === undefined) throw bad('Missing --id <id>: the name to use the model by (cutout … --model <id>).');
  if (v['licence'] !== undefined && v['licence'].trim() === '') throw bad('--licence must not be empty.');
  if (v['output-name'] === '') throw bad('--output-name must not be empty.');
  return {
    kind: 'add',
    file: positionals[0] as string,
    id: modelId(v['id'], '--id'),
    size: size(v['size']),
    normalisation: normalisation(v),
    activation: activation(v['activation']),
    backends: backends(v['backends']),
    outputName: v['output-name'],
    licence: v['licence'],
    modelsDir,
  };
}
