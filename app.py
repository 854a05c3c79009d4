"""Afweging's server: ``streamlit run app.py`` (or ``make run``).

One process serves the Streamlit dashboard (``dashboard.py``: explore,
robustness, sources, check, and the facilitator's workshop pages) and, beside
it, the participants' phone pages at ``/deelnemen`` as plain routes
(:mod:`afweging_ui.server`): a Regiodag's 400 phones cost milliseconds each, not a
Streamlit rerun.
"""

import streamlit as st

from afweging_ui.server import lifespan, middleware, phone_routes

app = st.App(
    "dashboard.py", routes=phone_routes(), middleware=middleware(), lifespan=lifespan
)
