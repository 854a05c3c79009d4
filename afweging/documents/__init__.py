"""Uploaded source documents: their model and the sandboxed text extraction."""
