"""Expanders whose content is made and sent only while they are open.

Streamlit draws a closed expander's content all the same, hidden. The verdict's grounds
were 130 elements of quotes on the first page: 37 KB over the websocket and about a
tenth of a second of the browser's time before the first chart, for a panel few open.
Closed, a lazy expander is one element; opening it reruns the script, which then draws
the content (and keeps it while it stays open).
"""

from __future__ import annotations

import streamlit as st
from streamlit.elements.lib.mutable_expander_container import ExpanderContainer


def lazy_expander(label: str, key: str) -> ExpanderContainer | None:
    """The expander to draw the content in while it is open; None while it is closed."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None


__all__ = ["lazy_expander"]
