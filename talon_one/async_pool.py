"""A small pool of daemon threads for ``async_req=True`` calls.

Daemon threads never keep the interpreter alive: a request still waiting for a server
at exit is simply abandoned. ``multiprocessing`` is deliberately not used (importing it
is slow and its ThreadPool joins its workers at exit).
"""

import queue
import threading

_STOP = object()


class AsyncResult(object):
    """Outcome of a call run on the pool (same methods as multiprocessing's AsyncResult)."""

    def __init__(self):
        self._done = threading.Event()
        self._value = None
        self._error = None

    def _finish(self, value=None, error=None):
        self._value = value
        self._error = error
        self._done.set()

    def ready(self):
        """True once the call has finished (successfully or not)."""
        return self._done.is_set()

    def wait(self, timeout=None):
        """Wait until the call has finished or ``timeout`` seconds have passed."""
        self._done.wait(timeout)

    def successful(self):
        """True if the call returned normally; ValueError if it has not finished."""
        if not self.ready():
            raise ValueError('the call has not finished yet')
        return self._error is None

    def get(self, timeout=None):
        """The call's return value; re-raises its exception; TimeoutError if not done in time."""
        if not self._done.wait(timeout):
            raise TimeoutError('the call did not finish within %s seconds' % timeout)
        if self._error is not None:
            raise self._error
        return self._value


class DaemonThreadPool(object):
    """Runs calls on up to ``size`` daemon threads, started on demand."""

    def __init__(self, size=1, name='talon_one-async'):
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError('pool_threads must be an int >= 1, got %r' % (size,))
        self._size = size
        self._name = name
        self._tasks = queue.SimpleQueue()
        self._threads = []
        self._pending = 0  # queued + running calls
        self._lock = threading.Lock()
        self._closed = False

    def apply_async(self, func, args=(), kwds=None):
        """Schedule ``func(*args, **kwds)``; returns an AsyncResult."""
        result = AsyncResult()
        with self._lock:
            if self._closed:
                raise RuntimeError('the async pool is closed')
            self._tasks.put((func, args, kwds or {}, result))
            self._pending += 1
            if self._pending > len(self._threads) and len(self._threads) < self._size:
                self._start_worker()
        return result

    def _start_worker(self):
        thread = threading.Thread(target=self._work, daemon=True,
                                  name='%s-%d' % (self._name, len(self._threads) + 1))
        self._threads.append(thread)
        thread.start()

    def _work(self):
        while True:
            task = self._tasks.get()
            if task is _STOP:
                return
            func, args, kwds, result = task
            try:
                result._finish(value=func(*args, **kwds))
            except BaseException as err:  # delivered to the caller by get()
                result._finish(error=err)
            finally:
                # An idle worker must not keep the last call's arguments and value alive.
                del task, func, args, kwds, result
            with self._lock:
                self._pending -= 1

    def close(self):
        """Stop accepting work; workers exit after the queued calls. Does not wait."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for _ in self._threads:
                self._tasks.put(_STOP)

    def join(self, timeout=None):
        """Wait (at most ``timeout`` seconds per worker) for the workers to exit."""
        for thread in list(self._threads):
            thread.join(timeout)

    @property
    def closed(self):
        return self._closed
