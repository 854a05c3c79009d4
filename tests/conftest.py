"""Shared fixtures: paths to small, hand-checked data files."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"


@pytest.fixture
def flat_paths() -> tuple[Path, Path]:
    """(criteria, scenarios) of a three-criterion flat set with a three-option case."""
    return GOOD / "flat" / "criteria.yaml", GOOD / "flat" / "scenario.yaml"


@pytest.fixture
def tree_paths() -> tuple[Path, Path]:
    """(criteria, scenarios) of a two-level value tree with a three-option case."""
    return GOOD / "tree" / "criteria.yaml", GOOD / "tree" / "scenario.yaml"
