"""Where the app is served: Streamlit's base path, for addresses the app writes itself."""

from __future__ import annotations


def base_path() -> str:
    """Streamlit's ``server.baseUrlPath`` as a path prefix ('' or '/something')."""
    from streamlit import config

    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


__all__ = ["base_path"]
