"""The Streamlit layer: pages that only call the core package ``afweging``."""
