/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.4/7.5) with a
 * backtracking Armijo line search, for the smooth, strictly convex L2-regularized logistic loss of
 * the prompt classifier. Full-batch and free of randomness: the same objective and start always give
 * the same iterates, bit for bit, which is what makes the committed weights reproducible.
 */

/** An objective: writes the gradient at `x` into `gradient` and returns the value. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Iteration cap (default 200). */
  readonly maxIterations?: number;
  /** Number of correction pairs kept (default 10). */
  readonly memory?: number;
  /** Stop when ‖gradient‖₂ ≤ tolerance · max(1, ‖x‖₂) (default 1e-6). */
  readonly tolerance?: number;
}

/** Where the search stopped. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly gradientNorm: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/** Minimizes `objective` from `start` (which is not modified). */
export function minimizeLbfgs(
  objective: Objective,
  start: Float64Array,
  options: LbfgsOptions = {},
): LbfgsResult {
  const maxIterations = options.maxIterations ?? 200;
  const memory = options.memory ?? 10;
  const tolerance = options.tolerance ?? 1e-6;
  const n = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(memory);
  let nextX = new Float64Array(n);
  let nextGradient = new Float64Array(n);
  let iterations = 0;
  let gradientNorm = Math.sqrt(dot(gradient, gradient));

  while (iterations < maxIterations && gradientNorm > tolerance * Math.max(1, Math.sqrt(dot(x, x)))) {
    // Two-loop recursion: direction = -H·gradient.
    for (let i = 0; i < n; i++) direction[i] = -(gradient[i] ?? 0);
    for (let k = sHistory.length - 1; k >= 0; k--) {
      const a = (rhoHistory[k] ?? 0) * dot(sHistory[k] as Float64Array, direction);
      alpha[k] = a;
      const y = yHistory[k] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) - a * (y[i] ?? 0);
    }
    const last = sHistory.length - 1;
    const gamma =
      last >= 0
        ? dot(sHistory[last] as Float64Array, yHistory[last] as Float64Array) /
          dot(yHistory[last] as Float64Array, yHistory[last] as Float64Array)
        : 1 / gradientNorm;
    for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) * gamma;
    for (let k = 0; k < sHistory.length; k++) {
      const s = sHistory[k] as Float64Array;
      const b = (rhoHistory[k] ?? 0) * dot(yHistory[k] as Float64Array, direction);
      const a = alpha[k] ?? 0;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) + (a - b) * (s[i] ?? 0);
    }
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sHistory.length = yHistory.length = rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(gradient[i] ?? 0) / gradientNorm;
      slope = dot(gradient, direction);
    }
    let step = 1;
    let nextValue = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) nextX[i] = (x[i] ?? 0) + step * (direction[i] ?? 0);
      nextValue = objective(nextX, nextGradient);
      if (nextValue <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextValue < value)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (nextX[i] ?? 0) - (x[i] ?? 0);
      y[i] = (nextGradient[i] ?? 0) - (gradient[i] ?? 0);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (sHistory.length === memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
    }
    [x, nextX] = [nextX, x];
    [gradient, nextGradient] = [nextGradient, gradient];
    value = nextValue;
    gradientNorm = Math.sqrt(dot(gradient, gradient));
    iterations++;
  }
  return { x, value, iterations, gradientNorm };
}
