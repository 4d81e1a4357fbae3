/**
 * Exact binomial tails for the capacity search's decisions. Sums the
 * probability mass in log space (no factorials, no overflow), which costs
 * O(k): the counts tested here are samples above a latency limit or
 * failed requests, a small share of a step's requests.
 */

function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  // Walk up from the lower tail when k is below the mean, else sum the upper tail and take the complement.
  if (k > n * p) return 1 - binomialUpper(k + 1, n, p);
  const ratio = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let logSum = logPmf;
  for (let i = 0; i < k; i++) {
    logPmf += Math.log(n - i) - Math.log(i + 1) + ratio;
    logSum = logAddExp(logSum, logPmf);
  }
  return Math.min(1, Math.exp(logSum));
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed from the top (k above the mean). */
function binomialUpper(k: number, n: number, p: number): number {
  const ratio = Math.log1p(-p) - Math.log(p);
  let logPmf = n * Math.log(p);
  let logSum = logPmf;
  for (let i = n; i > k; i--) {
    // pmf(i − 1) = pmf(i) · i / (n − i + 1) · (1 − p) / p
    logPmf += Math.log(i) - Math.log(n - i + 1) + ratio;
    logSum = logAddExp(logSum, logPmf);
  }
  return Math.min(1, Math.exp(logSum));
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialSurvival(k: number, n: number, p: number): number {
  return k <= 0 ? 1 : 1 - binomialCdf(k - 1, n, p);
}

/** The smallest k with P(X ≤ k) ≥ prob, for X ~ Binomial(n, p). */
export function binomialQuantile(prob: number, n: number, p: number): number {
  // Start from a normal approximation and walk to the exact answer.
  const sd = Math.sqrt(n * p * (1 - p));
  let k = Math.max(0, Math.min(n, Math.floor(n * p - 4 * sd)));
  while (k > 0 && binomialCdf(k - 1, n, p) >= prob) k--;
  while (k < n && binomialCdf(k, n, p) < prob) k++;
  return k;
}
