"""A small pool of daemon threads for ``async_req=True`` calls.

Daemon threads never keep the interpreter alive: a request still waiting for a server
at exit is simply abandoned. ``multiprocessing`` is not used for the pool (importing it
is slow and its ThreadPool joins its workers at exit); only its ``TimeoutError`` class is
borrowed, on the first timeout, so that code written for the official SDK catches it.
"""

import functools
import queue
import threading
from typing import (Any, Callable, Dict, Generic, List, Optional, Tuple, Type, TypeVar, Union,
                    cast)

__all__ = ['AsyncResult', 'DaemonThreadPool', 'async_timeout_error']

T = TypeVar('T')

_STOP = object()
@functools.lru_cache(maxsize=None)
def async_timeout_error() -> Type[Exception]:
    """The exception ``AsyncResult.get`` raises on timeout.

    It is both a ``multiprocessing.TimeoutError`` (what the official SDK's thread pool raises)
    and the built-in ``TimeoutError``.
    """
    # Made on first use: importing multiprocessing costs import time that most users skip.
    import multiprocessing

    class AsyncTimeoutError(multiprocessing.TimeoutError, TimeoutError):
        """An async_req call did not finish within the time given to ``get()``."""

    AsyncTimeoutError.__module__ = 'talon_one'
    return AsyncTimeoutError


class AsyncResult(Generic[T]):
    """Outcome of a call run with ``async_req=True`` (the methods of multiprocessing's)."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._value: Optional[T] = None
        self._error: Optional[BaseException] = None

    def _finish(self, value: Optional[T] = None, error: Optional[BaseException] = None) -> None:
        self._value = value
        self._error = error
        self._done.set()

    def ready(self) -> bool:
        """True once the call has finished (successfully or not)."""
        return self._done.is_set()

    def wait(self, timeout: Optional[float] = None) -> None:
        """Wait until the call has finished or ``timeout`` seconds have passed."""
        self._done.wait(timeout)

    def successful(self) -> bool:
        """True if the call returned normally; ValueError if it has not finished."""
        if not self.ready():
            raise ValueError('the call has not finished yet')
        return self._error is None

    def get(self, timeout: Optional[float] = None) -> T:
        """The call's return value; re-raises its exception.

        When it has not finished within ``timeout`` seconds, raises an exception that is
        both a ``multiprocessing.TimeoutError`` and a built-in ``TimeoutError``.
        """
        if not self._done.wait(timeout):
            raise async_timeout_error()('the call did not finish within %s seconds' % timeout)
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]  # set by _finish before _done


_Task = Tuple[Callable[..., Any], Tuple[Any, ...], Dict[str, Any], AsyncResult[Any]]


class DaemonThreadPool(object):
    """Runs calls on up to ``size`` daemon threads, started on demand."""

    def __init__(self, size: int = 1, name: str = 'talon_one-async') -> None:
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError('pool_threads must be an int >= 1, got %r' % (size,))
        self._size = size
        self._name = name
        self._tasks: 'queue.SimpleQueue[Union[_Task, object]]' = queue.SimpleQueue()
        self._threads: List[threading.Thread] = []
        self._pending = 0  # queued + running calls
        self._lock = threading.Lock()
        self._closed = False

    @property
    def size(self) -> int:
        """The most threads this pool runs at once."""
        return self._size

    def apply_async(self, func: Callable[..., T], args: Tuple[Any, ...] = (),
                    kwds: Optional[Dict[str, Any]] = None) -> AsyncResult[T]:
        """Schedule ``func(*args, **kwds)``; returns an AsyncResult."""
        result: AsyncResult[T] = AsyncResult()
        with self._lock:
            if self._closed:
                raise RuntimeError('the async pool is closed')
            self._tasks.put((func, args, kwds or {}, result))
            self._pending += 1
            if self._pending > len(self._threads) and len(self._threads) < self._size:
                self._start_worker()
        return result

    def _start_worker(self) -> None:
        thread = threading.Thread(target=self._work, daemon=True,
                                  name='%s-%d' % (self._name, len(self._threads) + 1))
        self._threads.append(thread)
        thread.start()

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is _STOP:
                return
            func, args, kwds, result = cast(_Task, task)  # not _STOP: a _Task
            try:
                result._finish(value=func(*args, **kwds))
            except BaseException as err:  # delivered to the caller by get()
                result._finish(error=err)
            finally:
                # An idle worker must not keep the last call's arguments and value alive.
                del task, func, args, kwds, result
            with self._lock:
                self._pending -= 1

    def close(self) -> None:
        """Stop accepting work; workers exit after the queued calls. Does not wait."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for _ in self._threads:
                self._tasks.put(_STOP)

    def join(self, timeout: Optional[float] = None) -> None:
        """Wait (at most ``timeout`` seconds per worker) for the workers to exit."""
        for thread in list(self._threads):
            thread.join(timeout)

    @property
    def closed(self) -> bool:
        return self._closed
