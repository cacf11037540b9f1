"""Entity locks: read-modify-write of the same documents by different threads, one at a time.

Why they stay although one event-loop thread serves every request: on that thread they are
never contended (a request runs to its end before the next starts). They serialize it with
the other threads of the process that use an in-process ``Sandbox``: a test thread holding
``sandbox.store.locked([...])`` stands for a request in the middle of its update, and the loop
then waits for it (a close waits for the coupon it redeems) or answers 409 (the session being
updated is taken with ``exclusive``, as Talon.One answers parallel updates of one session).
"""

import threading
from typing import Any, Dict, Iterable, List

from talon_one.sandbox.errors import conflict


class EntityLocks(object):
    """One lock per key (``'profile:P1'``, ``'session:S1'``, ``'audiences'``...), made on
    first use."""

    def __init__(self) -> None:
        self._locks: Dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock_for(self, key: str) -> threading.Lock:
        lock = self._locks.get(key)     # a dict read is atomic: no guard needed to find one
        if lock is None:
            with self._guard:
                lock = self._locks.get(key)
                if lock is None:
                    lock = self._locks[key] = threading.Lock()
        return lock

    def locked(self, keys: Iterable[str], exclusive: Iterable[str] = ()) -> 'Held':
        """Hold the locks of ``keys`` (sorted, so no deadlock), as a ``with`` block. Keys in
        ``exclusive`` are not waited for: when another thread holds one, 409 Conflict."""
        return Held(self, keys, exclusive)


class Held(object):
    """The locks of one ``locked`` block (a class: it runs several times per request, and a
    generator-based context manager costs several times more)."""

    __slots__ = ('locks', 'keys', 'exclusive', 'held')

    def __init__(self, locks: EntityLocks, keys: Iterable[str], exclusive: Iterable[str]) -> None:
        self.locks = locks
        self.keys = keys
        self.exclusive = exclusive
        self.held: List[threading.Lock] = []

    def __enter__(self) -> None:
        exclusive = set(self.exclusive)
        held = self.held
        try:
            for key in sorted(set(self.keys) | exclusive):
                lock = self.locks.lock_for(key)
                if key in exclusive:
                    if not lock.acquire(blocking=False):
                        raise conflict('%s is being updated by another request' % key)
                else:
                    lock.acquire()
                held.append(lock)
        except BaseException:
            self._release()
            raise

    def __exit__(self, *exc_info: Any) -> None:
        self._release()

    def _release(self) -> None:
        held = self.held
        while held:
            held.pop().release()
