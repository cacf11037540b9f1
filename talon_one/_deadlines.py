"""Deadlines for every blocking step of a request attempt.

A socket timeout bounds each wait for bytes, not the whole: a server that sends one byte a
second keeps a read going for as long as it likes. So each attempt gets an
:class:`AttemptPlan` (its deadlines), and the connection classes of ``talon_one._connections``
hand their socket to the :class:`Watchdog` while the request is sent and the response read;
when a deadline passes, the watchdog shuts the socket down, the blocked read returns, and
the transport reports which limit ran out.
"""

import os
import socket
import threading
import time
from typing import Any, Dict, Optional, Tuple

__all__ = ['AttemptPlan', 'Watch', 'current_plan', 'plan_attempt', 'watchdog']



class Watch(object):
    """One socket under a deadline; ``fired`` once the watchdog has shut it down."""

    __slots__ = ('sock', 'deadline', 'limit', 'fired')

    def __init__(self, sock: Any, deadline: float, limit: str) -> None:
        self.sock = sock
        self.deadline = deadline
        self.limit = limit
        self.fired = False


class Watchdog(object):
    """One daemon thread shutting down the sockets whose deadline has passed.

    Watching and cancelling are a dict insert and a ``dict.pop``, both atomic: whoever pops
    an entry first (the request finishing, or the watchdog) owns it, so no lock is taken on
    the hot path. The thread looks at the watched sockets every ``TICK`` seconds while there
    are some, and sleeps otherwise.
    """

    TICK = 0.02

    def __init__(self) -> None:
        self._active: Dict[int, Watch] = {}
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._start_lock = threading.Lock()
        self._sleep = time.sleep    # a test records the waits between two looks

    def watch(self, sock: Any, deadline: float, limit: str) -> Watch:
        entry = Watch(sock, deadline, limit)
        self._active[id(entry)] = entry
        if not self._wake.is_set():
            self._wake.set()
            if self._thread is None:
                self._start()
        return entry

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='talon_one-deadlines',
                                                daemon=True)
                self._thread.start()

    def cancel(self, entry: Watch) -> None:
        """Take the socket off the watch; after this it will not be shut down."""
        self._active.pop(id(entry), None)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._sleep(self.TICK)
            self._tick()

    def _tick(self) -> None:
        """One look at the watched sockets: shut down those whose deadline has passed."""
        active = self._active
        if not active:
            self._wake.clear()
            if not active:  # nothing was added meanwhile: sleep until something is
                return
            self._wake.set()
        now = time.monotonic()
        for key, entry in list(active.items()):
            if entry.deadline <= now and active.pop(key, None) is entry:
                entry.fired = True
                try:
                    entry.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed: the read ends by itself


watchdog = Watchdog()

# A child forked after the watchdog started has no thread behind it (fork copies only the
# calling thread): its deadlines would never fire. It starts afresh, on first use.
if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=lambda: Watchdog.__init__(watchdog))


class AttemptPlan(object):
    """The deadlines of one attempt (monotonic seconds; None: no such limit).

    ``attempt_deadline`` bounds the whole attempt (a single-number timeout),
    ``read_budget`` the time from the request being sent to the last byte of the
    response, ``total_deadline`` the whole call.
    """

    __slots__ = ('total_deadline', 'attempt_deadline', 'read_budget', 'watch')

    def __init__(self, total_deadline: Optional[float], attempt_deadline: Optional[float],
                 read_budget: Optional[float]) -> None:
        self.total_deadline = total_deadline
        self.attempt_deadline = attempt_deadline
        self.read_budget = read_budget
        self.watch: Optional[Watch] = None

    def _deadline(self, read_from: Optional[float]) -> Tuple[Optional[float], str]:
        """The earliest deadline and the name of its limit (None: no limit at all)."""
        deadline, limit = self.total_deadline, 'total'
        if self.attempt_deadline is not None and (deadline is None
                                                  or self.attempt_deadline < deadline):
            deadline, limit = self.attempt_deadline, 'attempt'
        if read_from is not None and self.read_budget is not None:
            read_deadline = read_from + self.read_budget
            if deadline is None or read_deadline < deadline:
                deadline, limit = read_deadline, 'read'
        return deadline, limit

    def arm(self, sock: Any) -> None:
        """Watch ``sock`` until the earliest deadline, the read budget counted from now."""
        if self.watch is not None and self.watch.fired:
            return  # the socket is already shut down: keep the limit that did it
        deadline, limit = self._deadline(time.monotonic())
        self.disarm()
        if deadline is not None and sock is not None:
            self.watch = watchdog.watch(sock, deadline, limit)

    def disarm(self) -> None:
        if self.watch is not None:
            watchdog.cancel(self.watch)
            self.watch = None

    @property
    def fired(self) -> Optional[str]:
        """The limit whose deadline shut the socket down, or None."""
        watch = self.watch
        return watch.limit if watch is not None and watch.fired else None


_local = threading.local()


def current_plan() -> Optional[AttemptPlan]:
    """The plan of the attempt the calling thread is making, if any."""
    plan: Optional[AttemptPlan] = getattr(_local, 'plan', None)
    return plan


class plan_attempt(object):
    """``with plan_attempt(plan):`` makes ``plan`` the calling thread's current plan."""

    __slots__ = ('plan',)

    def __init__(self, plan: AttemptPlan) -> None:
        self.plan = plan

    def __enter__(self) -> AttemptPlan:
        _local.plan = self.plan
        return self.plan

    def __exit__(self, *exc_info: Any) -> None:
        _local.plan = None
