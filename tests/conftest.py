"""Shared fixtures: paths to small, hand-checked data files."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never write the workshop database into the checkout's data/ folder."""
    os.environ.setdefault("AFWEGING_DATA_DIR", str(tmp_path_factory.mktemp("data")))
