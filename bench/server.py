"""The real server for benchmarks: see :mod:`deploy.processes` (shared with the tests and
``make serve``)."""

from deploy.processes import cpu_seconds, free_port, log_tail, peak_rss_mb, streamlit_server

__all__ = ["cpu_seconds", "free_port", "log_tail", "peak_rss_mb", "streamlit_server"]
