"""Failed join attempts are limited per client, so codes cannot be guessed in bulk."""

from __future__ import annotations

import threading

import pytest

from afweging.workshop.limits import FailureLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_blocks_after_the_limit_and_recovers_after_the_window() -> None:
    clock = Clock()
    limiter = FailureLimiter(max_failures=3, window=60, clock=clock)
    for _ in range(3):
        assert not limiter.blocked("1.2.3.4")
        limiter.fail("1.2.3.4")
    assert limiter.blocked("1.2.3.4")
    assert not limiter.blocked("5.6.7.8")
    clock.now += 59
    assert limiter.blocked("1.2.3.4")
    clock.now += 2
    assert not limiter.blocked("1.2.3.4")


def test_counts_every_failure_from_many_threads() -> None:
    limiter = FailureLimiter(max_failures=400, window=600)
    threads = [
        threading.Thread(target=lambda: [limiter.fail("x") for _ in range(50)]) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert limiter.blocked("x")
    assert len(limiter._recent("x")) == 400


def test_refuses_meaningless_settings() -> None:
    with pytest.raises(ValueError, match="max_failures must be at least 1"):
        FailureLimiter(max_failures=0)
