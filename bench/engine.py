"""Benchmark of the core: loading and validating the bundled data, scoring many weight vectors."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from afweging import scoring
from afweging.loading import load_bundled
from afweging.matrix import build_matrix


def _median_ms(job: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print the figures."""
    load_ms = _median_ms(load_bundled, repeat=5)
    bundle = load_bundled()
    print(f"engine: load and validate bundled data (all quotes checked): median {load_ms:.1f} ms")
    largest = max(
        (build_matrix(c, s) for c in bundle.cases for s in bundle.criteria_sets),
        key=lambda m: m.values.size,
    )
    n, m = largest.values.shape
    weights = np.random.default_rng(1).dirichlet(np.ones(m), size=100_000)
    values = largest.values

    def score_all() -> object:
        return scoring.competition_ranks(scoring.overall_scores(values, weights))

    ms = _median_ms(score_all)
    print(
        f"engine: score and rank 100,000 weight vectors, {largest.case.id} x "
        f"{largest.criteria_set.id} ({n} options x {m} criteria): median {ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
