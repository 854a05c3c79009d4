"""The command line: exit codes, messages and the JSON shape.

Run in this process through ``afweging.cli.main`` (tests/cli_run.py); one smoke test
starts ``python -m afweging`` itself as users run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from afweging.loading import load
from afweging.matrix import build_matrix
from afweging.scoring import competition_ranks
from afweging.to_win import MARGIN

from .cli_run import Run, run_cli
from .conftest import BAD, GOOD

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> Run:
    return run_cli(*args)


def test_python_m_afweging_runs_as_users_run_it() -> None:
    """The one subprocess: the module entry point, its exit status and its streams."""
    ok = subprocess.run(
        [sys.executable, "-m", "afweging", *rank_args(), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == json.loads(run(*rank_args(), "--format", "json").stdout)
    bad = subprocess.run(
        [sys.executable, "-m", "afweging", "validate", "nergens.yaml"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "nergens.yaml" in bad.stderr and bad.stdout == ""
    assert "Traceback" not in bad.stderr


def rank_args(kind: str = "flat") -> list[str]:
    folder = GOOD / kind
    return [
        "rank",
        "--scenarios",
        str(folder / "scenario.yaml"),
        "--criteria",
        str(folder / "criteria.yaml"),
    ]


def test_validate_good_folder_exits_zero() -> None:
    result = run("validate", str(GOOD / "flat"))
    assert result.returncode == 0, result.stderr
    assert "1 criteria set(s), 1 case(s), 3 option(s)" in result.stdout


def test_validate_bad_file_lists_each_problem_without_traceback() -> None:
    result = run("validate", str(BAD / "many_problems.yaml"), str(GOOD / "flat" / "criteria.yaml"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert lines[1] == (
        "tests/data/bad/many_problems.yaml:25: options[1].scores.legitimiteit.value: "
        "7 is off the scale 1..5 of criterion 'legitimiteit'"
    )
    assert "Traceback" not in result.stderr


def test_validate_missing_path() -> None:
    result = run("validate", "nergens.yaml")
    assert result.returncode == 1
    assert "nergens.yaml: cannot read the file: No such file or directory" in result.stderr


def test_rank_json_shape_and_values() -> None:
    result = run(
        *rank_args(),
        "--format",
        "json",
        "--weights",
        "legitimiteit=2,efficientie=2",
        "--lang",
        "en",
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["case"] == "demo"
    assert doc["criteria_set"] == "flat"
    # legitimiteit 2, bestuurlijke_drukte default 1, efficientie 2 -> 0.4, 0.2, 0.4
    assert doc["weights"] == pytest.approx(
        {"legitimiteit": 0.4, "bestuurlijke_drukte": 0.2, "efficientie": 0.4}
    )
    ranking = doc["ranking"]
    assert [r["id"] for r in ranking] == ["b", "a", "c"]
    assert set(ranking[0]) == {"id", "label", "score", "rank", "contributions"}
    assert ranking[0]["label"] == "Option B"
    # B: 0.4*0.25 + 0.2*1 + 0.4*1 = 0.7; A: 0.4 + 0.2*0.25 + 0.4*0.5 = 0.65
    assert [r["score"] for r in ranking] == pytest.approx([0.7, 0.65, 0.2 + 0.1])
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    for r in ranking:
        assert 0 <= r["score"] <= 1
        assert sum(r["contributions"].values()) == pytest.approx(r["score"])


def test_rank_ties_share_rank() -> None:
    # Values: legitimiteit A 1.0, B 0.25, C 0.5; efficientie A 0.5, B 1.0, C 0.0.
    # Weights 2 : 0 : 3 give A (2 + 1.5) / 5 = 0.7 and B (0.5 + 3) / 5 = 0.7: a tie for first.
    result = run(
        *rank_args(),
        "--format",
        "json",
        "--weights",
        "legitimiteit=2,efficientie=3,bestuurlijke_drukte=0",
    )
    ranks = {r["id"]: r["rank"] for r in json.loads(result.stdout)["ranking"]}
    assert ranks == {"a": 1, "b": 1, "c": 3}


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ("kwaliteit=2", "unknown criterion 'kwaliteit'"),
        ("legitimiteit=-1", "must not be negative"),
        ("legitimiteit=veel", "not a number"),
        (
            "legitimiteit=0,bestuurlijke_drukte=0,efficientie=0",
            "at least one weight must be above zero",
        ),
    ],
)
def test_rank_refuses_bad_weights(weights: str, message: str) -> None:
    result = run(*rank_args(), "--weights", weights)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_rank_csv_and_table() -> None:
    csv_out = run(*rank_args("tree"), "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "rank,id,label,score,controle,betrokkenheid,kosten"
    assert csv_out[1].startswith("1,b,Optie B,0.718750,")
    table = run(*rank_args(), "--lang", "en").stdout
    assert "Example | Three criteria" in table
    assert "   1   0.688  Option A  a" in table


def test_rank_refuses_a_broken_file() -> None:
    result = run(
        "rank",
        "--scenarios",
        str(BAD / "value_nan.yaml"),
        "--criteria",
        str(GOOD / "flat" / "criteria.yaml"),
    )
    assert result.returncode == 1
    assert "options[1].scores.legitimiteit.value: must be a finite number" in result.stderr


def test_table_is_markdown() -> None:
    folder = GOOD / "flat"
    result = run(
        "table",
        "--scenarios",
        str(folder / "scenario.yaml"),
        "--criteria",
        str(folder / "criteria.yaml"),
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 3  # header, rule, three options
    assert "| Optie A | 5 (++) A | 4 [2–5] B | 5 A |" in rows


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("validate", "rank", "table", "review", "schema", "init", "serve"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "usage:" in result.stdout
        assert f"\nafweging {command}" in readme


@pytest.mark.parametrize("kind", ["flat", "tree"])
def test_rank_json_to_win_weights_put_each_option_first(kind: str) -> None:
    result = run(*rank_args(kind), "--format", "json", "--weights", "")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"case", "criteria_set", "data_version", "weights", "ranking", "to_win"}
    bundle, problems = load([GOOD / kind / "criteria.yaml", GOOD / kind / "scenario.yaml"])
    assert not problems
    matrix = build_matrix(bundle.cases[0], bundle.criteria_sets[0])
    assert list(doc["to_win"]) == matrix.option_ids
    current = np.array([doc["weights"][c] for c in matrix.criterion_ids])
    ranks_now = {r["id"]: r["rank"] for r in doc["ranking"]}
    for i, (oid, answer) in enumerate(doc["to_win"].items()):
        if answer is None:
            continue
        assert set(answer) == {"weights", "distance", "ties"}
        assert list(answer["weights"]) == matrix.criterion_ids
        w = np.array([answer["weights"][c] for c in matrix.criterion_ids])
        assert np.all(w >= 0) and w.sum() == pytest.approx(1, abs=1e-12)
        assert answer["distance"] == pytest.approx(0.5 * np.abs(w - current).sum(), abs=1e-12)
        scores = matrix.values @ w
        assert competition_ranks(scores)[i] == 1
        if not answer["ties"]:
            assert scores[i] - np.delete(scores, i).max() >= MARGIN - 1e-12
        assert (answer["distance"] == 0) == (ranks_now[oid] == 1)


def test_rank_json_to_win_is_null_where_no_weights_put_the_option_first() -> None:
    # Flat demo values A (1, 0.25, 0.5), B (0.25, 1, 1), C (0.5, 0.5, 0): C beating A needs
    # w1 > 2 w0 + 2 w2, beating B needs w0 > 2 w1 + 4 w2; no weights do both.
    doc = json.loads(run(*rank_args(), "--format", "json").stdout)
    assert doc["to_win"]["c"] is None
    assert doc["to_win"]["a"] == {"weights": doc["weights"], "distance": 0.0, "ties": False}
    assert doc["to_win"]["b"]["distance"] == pytest.approx(1 / 24, abs=1e-5)


def test_reading_checks_the_bundled_record() -> None:
    result = run("reading")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ") and "cells read twice" in result.stdout


def test_reading_names_the_file_and_line_of_a_broken_record(tmp_path) -> None:
    from afweging.second_reading import RECORD

    lines = RECORD.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| g32 |"))
    duplicate = lines[first]
    del lines[first + 1]  # one cell missing
    lines.append(duplicate)  # another recorded twice
    broken = tmp_path / "second-reading.md"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("reading", "--record", str(broken))
    assert result.returncode == 1
    assert f"{broken}:{first + 1}: " in result.stderr and "recorded 2 times" in result.stderr
    assert ": missing" in result.stderr
    assert "Traceback" not in result.stderr
