"""What would you have to believe: exact nearest winning weights, checked against dense sweeps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.optimize import linprog
from streamlit.testing.v1 import AppTest

from afweging.loading import load_bundled
from afweging.matrix import Matrix, build_matrix
from afweging.model import Case, CriteriaSet, Criterion, Option, Scale, Score, Text
from afweging.scoring import competition_ranks
from afweging.to_win import MARGIN, ToWin, local_from_global, to_win, to_win_sentence
from afweging.weights import (
    leaf_weights,
    leaf_weights_from_groups,
    sibling_groups,
    weights_by_method,
)
from afweging_ui.i18n import t

#: Grid step of the sweep over three criteria; also the tolerance on distances found by sampling.
STEP = 0.005
SAMPLES = 200_000


def _text(x: str) -> Text:
    return Text(nl=x, en=x)


def make_matrix(values: np.ndarray, tree: list[int] | None = None) -> Matrix:
    """Options a, b, c, ... on leaves c0, c1, ... scaled 0..1 (so values are the raw scores).

    ``tree`` groups consecutive leaves under parents p0, p1, ... (a group of one stays a leaf).
    """
    v = np.asarray(values, dtype=float)
    leaves = [
        Criterion(
            id=f"c{j}",
            label=_text(f"Crit {j}"),
            direction="higher_is_better",
            scale=Scale(min=0, max=1),
            default_weight=1 + j % 2,
        )
        for j in range(v.shape[1])
    ]
    top: list[Criterion] = leaves
    if tree:
        top, start = [], 0
        for g, size in enumerate(tree):
            group = leaves[start : start + size]
            start += size
            top += (
                group
                if size == 1
                else [Criterion(id=f"p{g}", label=_text(f"Parent {g}"), criteria=group)]
            )
    cset = CriteriaSet(id="test", label=_text("Test"), criteria=top)
    options = [
        Option(
            id=chr(ord("a") + i),
            label=_text(f"Option {chr(ord('A') + i)}"),
            summary=_text("-"),
            scores={
                f"c{j}": Score(value=float(x), basis="afgeleid", rationale=_text("-"))
                for j, x in enumerate(row)
            },
        )
        for i, row in enumerate(v)
    ]
    case = Case(id="case", label=_text("Case"), options=options)
    return build_matrix(case, cset)


def simplex_grid(step: float = STEP) -> np.ndarray:
    """Every point of the 3-criterion weight simplex on a grid of ``step``."""
    k = round(1 / step)
    i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    keep = i + j <= k
    return np.stack([i[keep], j[keep], k - i[keep] - j[keep]], axis=1) / k


def simplex_samples(n: int, current: np.ndarray, targets: list[np.ndarray]) -> np.ndarray:
    """Seeded Dirichlet samples, the vertices, the edge midpoints, samples around the current
    weights, and points on the segments from the current weights to each returned answer."""
    rng = np.random.default_rng(7)
    eye = np.eye(n)
    mids = [(eye[a] + eye[b]) / 2 for a, b in itertools.combinations(range(n), 2)]
    around = rng.dirichlet(200 * current + 0.1, size=20_000)
    lines = [
        (1 - s) * current + s * w for w in targets for s in np.linspace(0, 1, 201)[:-1]
    ]  # stop short of the answer itself: every point here is nearer than it
    parts = [rng.dirichlet(np.ones(n), size=SAMPLES), eye, np.array(mids), around]
    return np.vstack(parts + ([np.array(lines)] if lines else []))


def check_result(matrix: Matrix, current: np.ndarray, i: int, r: ToWin) -> None:
    """The answer itself: on the simplex, first as claimed, distance as defined."""
    values = matrix.values
    leaves = matrix.criterion_ids
    if r.weights is None:
        assert r.local is None and r.distance is None and not r.already_first
        assert r.reason in ("dominated", "never_best")
        return
    w = np.array([r.weights[c] for c in leaves])
    assert np.all(w >= 0) and w.sum() == pytest.approx(1, abs=1e-12)
    assert r.distance == pytest.approx(0.5 * np.abs(w - current).sum(), abs=1e-12)
    assert 0 <= r.distance <= 1
    scores = values @ w
    assert competition_ranks(scores)[i] == 1
    if r.already_first:
        assert r.distance == 0 and w == pytest.approx(current, abs=1e-15)
    elif r.ties:
        assert r.tied_with and r.reason in ("dominated", "identical", "never_best")
    else:
        assert scores[i] - np.delete(scores, i).max() >= MARGIN - 1e-12
        assert r.reason is None
    assert leaf_weights(matrix.criteria_set, r.local) == pytest.approx(w, abs=1e-12)
    for group in sibling_groups(matrix.criteria_set).values():
        assert sum(r.local[c.id] for c in group) == pytest.approx(1, abs=1e-12)


def independent_distance(values: np.ndarray, c: np.ndarray, i: int, margin: float) -> float | None:
    """The same optimum by another formulation and solver: the weight taken away, interior point.

    On the simplex half the L1 distance is the total decrease, ``sum(max(c - w, 0))``.
    """
    n = values.shape[1]
    diff = np.delete(values, i, axis=0) - values[i]
    eye = np.eye(n)
    res = linprog(
        np.r_[np.zeros(n), np.ones(n)],
        A_ub=np.block([[diff, np.zeros_like(diff)], [-eye, -eye]]),
        b_ub=np.r_[np.full(len(diff), -margin), -c],
        A_eq=np.r_[np.ones(n), np.zeros(n)][np.newaxis, :],
        b_eq=[1.0],
        bounds=[(0, None)] * (2 * n),
        method="highs-ipm",
    )
    return float(res.fun) if res.status == 0 else None


def check_optimal(matrix: Matrix, current: np.ndarray, i: int, r: ToWin) -> None:
    """Never nearer than the true infimum (ties allowed), and as near as the claim allows."""
    if r.weights is None or r.already_first:
        return
    values = matrix.values
    floor = independent_distance(values, current, i, 0.0)
    assert floor is not None and r.distance >= floor - 1e-7
    if not r.ties:
        best = independent_distance(values, current, i, MARGIN)
        assert best is not None and r.distance <= best + 1e-7
    elif r.reason != "identical":
        assert r.distance <= floor + 1e-7


def check_against_sweep(matrix: Matrix, current: np.ndarray, points: np.ndarray) -> None:
    """No swept weight vector puts an option first nearer than the answer (or at all)."""
    values = matrix.values
    results = to_win(matrix, current)
    assert list(results) == matrix.option_ids
    scores = points @ values.T
    ranks = competition_ranks(scores)
    dist = 0.5 * np.abs(points - current).sum(axis=1)
    for i, oid in enumerate(matrix.option_ids):
        r = results[oid]
        check_result(matrix, current, i, r)
        check_optimal(matrix, current, i, r)
        first = ranks[:, i] == 1
        if r.weights is None:
            assert not first.any(), f"{oid}: the sweep finds it first at {points[first][0]}"
            continue
        if first.any():
            assert dist[first].min() >= r.distance - STEP, oid
        if r.ties and not r.already_first:
            lead = scores[:, i] - np.delete(scores, i, axis=1).max(axis=1)
            assert not np.any(lead >= MARGIN), f"{oid}: the sweep finds it winning alone"


def random_cases() -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(seed, values, current): 3-5 options, 2-5 criteria; coarse values make ties and dominance."""
    out = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        n_opt, n_crit = int(rng.integers(3, 6)), int(rng.integers(2, 6))
        if seed % 2:
            values = rng.integers(0, 5, size=(n_opt, n_crit)) / 4
        else:
            values = rng.random((n_opt, n_crit))
        current = rng.dirichlet(np.ones(n_crit)) if seed % 3 else np.full(n_crit, 1 / n_crit)
        out.append((seed, values, current))
    return out


RANDOM = random_cases()


@pytest.mark.parametrize(("seed", "values", "current"), RANDOM, ids=[f"seed{c[0]}" for c in RANDOM])
def test_random_matrices_against_a_dense_sweep(seed, values, current) -> None:
    matrix = make_matrix(values)
    n = values.shape[1]
    if n == 2:
        points = np.stack([np.linspace(0, 1, 2001), 1 - np.linspace(0, 1, 2001)], axis=1)
    elif n == 3:
        points = simplex_grid()
    else:
        targets = [
            np.array([r.weights[c] for c in matrix.criterion_ids])
            for r in to_win(matrix, current).values()
            if r.weights is not None
        ]
        points = simplex_samples(n, current, targets)
    check_against_sweep(matrix, current, points)


@pytest.mark.parametrize("tree", [[2, 1], [2, 3], [1, 3, 1]])
def test_random_trees_local_weights_reproduce_the_leaf_weights(tree: list[int]) -> None:
    rng = np.random.default_rng(sum(tree))
    values = rng.integers(0, 5, size=(4, sum(tree))) / 4
    matrix = make_matrix(values, tree)
    current = leaf_weights(matrix.criteria_set)
    results = to_win(matrix, current)
    for i, oid in enumerate(matrix.option_ids):
        check_result(matrix, current, i, results[oid])


def test_local_weights_under_a_parent_of_weight_zero_keep_the_default_split() -> None:
    matrix = make_matrix(np.eye(3), [2, 1])  # p0 = (c0 weight 1, c1 weight 2), then c2
    local = local_from_global(matrix.criteria_set, np.array([0.0, 0.0, 1.0]))
    assert local == pytest.approx({"p0": 0.0, "c0": 1 / 3, "c1": 2 / 3, "c2": 1.0})
    assert leaf_weights(matrix.criteria_set, local) == pytest.approx([0, 0, 1])


@pytest.fixture(scope="module")
def bundle():
    return load_bundled()


@pytest.mark.parametrize("case_id", ["g32", "sra"])
@pytest.mark.parametrize("set_id", ["kern", "uitgebreid"])
def test_bundled_cases_against_a_dense_sweep(bundle, case_id: str, set_id: str) -> None:
    matrix = build_matrix(bundle.case(case_id), bundle.criteria_set(set_id))
    current = leaf_weights(matrix.criteria_set)
    n = len(current)
    if n == 3:
        points = simplex_grid()
    else:
        targets = [
            np.array([r.weights[c] for c in matrix.criterion_ids])
            for r in to_win(matrix, current).values()
            if r.weights is not None
        ]
        points = simplex_samples(n, current, targets)
    check_against_sweep(matrix, current, points)


# --- hand-made cases ---------------------------------------------------------------------

LABELS = {
    "a": "Optie A",
    "b": "Optie B",
    "c": "Optie C",
    "d": "Optie D",
    "c0": "Legitimiteit",
    "c1": "Kosten",
    "c2": "Draagvlak",
}


def sentence(r: ToWin, lang: str) -> str:
    labels = {k: v.replace("Optie", "Option") if lang == "en" else v for k, v in LABELS.items()}
    return to_win_sentence(r, labels, lang, t)  # type: ignore[arg-type]


def test_strict_win_is_exact_and_said_in_both_languages() -> None:
    # B needs w1 >= 1/2 (+ the margin): from (0.8, 0.2) that is 30 points moved.
    matrix = make_matrix([[1, 0], [0, 1]])
    r = to_win(matrix, np.array([0.8, 0.2]))
    assert r["a"].already_first and r["a"].distance == 0 and not r["a"].ties
    b = r["b"]
    assert b.distance == pytest.approx(0.3, abs=1e-5) and not b.ties and b.reason is None
    assert b.weights == pytest.approx({"c0": 0.5, "c1": 0.5}, abs=1e-5)
    assert b.largest_rise == ("c1", pytest.approx(0.5, abs=1e-5), pytest.approx(0.2))
    assert sentence(b, "nl") == (
        "Om Optie B bovenaan te krijgen moet u minstens 30 procentpunt gewicht verschuiven: "
        "geef kosten 50% in plaats van 20%."
    )
    assert sentence(b, "en") == (
        "To put Option B first you must move at least 30 percentage points of weight: "
        "give kosten 50% instead of 20%."
    )
    assert sentence(r["a"], "nl") == "Optie A staat nu al bovenaan."
    assert sentence(r["a"], "en") == "Option A is already first."


def test_several_weights_rise_and_the_sentence_says_the_total() -> None:
    # B must beat C and D as well as A: both c1 and c2 rise to 25%, 30 points move in all.
    matrix = make_matrix([[1, 0, 0], [0, 1, 1], [0.5, 1, 0], [0.5, 0, 1]])
    b = to_win(matrix, np.array([0.8, 0.1, 0.1]))["b"]
    assert b.weights == pytest.approx({"c0": 0.5, "c1": 0.25, "c2": 0.25}, abs=1e-5)
    assert b.distance == pytest.approx(0.3, abs=1e-5)
    assert sentence(b, "nl") == (
        "Om Optie B bovenaan te krijgen moet u minstens 30 procentpunt gewicht verschuiven, "
        "het meest naar kosten: 25% in plaats van 10%."
    )
    assert sentence(b, "en") == (
        "To put Option B first you must move at least 30 percentage points of weight, "
        "most of it to kosten: 25% instead of 10%."
    )


def test_decimal_comma_for_small_shifts() -> None:
    matrix = make_matrix([[1, 0], [0, 1]])
    b = to_win(matrix, np.array([0.505, 0.495]))["b"]
    assert sentence(b, "nl").startswith("Om Optie B bovenaan te krijgen moet u minstens 0,5 ")
    assert "50,0% in plaats van 49,5%" in sentence(b, "nl")
    assert "at least 0.5 percentage points" in sentence(b, "en")


def test_dominated_option_cannot_be_first() -> None:
    # A is at least as good as C everywhere and better somewhere; C cannot even tie.
    matrix = make_matrix([[1, 0.2], [0.2, 1], [0.5, 0.1]])
    c = to_win(matrix, np.array([0.5, 0.5]))["c"]
    assert c.weights is None and c.distance is None and c.local is None
    assert (c.reason, c.rival, c.needs) == ("dominated", "a", ())
    # Only a better score on c1 can help: C needs 0.7 there (0.5 + 0.3 w0 > ... see docstring).
    assert list(c.score_gaps) == ["c1"]
    assert c.score_gaps["c1"] == pytest.approx(0.6, abs=1e-4)
    assert sentence(c, "nl") == (
        "Optie C kan met geen enkele weging op deze criteria bovenaan komen: Optie A scoort op "
        "elk criterium minstens even goed en op een of meer beter. Om bovenaan te komen zou het "
        "0,6 punt beter moeten scoren op kosten."
    )
    assert sentence(c, "en") == (
        "No weighting of these criteria puts Option C first: Option A scores at least as well on "
        "every criterion and better on one or more. To come first, it would need to score 0.6 "
        "points better on kosten."
    )


def test_never_best_though_not_dominated() -> None:
    matrix = make_matrix([[0, 1], [1, 0], [0.4, 0.4]])
    c = to_win(matrix, np.array([0.5, 0.5]))["c"]
    assert c.weights is None and (c.reason, c.rival, c.needs) == ("never_best", None, ())
    # On either criterion alone it would need 0.6 instead of 0.4 to win somewhere.
    assert c.score_gaps == pytest.approx({"c0": 0.2, "c1": 0.2}, abs=1e-4)
    assert sentence(c, "nl") == (
        "Optie C kan met geen enkele weging op deze criteria bovenaan komen: bij elke weging "
        "scoort een andere optie hoger. Om bovenaan te komen zou het 0,2 punt beter moeten "
        "scoren op legitimiteit, of 0,2 punt op kosten."
    )
    assert sentence(c, "en") == (
        "No weighting of these criteria puts Option C first: at every weighting another option "
        "scores higher. To come first, it would need to score 0.2 points better on legitimiteit, "
        "or 0.2 points on kosten."
    )
    check_against_sweep(matrix, np.array([0.5, 0.5]), simplex_2())


def simplex_2() -> np.ndarray:
    s = np.linspace(0, 1, 2001)
    return np.stack([s, 1 - s], axis=1)


def test_can_only_tie_for_first() -> None:
    # (0.5, 0.5) ties A and B at w = (1/2, 1/2) and is below one of them everywhere else.
    matrix = make_matrix([[1, 0], [0, 1], [0.5, 0.5]])
    c = to_win(matrix, np.array([0.8, 0.2]))["c"]
    assert c.ties and not c.already_first and c.reason == "never_best"
    assert c.weights == pytest.approx({"c0": 0.5, "c1": 0.5}, abs=1e-9)
    assert c.distance == pytest.approx(0.3, abs=1e-9)
    assert c.tied_with == ("a", "b") and c.needs == ()
    assert sentence(c, "nl") == (
        "Optie C kan met geen enkele weging op deze criteria alleen bovenaan komen, hooguit "
        "gedeeld: bij elke weging scoort een andere optie minstens even hoog. Gedeeld bovenaan "
        "komen vraagt minstens 30 procentpunt gewicht: geef kosten 50% in plaats van 20%. Om "
        "alleen bovenaan te komen zou het iets beter moeten scoren op legitimiteit, of iets op "
        "kosten."
    )
    assert sentence(c, "en").startswith(
        "No weighting of these criteria puts Option C first alone; at best it shares first "
        "place: at every weighting another option scores at least as high. Sharing first place "
        "takes at least 30 percentage points of weight: give kosten 50% instead of 20%."
    )
    check_against_sweep(matrix, np.array([0.8, 0.2]), simplex_2())


def test_identical_options_share_first_place() -> None:
    matrix = make_matrix([[1, 0], [1, 0], [0, 1]])
    r = to_win(matrix, np.array([0.2, 0.8]))
    a = r["a"]
    assert a.ties and (a.reason, a.rival) == ("identical", "b")
    assert a.distance == pytest.approx(0.3, abs=1e-5) and a.tied_with == ("b",)
    assert a.needs == ("c0",)
    assert "Optie B scoort op elk criterium precies hetzelfde" in sentence(a, "nl")
    assert "Option B scores exactly the same on every criterion" in sentence(a, "en")


def test_dominated_but_can_tie() -> None:
    # B is at least as good as A everywhere; with all weight on c1 they tie.
    matrix = make_matrix([[0, 1], [0.5, 1]])
    a = to_win(matrix, np.array([0.5, 0.5]))["a"]
    assert a.ties and (a.reason, a.rival, a.needs) == ("dominated", "b", ("c1",))
    assert a.weights == pytest.approx({"c0": 0.0, "c1": 1.0})
    assert a.distance == pytest.approx(0.5)


def test_tied_now_is_already_first() -> None:
    matrix = make_matrix([[1, 0], [0, 1]])
    r = to_win(matrix, np.array([0.5, 0.5]))
    for oid, other in (("a", "b"), ("b", "a")):
        assert r[oid].already_first and r[oid].ties and r[oid].tied_with == (other,)
        assert r[oid].distance == 0
    assert sentence(r["a"], "nl") == "Optie A staat nu al bovenaan, gedeeld met Optie B."
    assert sentence(r["a"], "en") == "Option A is already first, level with Option B."


def test_tree_sentence_names_the_top_level_criterion_that_rises() -> None:
    # c0 and c1 under p0; B is best on both, so weight moves from c2 into the whole branch.
    matrix = make_matrix([[0, 0, 1], [1, 1, 0]], [2, 1])
    current = np.array([0.1, 0.1, 0.8])
    b = to_win(matrix, current)["b"]
    assert b.distance == pytest.approx(0.3, abs=1e-5)
    crit, new, now = b.largest_rise
    assert crit == "p0" and new == pytest.approx(0.5, abs=1e-5) and now == pytest.approx(0.2)
    labels = {"b": "Optie B", "p0": "Legitimiteit"}
    assert to_win_sentence(b, labels, "nl", t).endswith(
        "minstens 30 procentpunt gewicht verschuiven: geef legitimiteit 50% in plaats van 20%."
    )
    check_result(matrix, current, 1, b)


def test_a_larger_margin_gives_a_larger_lead() -> None:
    matrix = make_matrix([[1, 0], [0, 1]])
    b = to_win(matrix, np.array([0.8, 0.2]), margin=1e-3)["b"]
    w = np.array([b.weights["c0"], b.weights["c1"]])
    scores = matrix.values @ w
    assert scores[1] - scores[0] >= 1e-3 - 1e-12
    assert b.distance == pytest.approx(0.3005, abs=1e-6)


def test_wrong_number_of_weights_is_refused() -> None:
    with pytest.raises(ValueError, match="one current weight per leaf"):
        to_win(make_matrix([[1, 0], [0, 1]]), np.array([1.0, 0.0, 0.0]))


# --- the dashboard panel -------------------------------------------------------------------


def _to_win_panel() -> None:
    from afweging_ui.context import prepare
    from afweging_ui.to_win_view import render_to_win

    ctx = prepare()
    if ctx.ranking is not None:
        render_to_win(ctx.matrix, ctx.ranking, ctx.view)


def start_panel(query: dict[str, str]) -> AppTest:
    at = AppTest.from_function(_to_win_panel, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    "query",
    [
        {"case": "sra", "set": "kern", "m": "rank"},
        {"case": "g32", "set": "uitgebreid", "lang": "en"},
        {"case": "sra", "set": "uitgebreid", "m": "ahp"},
    ],
)
def test_apply_button_sets_the_sliders_and_puts_the_option_first(bundle, query) -> None:
    at = start_panel(query)
    matrix = build_matrix(bundle.case(query["case"]), bundle.criteria_set(query["set"]))
    lang = query.get("lang", "nl")
    labels = {o.id: o.label.get(lang) for o in matrix.options}
    labels |= {c.id: c.label.get(lang) for c in matrix.criteria_set.walk()}
    shown = [m.value for m in at.markdown]
    expected = to_win(matrix, current_weights(at, matrix))
    for r in expected.values():
        assert escaped(to_win_sentence(r, labels, lang, t)) in shown
    buttons = [b for b in at.button if str(b.key).startswith("tw_apply_")]
    assert buttons, "some option is not first yet"
    assert len(buttons) == sum(r.possible and not r.already_first for r in expected.values())
    for index in range(len(buttons)):
        at = start_panel(query)
        button = [b for b in at.button if str(b.key).startswith("tw_apply_")][index]
        option = str(button.key).removeprefix("tw_apply_")
        button.click().run()
        assert not at.exception, [e.value for e in at.exception]
        view = at.session_state["view"]
        assert view.method == "sliders"
        w = leaf_weights(matrix.criteria_set, view.inputs)
        ranks = competition_ranks(matrix.values @ w)
        i = matrix.option_ids.index(option)
        assert ranks[i] == 1
        if not expected[option].ties:
            assert np.sum(ranks == 1) == 1
        for cid, value in view.inputs.items():
            assert at.slider(key=f"w_in_sliders_{cid}").value == value
        assert escaped(to_win_sentence(to_win(matrix, w)[option], labels, lang, t)) in [
            m.value for m in at.markdown
        ]


def current_weights(at: AppTest, matrix: Matrix) -> np.ndarray:
    """The leaf weights of the view the page shows."""
    view = at.session_state["view"]
    groups = weights_by_method(matrix.criteria_set, view.method, view.inputs, view.pairs)
    return leaf_weights_from_groups(matrix.criteria_set, groups)


def escaped(text: str) -> str:
    return "".join("\\" + ch if ch in set("\\`*_{}[]()#+-.!|<>~$:") else ch for ch in text)
