"""``python -m bench``: run every benchmark and print its figures."""

from __future__ import annotations

import importlib

MODULES = (
    "bench.engine",
    "bench.robustness",
    "bench.dashboard",
    "bench.dashboard_browser",
    "bench.dashboard_speed",
    "bench.workshop_store",
    "bench.documents",
    "bench.casebook",
    "bench.workshop_load",
    "bench.phones",
    "bench.cluster_load",
    "bench.scaling",
)

for name in MODULES:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        print(f"{name}: not present yet")
        continue
    module.main()
