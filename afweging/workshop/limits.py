"""Slowing down guessing: failed join codes and tokens counted per client.

Join codes are short so people can type them from a projector (31**6, about
890 million, see :mod:`afweging.workshop.store`); that space is safe only if
nobody can try codes in bulk. After ``max_failures`` failed attempts within
``window`` seconds a client is refused until its oldest failure ages out.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class FailureLimiter:
    """Failed attempts per client in a sliding window; safe to share between threads."""

    def __init__(
        self,
        max_failures: int = 20,
        window: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_failures < 1 or window <= 0:
            raise ValueError("max_failures must be at least 1 and window above 0")
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str) -> deque[float]:
        times = self._failures[client]
        horizon = self._clock() - self.window
        while times and times[0] <= horizon:
            times.popleft()
        return times

    def blocked(self, client: str) -> bool:
        """True while the client has used up its failed attempts."""
        with self._lock:
            return len(self._recent(client)) >= self.max_failures

    def fail(self, client: str) -> None:
        """Record a failed attempt."""
        with self._lock:
            self._recent(client).append(self._clock())
