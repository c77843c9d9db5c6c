"""Automated canary analysis: a Mann-Whitney U test on latency, Fisher's exact test on errors.

A canary judge compares a metric of the canary against the same metric of a
baseline that runs the old version under the same traffic, and decides
"promote" or "roll back". Eyeballing two averages fails both ways: noise
looks like a regression, and a real regression hides in a small sample. The
lab implements the two tests from scratch (standard library only), states
their assumptions, and shows a true regression caught, a noise-only canary
passed, and how the verdict depends on the sample size.

- Latency: Mann-Whitney U (the Wilcoxon rank-sum test), one-sided, with the
  normal approximation, tie correction and continuity correction. It assumes
  independent samples and no particular distribution, which suits skewed
  latency data. As in Kayenta's default judge, a significant difference must
  also be large enough to matter: the canary's median must exceed the
  baseline's by more than a tolerance.
- Errors: Fisher's exact test, one-sided, on the 2x2 table of failed and
  successful requests. It assumes that requests fail independently with one
  probability per version.

Run: ``python -m dsd_labs.operations.canary --seed 3``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
from dataclasses import dataclass


# [start mann whitney]
@dataclass(frozen=True)
class RankTest:
    """The outcome of a one-sided Mann-Whitney U test, canary larger than baseline."""

    u: float  # pairs (baseline, canary) with canary larger, ties counted one half
    z: float
    p_value: float

    def effect(self, n_baseline: int, n_canary: int) -> float:
        """U / (n_b n_c): the probability that a random canary value beats a baseline one."""
        return self.u / (n_baseline * n_canary)


def ranks(values: list[float]) -> list[float]:
    """Ranks 1..n of ``values`` in their own order, tied values sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def mann_whitney(baseline: list[float], canary: list[float]) -> RankTest:
    """Test H0 "same distribution" against "canary values tend to be larger"."""
    n_b, n_c = len(baseline), len(canary)
    n = n_b + n_c
    r = ranks(baseline + canary)
    u = sum(r[n_b:]) - n_c * (n_c + 1) / 2
    counts: dict[float, int] = {}
    for value in baseline + canary:
        counts[value] = counts.get(value, 0) + 1
    ties = sum(t ** 3 - t for t in counts.values())
    variance = n_b * n_c / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance == 0:
        return RankTest(u, 0.0, 1.0)
    z = (u - n_b * n_c / 2 - 0.5) / math.sqrt(variance)
    return RankTest(u, z, 0.5 * math.erfc(z / math.sqrt(2)))
# [end mann whitney]


# [start fisher]
def log_comb(n: int, k: int) -> float:
    """log C(n, k) through log-gamma, exact enough for p-values and safe for large n."""
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(errors_b: int, total_b: int, errors_c: int, total_c: int) -> float:
    """One-sided Fisher's exact test: P(canary has at least ``errors_c`` of the failures).

    Conditional on the total number of failures K, under H0 (one failure
    probability for both versions) the canary's share is hypergeometric: K
    draws from N = total_b + total_c requests of which total_c are the canary's.
    """
    failures, population = errors_b + errors_c, total_b + total_c
    denominator = log_comb(population, failures)
    return min(1.0, sum(
        math.exp(log_comb(total_c, x) + log_comb(total_b, failures - x) - denominator)
        for x in range(errors_c, min(failures, total_c) + 1)))
# [end fisher]


# [start judge]
@dataclass(frozen=True)
class Verdict:
    """A judge's decision with the numbers behind it."""

    promote: bool
    p_value: float
    shift: float  # relative change of the canary's median over the baseline's
    reason: str


def judge_latency(baseline: list[float], canary: list[float], alpha: float = 0.01,
                  tolerance: float = 0.05) -> Verdict:
    """Roll back only if the canary is significantly slower AND by more than ``tolerance``."""
    test = mann_whitney(baseline, canary)
    shift = statistics.median(canary) / statistics.median(baseline) - 1
    if test.p_value >= alpha:
        return Verdict(True, test.p_value, shift, "not significant")
    if shift <= tolerance:
        return Verdict(True, test.p_value, shift, "within tolerance")
    return Verdict(False, test.p_value, shift, "slower")


def judge_errors(errors_b: int, total_b: int, errors_c: int, total_c: int,
                 alpha: float = 0.01) -> Verdict:
    """Roll back if the canary's error share is significantly larger (Fisher, one-sided)."""
    p = fisher_greater(errors_b, total_b, errors_c, total_c)
    rate_b, rate_c = errors_b / total_b, errors_c / total_c
    shift = rate_c / rate_b - 1 if rate_b else math.inf
    if p < alpha:
        return Verdict(False, p, shift, "significantly more errors")
    return Verdict(True, p, shift, "no significant difference")
# [end judge]


def latencies(rng: random.Random, n: int, median_ms: float, sigma: float = 0.5) -> list[float]:
    """``n`` lognormal latencies with the given median, rounded to 0.1 ms as a tracer would."""
    mu = math.log(median_ms)
    return [round(rng.lognormvariate(mu, sigma), 1) for _ in range(n)]


def failures(rng: random.Random, n: int, rate: float) -> int:
    """Failed requests among ``n`` independent ones."""
    return sum(rng.random() < rate for _ in range(n))


def binomial(rng: random.Random, n: int, p: float) -> int:
    """Failures among ``n`` requests failing with probability ``p``, drawn by skipping
    geometric gaps between failures (fast when ``p`` is small)."""
    if p <= 0:
        return 0
    log_q, position, count = math.log(1 - p), 0, 0
    while True:
        position += int(math.log(1 - rng.random()) / log_q) + 1
        if position > n:
            return count
        count += 1


def error_detection_rate(seed: int, n: int, base_rate: float, factor: float, trials: int,
                         alpha: float = 0.01) -> float:
    """Fraction of ``trials`` canaries with ``factor`` times the baseline error rate
    that Fisher's test flags, with ``n`` requests per side: the test's power."""
    rng = random.Random(seed)
    flagged = 0
    for _ in range(trials):
        errors_b, errors_c = binomial(rng, n, base_rate), binomial(rng, n, base_rate * factor)
        flagged += fisher_greater(errors_b, n, errors_c, n) < alpha
    return flagged / trials


def detection_rate(seed: int, n: int, slowdown: float, trials: int, alpha: float,
                   tolerance: float) -> float:
    """Fraction of ``trials`` canaries, slower by ``slowdown``, that the judge rolls back."""
    rng = random.Random(seed)
    rolled_back = 0
    for _ in range(trials):
        base = latencies(rng, n, 80.0)
        canary = latencies(rng, n, 80.0 * (1 + slowdown))
        rolled_back += not judge_latency(base, canary, alpha, tolerance).promote
    return rolled_back / trials


def main(argv: list[str] | None = None) -> int:
    """Judge fixed scenarios, then sweep the sample size and count the judge's errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--alpha", type=float, default=0.01)
    parser.add_argument("--tolerance", type=float, default=0.05)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--rate", type=float, default=36.0,
                        help="requests per second sent to canary and baseline together")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    print(f"Latency: lognormal, baseline median 80 ms, sigma 0.5; one-sided Mann-Whitney U,"
          f"\nalpha {args.alpha}, tolerance {args.tolerance:.0%}")
    print("scenario     n/side  U/(n*n)      z   p-value   shift  verdict")
    for name, n, slowdown in (("noise only", 200, 0.0), ("10% slower", 200, 0.10),
                              ("10% slower", 20, 0.10), ("2% slower", 20_000, 0.02)):
        base = latencies(rng, n, 80.0)
        canary = latencies(rng, n, 80.0 * (1 + slowdown))
        test = mann_whitney(base, canary)
        verdict = judge_latency(base, canary, args.alpha, args.tolerance)
        decision = "promote" if verdict.promote else "roll back"
        print(f"{name:11} {n:7,}  {test.effect(n, n):7.3f} {test.z:6.2f} {test.p_value:9.2g}"
              f"  {verdict.shift:+6.1%}  {decision}: {verdict.reason}")
    print(f"\nShare of {args.trials} canaries rolled back, by samples per side:")
    sizes = (10, 30, 100, 300, 1000)
    print("slowdown  " + "".join(f"{n:>8}" for n in sizes))
    for slowdown in (0.0, 0.10, 0.25):
        rates = [detection_rate(args.seed + n, n, slowdown, args.trials, args.alpha,
                                args.tolerance) for n in sizes]
        print(f"{slowdown:>7.0%}   " + "".join(f"{r:8.1%}" for r in rates))
    print("\nErrors: one-sided Fisher's exact test, alpha "
          f"{args.alpha}; baseline error rate 0.20%")
    print("scenario     requests/side  baseline  canary   p-value  verdict")
    for name, n, rate in (("noise only", 5_000, 0.002), ("3x errors", 5_000, 0.006),
                          ("3x errors", 500, 0.006)):
        errors_b, errors_c = failures(rng, n, 0.002), failures(rng, n, rate)
        verdict = judge_errors(errors_b, n, errors_c, n, args.alpha)
        decision = "promote" if verdict.promote else "roll back"
        print(f"{name:11} {n:14,} {errors_b:9} {errors_c:7}  {verdict.p_value:8.2g}  {decision}")
    per_side = args.rate / 2
    print(f"\nAt {per_side:g} req/s per side, 5,000 requests take {5000 / per_side / 60:.1f} min;"
          f" 500 take {500 / per_side:.0f} s")
    print(f"20 independent metrics at alpha {args.alpha}: P(some false alarm) = "
          f"1 - {1 - args.alpha:g}^20 = {1 - (1 - args.alpha) ** 20:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
