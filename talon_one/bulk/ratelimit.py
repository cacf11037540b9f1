"""A pace for API calls shared by the threads of a run: at most N calls per second."""

import threading
import time
from typing import Callable, Optional

__all__ = ['RateLimiter']


class RateLimiter(object):
    """Spaces calls ``1 / max_calls_per_second`` apart (no bursts); ``None``: no limit.

    ``acquire()`` returns when the caller may make its call. Thread-safe: each caller is
    given the next free slot, so N threads together keep the pace.
    """

    def __init__(self, max_calls_per_second: Optional[float],
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if max_calls_per_second is not None and not max_calls_per_second > 0:
            raise ValueError('max_calls_per_second must be > 0, got %r' % (max_calls_per_second,))
        self.interval = 0.0 if max_calls_per_second is None else 1.0 / max_calls_per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def delay(self) -> float:
        """Reserve the next slot; return how long to wait for it (seconds, >= 0)."""
        if not self.interval:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        return slot - now

    def acquire(self) -> None:
        wait = self.delay()
        if wait > 0:
            self._sleep(wait)
