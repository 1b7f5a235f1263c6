/** argv → validated CLI options. Every flag is parsed here once; the rest of the CLI sees typed values. */
import { parseArgs } from 'node:util';
import { CoreError, parseColour, REMOVE_QUALITIES, type EdgeControls, type RemoveQuality, type Rgb, type ResizeMode } from '@cutout/core';
import { DEFAULT_MAX_PIXELS } from './decode.js';

export interface CliOptions {
  readonly inputs: string[];
  readonly outDir: string;
  readonly alphaOnly: boolean;
  readonly hintsDir: string | undefined;
  readonly modelId: string | undefined;
  readonly modelsDir: string | undefined;
  readonly background: Rgb | undefined;
  readonly crop: boolean;
  readonly jobs: number;
  readonly maxPixels: number;
  readonly resize: ResizeMode;
  readonly refiner: 'matting' | 'bilinear';
  readonly quality: RemoveQuality;
  readonly edge: EdgeControls | undefined;
  readonly decontaminate: boolean;
  readonly quiet: boolean;
}

export type ParsedArgs = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };

export const USAGE = `Usage: cutout <files or folders...> --out <dir> [options]
       cutout models add|list|remove ...   your own ONNX models ("cutout models --help")

Removes the background of each image locally and writes <dir>/<name>.png (RGBA, same size).

Options:
  -o, --out <dir>        output folder (created if missing; required)
      --alpha            write the 8-bit greyscale alpha matte instead of the cut-out
      --hints <dir>      trimap hints: <dir>/<name>.png, 0 = remove, 255 = keep, 128 = let the model decide
      --model <id>       model id from models/index.json (default: isnet-fp32), also one added
                         with "cutout models add" ("cutout models list" shows them)
      --models-dir <dir> folder with prepared models (default: the project's models/, or $CUTOUT_MODELS_DIR)
      --bg <colour>      put the subject on a solid colour (#rrggbb, #rgb, rgb(r,g,b), white, ...)
      --crop             crop the output to the subject
  -j, --jobs <n>         images in flight at once (default 1); with 2 or more one image is decoded,
                         refined and written while the model runs another (one model session)
      --max-pixels <n>   downscale larger inputs to this many pixels (default ${DEFAULT_MAX_PIXELS})
      --feather <px>     soften the edge (blur σ in px)
      --shift <px>       move the edge out (+) or in (−) by px
      --smooth <px>      smooth a jagged edge (radius in px)
      --hard             hard edge with 1-px anti-aliasing (products, logos)
      --raw-colours      keep the photo's colours at soft edges (no decontamination)
      --refiner <name>   matting (default: edge-aware upsampling, re-solve around hints) or bilinear
      --resize <mode>    network input resize: antialias (default) or reference
      --quality <q>      standard (default) or high: the model also runs on the mirror image
                         and the two mattes are averaged (slightly cleaner edges, ~2× model time)
  -q, --quiet            no progress output, only errors and the summary
  -h, --help             this help
  -v, --version          print the version`;

function pixels(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > 200) throw new CoreError('invalid_argument', `${flag} must be a number of pixels from ${min} to 200, not "${text}".`);
  return n;
}

function positiveInt(text: string, flag: string, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CoreError('invalid_argument', `${flag} must be a whole number from 1 to ${max}, not "${text}".`);
  return n;
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        alpha: { type: 'boolean', default: false },
        hints: { type: 'string' },
        model: { type: 'string' },
        'models-dir': { type: 'string' },
        bg: { type: 'string' },
        crop: { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j' },
        'max-pixels': { type: 'string' },
        resize: { type: 'string' },
        feather: { type: 'string' },
        shift: { type: 'string' },
        smooth: { type: 'string' },
        hard: { type: 'boolean', default: false },
        'raw-colours': { type: 'boolean', default: false },
        refiner: { type: 'string' },
        quality: { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (e) {
    throw new CoreError('invalid_argument', (e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  if (parsed.positionals.length === 0) throw new CoreError('invalid_argument', 'No input files or folders given.');
  if (!v.out) throw new CoreError('invalid_argument', 'Missing --out <dir>.');
  if (v.alpha && (v.bg !== undefined || v.crop)) throw new CoreError('invalid_argument', '--alpha writes the matte only; it cannot be combined with --bg or --crop.');
  const resize = v.resize ?? 'antialias';
  if (resize !== 'antialias' && resize !== 'reference') throw new CoreError('invalid_argument', `--resize must be antialias or reference, not "${resize}".`);
  const refiner = v.refiner ?? 'matting';
  if (refiner !== 'matting' && refiner !== 'bilinear') throw new CoreError('invalid_argument', `--refiner must be matting or bilinear, not "${refiner}".`);
  const quality = REMOVE_QUALITIES.find((q) => q === (v.quality ?? 'standard'));
  if (quality === undefined) throw new CoreError('invalid_argument', `--quality must be ${REMOVE_QUALITIES.join(' or ')}, not "${v.quality}".`);
  const feather = pixels(v.feather, '--feather', 0);
  const shift = pixels(v.shift, '--shift', -200);
  const smooth = pixels(v.smooth, '--smooth', 0);
  const anyEdge = feather !== undefined || shift !== undefined || smooth !== undefined || v.hard === true;
  const edge: EdgeControls | undefined = anyEdge ? { feather: feather ?? 0, shift: shift ?? 0, smooth: smooth ?? 0, hard: v.hard === true } : undefined;
  return {
    kind: 'run',
    options: {
      inputs: parsed.positionals,
      outDir: v.out,
      alphaOnly: v.alpha === true,
      hintsDir: v.hints,
      modelId: v.model,
      modelsDir: v['models-dir'],
      background: v.bg === undefined ? undefined : parseColour(v.bg),
      crop: v.crop === true,
      jobs: v.jobs === undefined ? 1 : positiveInt(v.jobs, '--jobs', 16),
      maxPixels: v['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : positiveInt(v['max-pixels'], '--max-pixels', 1_000_000_000),
      resize,
      refiner,
      quality,
      edge,
      decontaminate: v['raw-colours'] !== true,
      quiet: v.quiet === true,
    },
  };
}
