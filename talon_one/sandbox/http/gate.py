"""Many requests at once, or one reset alone (a small readers-writer lock)."""

import contextlib
import threading
from typing import Any, Iterator


class Gate(object):
    """Requests pass together; ``exclusive`` waits for them to finish and holds new ones back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._active = 0
        self._closed = False
        self._shared = _Shared(self)

    def shared(self) -> '_Shared':
        """The ``with`` block of one request (every request passes here: a plain lock and a
        reusable object, not a generator)."""
        return self._shared

    def _enter(self) -> None:
        with self._lock:
            while self._closed:
                self._condition.wait()
            self._active += 1

    def _leave(self) -> None:
        with self._lock:
            self._active -= 1
            if not self._active and self._closed:   # a reset is waiting for the last one
                self._condition.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            while self._closed:
                self._condition.wait()
            self._closed = True         # new requests wait from here on
            while self._active:
                self._condition.wait()
        try:
            yield
        finally:
            with self._condition:
                self._closed = False
                self._condition.notify_all()


class _Shared(object):
    __slots__ = ('gate',)

    def __init__(self, gate: Gate) -> None:
        self.gate = gate

    def __enter__(self) -> None:
        self.gate._enter()

    def __exit__(self, *exc_info: Any) -> None:
        self.gate._leave()
