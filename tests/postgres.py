"""A throwaway PostgreSQL server for tests: see :mod:`deploy.postgres` (shared with
``make serve`` and the benchmarks)."""

from deploy.postgres import PostgresUnavailable, fresh_database, postgres_server

__all__ = ["PostgresUnavailable", "fresh_database", "postgres_server"]
