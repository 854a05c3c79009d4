"""Afweging: weigh options for regional cooperation against criteria.

The package is the pure core: model, loading and validation, scoring, weights,
robustness, workshop store and CLI. It never imports streamlit.
"""

__version__ = "0.1.0"
