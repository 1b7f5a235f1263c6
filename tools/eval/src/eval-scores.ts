/**
 * What the evaluation scores per image, per set: one `SetScorer` for each eval set loads the
 * image's ground truth (./eval-data.ts) and scores a prediction with ./metrics.ts. The loop that
 * runs them is ./eval-run.ts; the report's shape and table are ./eval-report.ts.
 */
import {
  type AlphaMattingItem,
  type EvalSetName,
  type GrabCutItem,
  listAlphaMatting,
  listGrabCut,
  loadAlphaMattingGroundTruth,
  loadGrabCutGroundTruth,
} from './eval-data.js';
import { gradErrorFromMagnitudes, gradientMagnitude, iou, mae, mse, sad, uMse, uSad } from './metrics.js';

export interface Prediction {
  /** Soft alpha at the image's exact size, row-major, values in [0,1]. */
  alpha: Float32Array;
  width: number;
  height: number;
  /** Optional time the predictor measured itself (ms); otherwise the call's wall time is used. */
  ms?: number;
}

/** Per-image alphamatting scores (keys match the README's metric names). */
export interface AlphaMattingScores {
  SAD: number;
  MSE: number;
  Grad: number;
  u_SAD_trimap1: number;
  u_SAD_trimap2: number;
  u_MSE_trimap1: number;
  u_MSE_trimap2: number;
  u_Grad_trimap1: number;
  u_Grad_trimap2: number;
  /** Whole-image Grad with the L2-normalised kernel of gaussgradient.m (DIM / GCA / mmediting code), for literature comparisons. */
  Grad_l2: number;
  ms: number;
}

export interface GrabCutScores {
  IoU: number;
  /** Soft prediction vs mask (gt = 128 ignored). */
  MAE: number;
  /** Prediction thresholded at 0.5 vs mask (gt = 128 ignored). */
  MAE_binary: number;
  ms: number;
}

/** Each set's item and score types. */
export interface SetTypes {
  alphamatting: { item: AlphaMattingItem; scores: AlphaMattingScores };
  grabcut: { item: GrabCutItem; scores: GrabCutScores };
}
export type ScoresOf<K extends EvalSetName> = SetTypes[K]['scores'];
export type AnyScores = ScoresOf<EvalSetName>;

export interface SetScorer<K extends EvalSetName> {
  /** The set's images in the data folder. */
  list(dataDir: string): SetTypes[K]['item'][];
  /** Loads the item's ground truth, checks the prediction's size against it and scores it. */
  score(p: Prediction & { ms: number }, item: SetTypes[K]['item']): Promise<ScoresOf<K>>;
}

function checkPrediction(p: Prediction, width: number, height: number, where: string): void {
  if (p.width !== width || p.height !== height || p.alpha.length !== width * height) {
    throw new Error(`${where}: prediction is ${p.width}×${p.height} (${p.alpha.length} values), ground truth is ${width}×${height}`);
  }
}

/** The scorers, in the order the sets are run (and reported). */
export const SCORERS: { readonly [K in EvalSetName]: SetScorer<K> } = {
  alphamatting: {
    list: listAlphaMatting,
    async score(p, item) {
      const gt = await loadAlphaMattingGroundTruth(item);
      const { width: w, height: h } = gt;
      checkPrediction(p, w, h, `alphamatting/${item.name}`);
      // gradient magnitudes once per image, shared by the whole-image and band scores
      const mp = gradientMagnitude(p.alpha, w, h);
      const mg = gradientMagnitude(gt.alpha, w, h);
      return {
        SAD: sad(p.alpha, gt.alpha, w, h),
        MSE: mse(p.alpha, gt.alpha, w, h),
        Grad: gradErrorFromMagnitudes(mp, mg),
        u_SAD_trimap1: uSad(p.alpha, gt.alpha, gt.trimap1, w, h),
        u_SAD_trimap2: uSad(p.alpha, gt.alpha, gt.trimap2, w, h),
        u_MSE_trimap1: uMse(p.alpha, gt.alpha, gt.trimap1, w, h),
        u_MSE_trimap2: uMse(p.alpha, gt.alpha, gt.trimap2, w, h),
        u_Grad_trimap1: gradErrorFromMagnitudes(mp, mg, gt.trimap1),
        u_Grad_trimap2: gradErrorFromMagnitudes(mp, mg, gt.trimap2),
        Grad_l2: gradErrorFromMagnitudes(gradientMagnitude(p.alpha, w, h, { norm: 'l2' }), gradientMagnitude(gt.alpha, w, h, { norm: 'l2' })),
        ms: p.ms,
      };
    },
  },
  grabcut: {
    list: listGrabCut,
    async score(p, item) {
      const gt = await loadGrabCutGroundTruth(item);
      const { width: w, height: h } = gt;
      checkPrediction(p, w, h, `grabcut/${item.name}`);
      return {
        IoU: iou(p.alpha, gt.mask, w, h),
        MAE: mae(p.alpha, gt.mask, w, h),
        MAE_binary: mae(p.alpha, gt.mask, w, h, true),
        ms: p.ms,
      };
    },
  },
};
