"""The vectorised stability intervals against a plain per-pair reference from the definition.

The reference solves every pair of options on its own, in Python, as the module
docstring of :mod:`afweging.sensitivity` defines the intervals; the vectorised
code must give the same crossings (exactly) and the same intervals (to 1e-12)
on random matrices with ties, equal options, zero weights and all weight on a
single criterion.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from afweging.scoring import TIE_DECIMALS, competition_ranks, normalise_weights, overall_scores
from afweging.sensitivity import (
    PARALLEL_TOL,
    Crossing,
    Crossings,
    score_lines,
    stability_interval,
    stability_intervals,
    weights_along,
)


def reference_crossings(v: np.ndarray, w: np.ndarray, j: int) -> list[Crossing]:
    """Every pair (a, b), a < b, whose lines cross once inside [0, 1], sorted by (t, a, b)."""
    r, d = score_lines(v, normalise_weights(w), j)
    found = []
    for a in range(len(r)):
        for b in range(a + 1, len(r)):
            k = d[a] - d[b]
            if abs(k) <= PARALLEL_TOL:
                continue
            t = (r[b] - r[a]) / k
            if 0.0 <= t <= 1.0:
                found.append(Crossing(float(t), a, b) if k > 0 else Crossing(float(t), b, a))
    return sorted(found, key=lambda c: (c.t, c.a, c.b))


def reference_interval(v: np.ndarray, w: np.ndarray, j: int) -> tuple[float, ...]:
    """(winner_lo, winner_hi, ranking_lo, ranking_hi, tied) from one condition per ordered pair.

    a above b now: a must not fall below b, so t stays on the current side of
    their crossing (no condition when the lines are parallel). Tied now: the
    tie must hold, which only parallel lines do, else t is pinned to t0.
    """
    w = normalise_weights(w)
    t0 = float(w[j])
    d = score_lines(v, w, j)[1]
    now = overall_scores(v, weights_along(w, j, t0)[0])
    rounded = np.round(now, TIE_DECIMALS)
    first = competition_ranks(now) == 1
    n = len(now)
    ends = {"winner": [0.0, 1.0], "ranking": [0.0, 1.0]}
    tied_any = False
    for a in range(n):
        for b in range(n):
            if a == b:
                continue
            k = d[a] - d[b]
            parallel = abs(k) <= PARALLEL_TOL
            tied = rounded[a] == rounded[b]
            tied_any |= bool(tied)
            if parallel or rounded[a] < rounded[b]:
                continue
            lo, hi = (t0, t0) if tied else (0.0, 1.0)
            if not tied:
                cross = t0 - (now[a] - now[b]) / k
                lo, hi = (cross, 1.0) if k > 0 else (0.0, cross)
            for name in ("winner", "ranking") if first[a] else ("ranking",):
                ends[name][0] = max(ends[name][0], lo)
                ends[name][1] = min(ends[name][1], hi)
    out = []
    for name in ("winner", "ranking"):
        lo, hi = ends[name]
        out += [min(max(lo, 0.0), t0), max(min(hi, 1.0), t0)]
    return (*out, tied_any)


def random_problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random matrix and weights; the seed picks ties, equal options, zero or full weights."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 14)), int(rng.integers(2, 7))
    kind = seed % 5
    # Continuous values make ties rare; values on a coarse grid make exact ties and
    # parallel lines common.
    v = rng.random((n, m)) if kind == 0 else rng.integers(0, 5, (n, m)) / 4
    if kind == 2 and n > 1:  # equal options
        v[rng.integers(n)] = v[0]
    w = rng.integers(0, 4, m).astype(float)  # zero weights are common
    if kind == 3 or w.sum() == 0:  # all weight on a single criterion
        w = np.zeros(m)
        w[rng.integers(m)] = 1.0
    return v, w


@pytest.mark.parametrize("seed", range(150))
def test_vectorised_intervals_equal_the_per_pair_reference(seed):
    v, w = random_problem(seed)
    for si in stability_intervals(v, w):
        j = si.criterion
        expected = reference_interval(v, w, j)
        got = (si.winner_lo, si.winner_hi, si.ranking_lo, si.ranking_hi)
        np.testing.assert_allclose(got, expected[:4], rtol=0, atol=1e-12)
        assert si.tied_at_current == expected[4]
        crossings = reference_crossings(v, w, j)
        assert list(si.crossings) == crossings  # the same floating-point operations: exact
        assert si.crossings == tuple(crossings)


def test_larger_random_matrix_equals_the_reference():
    rng = np.random.default_rng(13)
    v = np.round(rng.random((60, 5)), 1)  # 60 options on 11 levels: many ties
    v[7] = v[3]
    w = np.array([0.0, 3.0, 1.0, 2.0, 5.0])
    for j in range(5):
        si = stability_interval(v, w, j)
        expected = reference_interval(v, w, j)
        got = (si.winner_lo, si.winner_hi, si.ranking_lo, si.ranking_hi)
        np.testing.assert_allclose(got, expected[:4], rtol=0, atol=1e-12)
        assert list(si.crossings) == reference_crossings(v, w, j)


def test_one_option_and_one_criterion():
    si = stability_interval([[0.3, 0.9]], [1, 2], 0)
    assert (si.winner_lo, si.winner_hi, si.ranking_lo, si.ranking_hi) == (0.0, 1.0, 0.0, 1.0)
    assert si.crossings == () and len(si.crossings) == 0
    with pytest.raises(ValueError, match="two criteria"):
        stability_intervals([[0.3], [0.5]], [1.0])


def test_every_interval_holds_on_a_100001_point_sweep():
    """Each end of each interval is where the sweep's ranks change, to the grid's step."""
    rng = np.random.default_rng(2024)
    v = rng.random((12, 7))
    w = rng.integers(1, 6, 7).astype(float)
    grid = np.linspace(0.0, 1.0, 100_001)
    for si in stability_intervals(v, w):
        j = si.criterion
        ranks0 = competition_ranks(overall_scores(v, weights_along(w, j, si.current_weight)[0]))
        ranks = competition_ranks(overall_scores(v, weights_along(w, j, grid)))
        winners = np.all(ranks[:, ranks0 == 1] == 1, axis=1)
        ranking = np.all(ranks == ranks0, axis=1)
        for lo, hi, holds in (
            (si.winner_lo, si.winner_hi, winners),
            (si.ranking_lo, si.ranking_hi, ranking),
        ):
            near = np.abs(grid[:, None] - np.array([lo, hi])).min(axis=1) < 2e-5
            inside = (grid >= lo) & (grid <= hi)
            assert np.array_equal(inside[~near], holds[~near])


def test_crossings_behave_as_a_tuple_and_pickle_small():
    v = np.array([[1.0, 0.2], [0.4, 0.8], [0.6, 0.6], [0.6, 0.6]])
    c = stability_interval(v, [0.5, 0.5], 0).crossings
    as_tuple = tuple(c)
    assert isinstance(c, Crossings) and c == as_tuple and as_tuple == tuple(c)
    assert hash(c) == hash(as_tuple)
    assert c[0] == as_tuple[0] and c[-1] == as_tuple[-1] and c[1:] == as_tuple[1:]
    assert [x.t for x in c] == sorted(x.t for x in c)
    copy = pickle.loads(pickle.dumps(c))
    assert copy._arrays is None  # not stored: solved again on use
    assert copy == c
    t = as_tuple[1].t
    near = c.near(t, 0.2)
    assert near == tuple(
        sorted((x for x in as_tuple if abs(x.t - t) <= 0.2), key=lambda x: abs(x.t - t))
    )
