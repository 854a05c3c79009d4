"""How the robustness engine grows with the problem: time and peak memory per analysis.

Each (size, analysis) runs in a fresh spawned process, so one analysis's memory
never hides another's. Peak memory is the process's maximum resident set size
(``ru_maxrss``) after the analysis minus the same figure just before it, with
the inputs built and a tiny warm-up run done first (imports, BLAS buffers).
Time is the median of up to ``REPEAT`` runs in that process (fewer when one run
takes long). Inputs are random with a fixed seed: values in [0, 1], a score
range of +-0.1 around every value, weights from 1..5 points per criterion.

The analyses are those the robustness view runs for one weight vector
(:func:`afweging.robustness.robustness_report` plus the chart):

- stability intervals for every criterion, with every crossing materialised;
- SMAA-2 with uniform weights and the score ranges (``SAMPLES`` draws; fewer
  at the largest size, as printed);
- the method cross-check (weighted sum, TOPSIS, PROMETHEE II);
- the chart of one criterion: a 101-point sweep and its crossings.

An analysis that runs out of memory is printed as FAILED with the reason (the
SMAA-2 of before issue 13 asked for 30.5 GiB at 1000 x 100). ``python -m
bench.scaling`` runs all sizes; ``--sizes 7x12,50x40`` and ``--analyses
stability,smaa`` select some.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

import numpy as np

SIZES: tuple[tuple[int, int], ...] = ((7, 12), (50, 40), (200, 50), (1000, 100))
ANALYSES = ("stability", "smaa", "methods", "chart")
SAMPLES = 100_000
#: Draws at sizes with more options x criteria than this: 100,000 draws of a
#: 1000 x 100 matrix are 10^10 random numbers, minutes of work whatever the code.
LARGE_CELLS, LARGE_SAMPLES = 50_000, 10_000
REPEAT = 5
#: Stop repeating once the runs so far took this long (seconds).
REPEAT_BUDGET = 3.0

#: Goals from issue 13: (size, analysis) -> (seconds, MB) limits; None = no goal.
GOALS: dict[tuple[tuple[int, int], str], tuple[float | None, float | None]] = {
    ((200, 50), "stability"): (0.5, None),
    ((1000, 100), "stability"): (10.0, None),
    ((200, 50), "smaa"): (None, 500.0),
}


def samples_for(n: int, m: int) -> int:
    """SMAA draws at this size (fewer at the largest, see ``LARGE_CELLS``)."""
    return LARGE_SAMPLES if n * m > LARGE_CELLS else SAMPLES


def problem(n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Values, score ranges (lo, hi) and weights, the same for every run at this size."""
    rng = np.random.default_rng(1000 * n + m)
    values = rng.random((n, m))
    weights = rng.integers(1, 6, m).astype(float)
    return values, np.clip(values - 0.1, 0, 1), np.clip(values + 0.1, 0, 1), weights / weights.sum()


def job(analysis: str, n: int, m: int) -> Callable[[], object]:
    """The analysis at one size as a call without arguments."""
    from afweging.methods import cross_check
    from afweging.robustness import crossing_points
    from afweging.sensitivity import one_way, stability_interval, stability_intervals
    from afweging.smaa import smaa

    values, lo, hi, w = problem(n, m)
    if analysis == "stability":
        return lambda: sum(len(s.crossings) for s in stability_intervals(values, w))
    if analysis == "smaa":
        samples = samples_for(n, m)
        return lambda: smaa(values, lo=lo, hi=hi, n_samples=samples, seed=0)
    if analysis == "methods":
        return lambda: cross_check(values, np.ones(m), w, values)
    if analysis == "chart":
        return lambda: (
            one_way(values, w, 0, points=101),
            crossing_points(values, w, stability_interval(values, w, 0)),
        )
    raise ValueError(f"unknown analysis {analysis!r}")


def _rss_mb() -> float:
    """This process's peak resident set so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(analysis: str, n: int, m: int) -> tuple[float, float]:
    """In a fresh process: (median seconds, peak MB above the baseline)."""
    job(analysis, 3, 2)()  # warm-up on a tiny problem: imports and library buffers
    run = job(analysis, n, m)
    before = _rss_mb()
    start = time.perf_counter()
    run()
    times = [time.perf_counter() - start]
    peak = _rss_mb() - before
    while len(times) < REPEAT and sum(times) < REPEAT_BUDGET:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), peak


def _label(analysis: str, n: int, m: int) -> str:
    if analysis == "smaa":
        return f"SMAA-2, {samples_for(n, m):,} draws"
    return {
        "stability": "stability intervals",
        "methods": "methods cross-check",
        "chart": "one criterion's chart",
    }[analysis]


def _time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _goal(size: tuple[int, int], analysis: str, seconds: float, mb: float) -> str:
    limit_s, limit_mb = GOALS.get((size, analysis), (None, None))
    out = []
    if limit_s is not None:
        out.append(f"{'within' if seconds <= limit_s else 'OVER'} {limit_s:g} s goal")
    if limit_mb is not None:
        out.append(f"{'within' if mb <= limit_mb else 'OVER'} {limit_mb:g} MB goal")
    return "; ".join(out)


def main(sizes: Sequence[tuple[int, int]] = SIZES, analyses: Sequence[str] = ANALYSES) -> None:
    """Print the scaling table."""
    print(
        f"scaling: time (median of up to {REPEAT} runs) and peak memory (max RSS above the "
        "baseline, fresh process per analysis)"
    )
    print(f"scaling: {'size':<11} {'analysis':<26} {'time':>10} {'peak memory':>12}  goal")
    spawn = get_context("spawn")
    for n, m in sizes:
        for analysis in analyses:
            size = f"{n} x {m}"
            try:
                with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                    seconds, mb = pool.submit(measure, analysis, n, m).result()
            except (MemoryError, BrokenProcessPool) as exc:  # a result too, for the table
                why = str(exc).split(" for an array")[0] or type(exc).__name__
                print(f"scaling: {size:<11} {_label(analysis, n, m):<26} FAILED: {why}")
                continue
            goal = _goal((n, m), analysis, seconds, mb)
            print(
                f"scaling: {size:<11} {_label(analysis, n, m):<26} {_time(seconds):>10} "
                f"{mb:>9.1f} MB  {goal}".rstrip(),
                flush=True,
            )


def _size(text: str) -> tuple[int, int]:
    """``"7x12"`` -> ``(7, 12)``: options by criteria."""
    n, m = text.split("x")
    return int(n), int(m)


def _parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=",".join(f"{n}x{m}" for n, m in SIZES))
    p.add_argument("--analyses", default=",".join(ANALYSES))
    return p.parse_args(argv)


if __name__ == "__main__":
    args = _parse()
    main([_size(s) for s in args.sizes.split(",")], args.analyses.split(","))
