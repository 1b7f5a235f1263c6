/**
 * The hinted solve's variants (issue 15), selectable by name (`MattingOptions.hintSolver`) so the
 * eval can compare them (tools/eval/src/refiners.ts). Each is closed-form matting in the band
 * (Levin, Lischinski, Weiss, TPAMI 2008; ./closed-form.ts) plus, optionally:
 *   - the network alpha as a confidence-weighted prior: λ·c(x)·(α − α_net)², c = f + (1 − f)|2α_net − 1|^p,
 *     so the data term is strong where the network is decisive and fades where it hedges;
 *   - nonlocal terms: KNN matting (Chen, Li, Tang, TPAMI 2013) or information flow
 *     (Aksoy, Aydın, Pollefeys, CVPR 2017), ./knn-matting.ts and ./info-flow.ts;
 *   - sampled α estimates as a confidence-weighted data term, as robust matting (Wang & Cohen,
 *     CVPR 2007), samples from shared matting's rays (Gastal & Oliveira, EG 2010) scored with global
 *     sampling's cost (He et al., CVPR 2011): ./sampling-data.ts, ./sampling-term.ts.
 * The constants are global: chosen on the whole dev half, never per image.
 */
import { CoreError } from '../errors.js';
import type { GuidePlanes } from './guided-filter.js';
import type { ExtraTerms, SolveOptions, TermsBuilder } from './closed-form.js';
import type { Band } from './trimap-band.js';
import { INFO_FLOW_DEFAULTS, infoFlowTerms } from './info-flow.js';
import { KNN_MATTING_DEFAULTS, knnMattingTerms } from './knn-matting.js';
import { SAMPLING_DEFAULTS, type SamplingOptions } from './sampling-data.js';
import { mergeDataTerms, samplingDataTerm } from './sampling-term.js';
import type { Yielder } from './yielder.js';

interface NetPrior {
  /** λ: data-term weight where the network is decisive. */
  readonly lambda: number;
  /** p in |2α_net − 1|^p. */
  readonly power: number;
  /** f: fraction of λ kept where the network says 0.5. */
  readonly floor: number;
}

export interface HintSolverSpec {
  /** The network prior; absent: no prior near hints (the strokes and the Laplacian decide). */
  readonly prior?: NetPrior;
  /** Extra terms built per band (per level of the coarse-to-fine solve). */
  readonly terms?: TermsBuilder;
  /** Multi-resolution schedule and stopping rule, when not the closed-form solve's. */
  readonly solve?: Pick<SolveOptions, 'coarseBand' | 'fineIterations' | 'finestIterations' | 'tolerance' | 'termsMaxBand'>;
}

/**
 * The multi-resolution schedule of every solver but the one before issue 15: the coarse levels
 * converge (tolerance 1e-4: the coarse solution carries the propagation, the fine levels only
 * refine it locally), intermediate levels run at most 60 iterations, the finest until the
 * tolerance or the deadline. Chosen on the whole dev half (tools/eval: `--refiner hinted-…`);
 * within the 1.5 s budget, closed-form: 1e-3 / 30 / 30 → 5.20 / 7.92 (u_SAD trimap1 / trimap2),
 * 1e-4 / 100 / ∞ → 5.03 / 7.06, 1e-4 / 60 / ∞ → 4.86 / 7.23. Giving the finest level a fixed share
 * of the time instead starved the coarse levels (5.62 / 11.60).
 */
const SCHEDULE = { tolerance: 1e-4, fineIterations: 60, finestIterations: 100_000 } as const;
/**
 * Nonlocal terms only on levels with at most this many band pixels: in practice the coarsest level
 * of the pyramid (./coarse-to-fine.ts), and small bands at full resolution (brush strokes). Their
 * search and per-iteration cost does not fit the budget higher up: info-flow terms up to 40k band
 * pixels gave 5.14 / 7.43 against 4.48 / 6.88 up to 20k, everything else equal.
 */
const TERMS_MAX_BAND = 20_000;

type Builder = (terms: (guide: GuidePlanes, band: Band, yielder?: Yielder) => Promise<ExtraTerms>) => TermsBuilder;
const nonlocal: Builder = (terms) => (guide, band, _prior, yielder) => terms(guide, band, yielder);

/**
 * Information-flow terms on bands of at most TERMS_MAX_BAND pixels plus the sampled estimates of
 * ./sampling-data.ts as a second data term on bands of at most `samplingMaxBand` (the solve's
 * termsMaxBand must let both through), their samples gathered on a grid whose band has at most
 * ~`sampleBand` pixels (./sampling-term.ts).
 */
function infoFlowSamplingTerms(sampling: SamplingOptions = SAMPLING_DEFAULTS, samplingMaxBand = TERMS_MAX_BAND, sampleBand = TERMS_MAX_BAND): TermsBuilder {
  return async (guide, band, _prior, yielder) => {
    const nu = band.unknown.length;
    const flow = nu <= TERMS_MAX_BAND ? await infoFlowTerms(guide, band, INFO_FLOW_DEFAULTS, yielder) : { operators: [] };
    if (nu > samplingMaxBand) return flow;
    const data = mergeDataTerms(flow.data, await samplingDataTerm(guide, band, sampling, sampleBand, yielder));
    return data ? { operators: flow.operators, data } : flow;
  };
}

const HINT_SOLVERS = {
  // The hinted solve before issue 15: closed-form, no prior near hints, coarse tolerance 1e-3, 30 iterations per finer level.
  'closed-form-before': { solve: { tolerance: 1e-3, fineIterations: 30 } },
  // The same energy on the schedule above.
  'closed-form': { solve: SCHEDULE },
  // (a) the network alpha as a confidence-weighted prior (λ 0.003: larger λ was worse, see the report).
  'net-prior': { prior: { lambda: 0.003, power: 2, floor: 0.05 }, solve: SCHEDULE },
  // (b) KNN matting's nonlocal Laplacian.
  knn: { terms: nonlocal((g, b, y) => knnMattingTerms(g, b, KNN_MATTING_DEFAULTS, y)), solve: { ...SCHEDULE, termsMaxBand: TERMS_MAX_BAND } },
  // (b) information-flow matting's colour-mixture, K-to-U and intra-U terms.
  'info-flow': { terms: nonlocal((g, b, y) => infoFlowTerms(g, b, INFO_FLOW_DEFAULTS, y)), solve: { ...SCHEDULE, termsMaxBand: TERMS_MAX_BAND } },
  // The same terms on every level (measurements only: the ceiling without the time budget's limits).
  // Dev half, no budget: 3.95 / 5.89 (refine 6–16 s); within the 1.5 s budget 5.41 (trimap1): the
  // terms' build at full resolution is what has to get faster for this to be the default.
  'info-flow-every-level': { terms: nonlocal((g, b, y) => infoFlowTerms(g, b, INFO_FLOW_DEFAULTS, y)), solve: SCHEDULE },
  // (c) information flow plus sampled estimates (shared / global sampling, ./sampling-data.ts) as a
  // second data term, on the same levels: 4.45 / 6.97 against info-flow's 4.48 / 6.88 (not the default).
  'info-flow-sampling': { terms: infoFlowSamplingTerms(), solve: { ...SCHEDULE, termsMaxBand: TERMS_MAX_BAND } },
  // The same data term on every level too, samples gathered on a grid of ≤ ~10k band pixels and
  // shared up (./sampling-term.ts; info-flow still only up to TERMS_MAX_BAND): λ 0.005 → 4.52 / 7.43,
  // λ 0.0015 → 4.77 / 7.32 (its build on the large levels eats into the finest level's CG time).
  'info-flow-sampling-every-level': { terms: infoFlowSamplingTerms(SAMPLING_DEFAULTS, Number.POSITIVE_INFINITY, 10_000), solve: SCHEDULE },
} as const satisfies Record<string, HintSolverSpec>;

export type HintSolverName = keyof typeof HINT_SOLVERS;
export const HINT_SOLVER_NAMES = Object.keys(HINT_SOLVERS) as HintSolverName[];

/** The spec of a name (or the spec itself); an unknown name is a CoreError 'invalid_argument'. */
export function resolveHintSolver(solver: HintSolverName | HintSolverSpec): HintSolverSpec {
  if (typeof solver !== 'string') return solver;
  if (!Object.hasOwn(HINT_SOLVERS, solver)) {
    throw new CoreError('invalid_argument', `Unknown hint solver "${String(solver)}" (known: ${HINT_SOLVER_NAMES.join(', ')}).`);
  }
  return HINT_SOLVERS[solver];
}

/** The solve options a spec sets (on top of the refiner's): `lambda` is the caller's when the spec has no prior. */
export function hintSolveOptions(spec: HintSolverSpec, lambda: number): Partial<SolveOptions> {
  const p = spec.prior;
  return {
    ...(p ? { lambda: p.lambda, confidencePower: p.power, uncertainWeight: p.floor, hintPriorWeight: 1 } : { lambda, hintPriorWeight: 0 }),
    ...(spec.terms ? { terms: spec.terms } : {}),
    ...spec.solve,
  };
}
