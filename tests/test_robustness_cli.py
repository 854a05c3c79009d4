"""``afweging robustness``: exit codes, JSON shape, text output (in-process, tests/cli_run.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from afweging.loading import load
from afweging.matrix import build_matrix
from afweging.methods import cross_check
from afweging.robustness import grade, grade_reason, robustness_report, summary_sentence
from afweging.sensitivity import stability_interval
from afweging.smaa import UniformWeights, smaa
from afweging.weights import leaf_weights
from afweging_ui.i18n import t

from .cli_run import Run, run_cli
from .conftest import GOOD

ROOT = Path(__file__).resolve().parent.parent
KEYS = {
    "case",
    "criteria_set",
    "weights",
    "samples",
    "seed",
    "summary",
    "stability",
    "acceptability",
    "central_weights",
    "methods",
    "grade",
}


def run(*args: str) -> Run:
    return run_cli("robustness", *args)


def case_args(kind: str = "flat") -> list[str]:
    folder = GOOD / kind
    return [
        "--scenarios",
        str(folder / "scenario.yaml"),
        "--criteria",
        str(folder / "criteria.yaml"),
    ]


def matrix_of(kind: str):
    bundle, problems = load([GOOD / kind / "criteria.yaml", GOOD / kind / "scenario.yaml"])
    assert not problems
    return build_matrix(bundle.cases[0], bundle.criteria_sets[0])


@pytest.mark.parametrize("kind", ["flat", "tree"])
def test_json_has_exactly_the_documented_keys_and_the_core_numbers(kind: str) -> None:
    result = run(*case_args(kind), "--format", "json", "--samples", "3000", "--seed", "4")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == KEYS
    matrix = matrix_of(kind)
    w = leaf_weights(matrix.criteria_set)
    assert list(doc["weights"]) == matrix.criterion_ids
    assert list(doc["weights"].values()) == pytest.approx(list(w))
    assert (doc["samples"], doc["seed"]) == (3000, 4)
    assert list(doc["stability"]) == matrix.criterion_ids
    for j, cid in enumerate(matrix.criterion_ids):
        s = stability_interval(matrix.values, w, j)
        assert doc["stability"][cid] == {
            "winner": [pytest.approx(s.winner_lo), pytest.approx(s.winner_hi)],
            "ranking": [pytest.approx(s.ranking_lo), pytest.approx(s.ranking_hi)],
        }
    lo, hi = matrix.value_bounds
    core = smaa(matrix.values, UniformWeights(), lo=lo, hi=hi, n_samples=3000, seed=4)
    got = np.array([doc["acceptability"][o] for o in matrix.option_ids])
    np.testing.assert_allclose(got, core.acceptability)
    for i, oid in enumerate(matrix.option_ids):
        cw = doc["central_weights"][oid]
        if core.central_weights[i] is None:
            assert cw is None
        else:
            assert list(cw) == matrix.criterion_ids
            np.testing.assert_allclose(list(cw.values()), core.central_weights[i])
    check = cross_check(matrix.raw, matrix.directions, w, matrix.values)
    assert set(doc["methods"]) == {"weighted_sum", "topsis", "promethee_ii"}
    for name, ranks in check.ranks.items():
        assert doc["methods"][name] == dict(zip(matrix.option_ids, ranks.tolist(), strict=True))
    assert isinstance(doc["summary"], str) and doc["summary"]


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    args = [*case_args(), "--format", "json", "--samples", "2000"]
    one, two = run(*args, "--seed", "9"), run(*args, "--seed", "9")
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout
    other = run(*args, "--seed", "10")
    assert json.loads(other.stdout)["acceptability"] != json.loads(one.stdout)["acceptability"]


def test_weights_are_used_as_rank_uses_them() -> None:
    result = run(*case_args(), "--format", "json", "--samples", "100", "--weights", "efficientie=6")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    matrix = matrix_of("flat")
    w = leaf_weights(matrix.criteria_set, {"efficientie": 6})
    assert list(doc["weights"].values()) == pytest.approx(list(w))
    s = stability_interval(matrix.values, w, 2)
    assert doc["stability"]["efficientie"]["winner"] == pytest.approx([s.winner_lo, s.winner_hi])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("legitimiteit=-1", "must not be negative"),
        ("nergens=1", "unknown criterion 'nergens'"),
        ("legitimiteit=veel", "is not a number"),
        ("legitimiteit=0,bestuurlijke_drukte=0,efficientie=0", "at least one weight"),
    ],
)
def test_bad_weights_exit_1_with_a_message(weights: str, message: str) -> None:
    result = run(*case_args(), "--weights", weights)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_samples_and_spread_are_refused_without_traceback() -> None:
    result = run(*case_args(), "--samples", "0")
    assert result.returncode == 1
    assert "--samples must be a whole number from 1 to 10,000,000, got '0'" in result.stderr
    result = run(*case_args(), "--spread", "1.5")
    assert result.returncode == 1
    assert "--spread must be 0 (exactly the weights of --weights) or a number" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_exits_1() -> None:
    result = run("--scenarios", "nergens.yaml", "--criteria", str(GOOD / "flat" / "criteria.yaml"))
    assert result.returncode == 1
    assert "nergens.yaml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_table_is_readable_text_in_the_chosen_language(lang: str) -> None:
    result = run(*case_args(), "--format", "table", "--samples", "2000", "--lang", lang)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    matrix = matrix_of("flat")
    for key in ("rob_stability_heading", "rob_smaa_heading", "rob_central_heading"):
        assert t(key, lang) in out
    assert t("rob_methods_heading", lang) in out
    winner = "Optie A" if lang == "nl" else "Option A"
    first_line = out.splitlines()[0]
    assert first_line == f"{matrix.case.label.get(lang)} | {matrix.criteria_set.label.get(lang)}"
    assert winner in out
    # the stability row of drukte: a stays first up to 4/13 = 30.8% (see test_robustness_report)
    if lang == "nl":
        assert (
            "Optie A blijft bovenaan zolang het gewicht van bestuurlijke drukte "
            "niet boven 30,8% komt." in out
        )
    else:
        assert "Option A stays first as long as administrative burden weighs at most 30.8%." in out
    assert "{" not in out  # no unfilled template fields, no JSON


@pytest.mark.parametrize("kind", ["flat", "tree"])
def test_json_and_text_carry_the_core_grade(kind: str) -> None:
    matrix = matrix_of(kind)
    report = robustness_report(matrix, leaf_weights(matrix.criteria_set), samples=3000, seed=4)
    g = grade(report)
    result = run(*case_args(kind), "--format", "json", "--samples", "3000", "--seed", "4")
    doc = json.loads(result.stdout)
    assert doc["grade"] == json.loads(json.dumps(g.to_json_dict(report)))
    assert doc["grade"]["grade"] in {"stevig", "redelijk_zeker", "wankel"}
    for lang in ("nl", "en"):
        labels = {o.id: o.label.get(lang) for o in matrix.options}
        labels |= {c.id: c.label.get(lang) for c in matrix.leaves}
        text = run(*case_args(kind), "--samples", "3000", "--seed", "4", "--lang", lang).stdout
        flat_text = " ".join(text.split())
        label = t(f"rob_grade_{g.grade}", lang)
        assert f"{'Oordeel' if lang == 'nl' else 'Assessment'}: {label}" in text.splitlines()
        assert summary_sentence(report, labels, lang, t) in flat_text
        assert grade_reason(g, report, labels, lang, t) in flat_text
        if lang == "nl":
            assert doc["summary"] == summary_sentence(report, labels, lang, t)


def test_the_readme_shows_the_command() -> None:
    assert "\nafweging robustness" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_json_carries_the_source_verdict_with_its_share_of_first_places() -> None:
    result = run(
        "--scenarios", str(ROOT / "scenarios" / "g32.yaml"),
        "--criteria", str(ROOT / "criteria" / "uitgebreid.yaml"),
        "--samples", "3000", "--seed", "4", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == KEYS | {"source_verdict"}
    source = doc["source_verdict"]
    assert source["prefers"] == ["g32-mix"]
    share = source["first_rank_share"]["g32-mix"]
    assert share == doc["acceptability"]["g32-mix"][0]
    assert 0 <= share <= 1 and source["best_rank"] >= 1
    assert source["sentence"].startswith(source["document"] + " kiest zelf voor")
