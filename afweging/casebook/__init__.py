"""A council's own cases: source documents, versioned case drafts, export and import.

Kept free of imports so the workshop's migration chain can name this package's tables
(:mod:`afweging.casebook.db_schema`) without loading the store.
"""
