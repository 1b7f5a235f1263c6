/// <reference types="@figma/plugin-typings" />
/** 2×3 affine matrices as Figma's `Transform` ([[m00, m01, m02], [m10, m11, m12]]) and bounding boxes. */
export type Matrix = Transform;

export const IDENTITY: Matrix = Object.freeze([Object.freeze([1, 0, 0]), Object.freeze([0, 1, 0])]) as unknown as Matrix;

export function matrix(a: number, b: number, tx: number, c: number, d: number, ty: number): Matrix {
  return Object.freeze([Object.freeze([a, b, tx]), Object.freeze([c, d, ty])]) as unknown as Matrix;
}

export function copyMatrix(t: Transform): Matrix {
  return matrix(t[0][0], t[0][1], t[0][2], t[1][0], t[1][1], t[1][2]);
}

export function multiply(a: Matrix, b: Matrix): Matrix {
  return matrix(
    a[0][0] * b[0][0] + a[0][1] * b[1][0],
    a[0][0] * b[0][1] + a[0][1] * b[1][1],
    a[0][0] * b[0][2] + a[0][1] * b[1][2] + a[0][2],
    a[1][0] * b[0][0] + a[1][1] * b[1][0],
    a[1][0] * b[0][1] + a[1][1] * b[1][1],
    a[1][0] * b[0][2] + a[1][1] * b[1][2] + a[1][2],
  );
}

export function invert(m: Matrix): Matrix {
  const [[a, c, e], [b, d, f]] = m;
  const det = a * d - b * c;
  return matrix(d / det, -c / det, (c * f - d * e) / det, -b / det, a / det, (b * e - a * f) / det);
}

export function translation(dx: number, dy: number): Matrix {
  return matrix(1, 0, dx, 0, 1, dy);
}

export function withTranslation(m: Matrix, tx: number, ty: number): Matrix {
  return matrix(m[0][0], m[0][1], tx, m[1][0], m[1][1], ty);
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Axis-aligned bounds of the rectangle (0, 0, w, h) mapped by m. */
export function boxOf(m: Matrix, w: number, h: number): Box {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [px, py] of [
    [0, 0],
    [w, 0],
    [0, h],
    [w, h],
  ] as const) {
    xs.push(m[0][0] * px + m[0][1] * py + m[0][2]);
    ys.push(m[1][0] * px + m[1][1] * py + m[1][2]);
  }
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export function unionBoxes(boxes: readonly Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** FT L7344: "The transform always has unit axes". */
export function hasUnitAxes(t: Transform, eps = 1e-6): boolean {
  return Math.abs(Math.hypot(t[0][0], t[1][0]) - 1) < eps && Math.abs(Math.hypot(t[0][1], t[1][1]) - 1) < eps;
}

/** Whether the node's local x axis maps to the container's x axis (0°/180°), y axis (90°/270°), or neither. */
export function axisAlignment(t: Transform, eps = 1e-9): 'straight' | 'quarter' | 'oblique' {
  if (Math.abs(t[1][0]) < eps && Math.abs(t[0][1]) < eps) return 'straight';
  if (Math.abs(t[0][0]) < eps && Math.abs(t[1][1]) < eps) return 'quarter';
  return 'oblique';
}
