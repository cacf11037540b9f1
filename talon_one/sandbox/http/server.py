"""The sandbox's TCP server: one thread serves every connection from an event loop.

The loop (``selectors``) accepts connections, reads what has arrived on each, takes whole
requests out of it (wire.RequestReader, within limits.Limits), answers each at once in the
same thread and writes the answer without blocking, with ``TCP_NODELAY``. One thread and no
hand-offs: the sandbox is Python code, so threads would take turns anyway, and passing the
interpreter lock between one thread per connection cost about a third of its throughput.
A slow client costs nothing while it is slow: its bytes wait in its reader until the request
is whole or its deadline passes (408); a client that pipelines many requests gets a few answered
per pass, the rest once it has read those. One limit of one thread: a request that waits for an
entity lock which another thread of the process holds (``Store.locked`` in a test, say) holds
every connection until that lock is released.

The loop's thread is the only one that runs operations. Work another thread wants done on
the state (``Sandbox.reset``) is handed to it (``call_in_loop``) and runs between two
requests: it waits for the request in progress, and new ones wait for it.

With a SQLite file, the answers of one pass of the loop wait until that pass's changes are in
the file, in one transaction (``Store.defer``/``flush``): committed before each answer, one
fsync for all the requests that arrived together.
"""

import collections
import logging
import selectors
import socket
import threading
import time
from typing import Any, Callable, Deque, Dict, Generic, List, Optional, Set, Tuple, TypeVar

from talon_one.sandbox.http import wire
from talon_one.sandbox.http.app import Response, SandboxApp, error_response, internal_error
from talon_one.sandbox.http.faults import DELAY, FaultResponse
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.http.limits import Limits
from talon_one.sandbox.ops.service import Service

LOG = logging.getLogger('talon_one.sandbox')

_RECV_SIZE = 65536
_ACCEPTS_PER_PASS = 64          # then the connections already open get their turn
_ANSWERS_PER_PASS = 8           # pipelined requests answered per client per pass ...
_BYTES_PER_PASS = 256 * 1024    # ... or bytes of answers: the rest wait until they are written
_ACCEPT_PAUSE = 0.1             # seconds without accepting after accept() failed (no fds)
_LINGER_SECONDS = 2.0           # after an error answer, read (and drop) what still comes ...
_LINGER_BYTES = 1024 * 1024     # ... for this long or this much, then close
_READ, _WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE
_LISTENER, _WAKE = 'listener', 'wake'
T = TypeVar('T')


def is_loopback(host: str) -> bool:
    return host in ('127.0.0.1', '::1', 'localhost')


class _Client(object):
    """One open connection: its reader, the answers not yet written, and how it ends."""

    __slots__ = ('sock', 'reader', 'out', 'ending', 'write_deadline', 'linger_deadline',
                 'lingered', 'events', 'held_back', 'hold_until')

    def __init__(self, sock: socket.socket, reader: wire.RequestReader) -> None:
        self.sock = sock
        self.reader = reader
        self.out = bytearray()
        self.ending: Optional[str] = None   # 'close' or 'linger' once the answers are out
        self.write_deadline = 0.0
        self.linger_deadline = 0.0
        self.lingered = 0
        self.events = _READ
        self.held_back = False              # requests wait until ``out`` is written
        self.hold_until = 0.0               # a delay fault: ``out`` waits until then

    def deadline(self) -> float:
        if self.hold_until:
            return self.hold_until
        if self.out:
            return self.write_deadline
        if self.ending == 'linger':
            return self.linger_deadline
        return self.reader.deadline


class _Answer(object):
    """An answer made in this pass: sent once the pass's changes are stored."""

    __slots__ = ('client', 'response', 'data', 'head_only', 'close', 'after_write', 'delay')

    def __init__(self, client: _Client, response: Optional[Response], data: bytes = b'',
                 head_only: bool = False, close: bool = False, after_write: bool = False,
                 delay: float = 0.0) -> None:
        self.client = client
        self.response = response
        self.data = data
        self.head_only = head_only
        self.close = close
        self.after_write = after_write      # made after this pass changed the store
        self.delay = delay                  # seconds to hold it back (a delay fault)


class _Job(Generic[T]):
    """Work handed to the loop's thread, and its result for the thread that waits."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.done = threading.Event()
        self.value: List[T] = []      # the result, once the work returned
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self.value.append(self.work())
        except BaseException as exc:
            self.error = exc
        finally:
            self.done.set()

    def result(self) -> T:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value[0]


class SandboxHTTPServer(object):
    """Listens on ``address`` at once; ``serve_forever`` serves until ``shutdown``."""

    def __init__(self, address: Tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self.limits: Limits = app.limits
        family = socket.AF_INET6 if ':' in address[0] else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind(address)
            self.socket.listen(self.limits.backlog)
            self.socket.setblocking(False)
        except BaseException:
            self.socket.close()
            raise
        self.server_address: Tuple[Any, ...] = self.socket.getsockname()
        self._open: Dict[socket.socket, _Client] = {}  # read by tests from other threads
        self._open_lock = threading.Lock()
        # The loop also waits on this pair, so that shutdown() is seen at once.
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._selector: Optional[selectors.BaseSelector] = None
        self._next_check = float('inf')     # no deadline passes before this
        self._resume: Set[_Client] = set()  # clients with requests waiting for their output
        self._accept_paused_until = 0.0     # accept() failed: the listener rests until then
        self._stop_requested = False
        self._jobs: Deque['_Job[Any]'] = collections.deque()   # for the loop's thread
        self._jobs_lock = threading.Lock()
        self._loop_thread: Optional[int] = None     # the serving thread, while it serves
        self._stopped = threading.Event()
        self._stopped.set()
        self._started = threading.Event()   # serve_forever serves, or could not start
        self._start_error: Optional[BaseException] = None
        self._closed = False

    @property
    def service(self) -> Service:
        return self.app.service

    @property
    def api_key(self) -> str:
        return self.app.api_key

    # -- the loop ----------------------------------------------------------
    def serve_forever(self, poll_interval: float = 0.5) -> None:
        try:
            # Set up before anything says "serving": without a descriptor left (EMFILE),
            # this fails, and shutdown() must not then wait for a loop that never ran.
            selector = selectors.DefaultSelector()
            try:
                selector.register(self.socket, _READ, _LISTENER)
                selector.register(self._wake_reader, _READ, _WAKE)
            except BaseException:
                selector.close()
                raise
        except BaseException as exc:
            self._start_error = exc
            self._started.set()
            raise
        self._stopped.clear()
        self._selector = selector
        with self._jobs_lock:
            self._loop_thread = threading.get_ident()
        self._started.set()
        try:
            while not self._stop_requested:
                now = time.monotonic()
                wait = 0.0 if self._resume else \
                    min(poll_interval, max(0.0, self._next_check - now))
                events = selector.select(wait)
                self._run_jobs()
                now = time.monotonic()
                if self._accept_paused_until and now >= self._accept_paused_until:
                    self._accept_paused_until = 0.0
                    selector.register(self.socket, _READ, _LISTENER)
                self._pass(events, now)
                if now >= self._next_check:
                    self._expire(now)
        finally:
            self._end_jobs()
            for client in list(self._open.values()):
                self._close(client)
            selector.close()
            self._selector = None
            self._stop_requested = False
            self._stopped.set()

    def wait_started(self) -> None:
        """Block until serve_forever (started in another thread) serves requests; raise
        RuntimeError when it could not start."""
        self._started.wait()
        if self._start_error is not None:
            raise RuntimeError('the sandbox server could not start serving: %s'
                               % self._start_error) from self._start_error

    def call_in_loop(self, work: Callable[[], T]) -> T:
        """Run ``work`` on the loop's thread between two requests and return its result
        (at once on the caller's thread when no loop serves, or on the loop's own)."""
        job = _Job(work)
        with self._jobs_lock:
            handed = self._loop_thread not in (None, threading.get_ident())
            if handed:
                self._jobs.append(job)
        if not handed:
            return work()
        self._wake_writer.send(b'x')
        return job.result()

    def _run_jobs(self) -> None:
        while self._jobs:
            self._jobs.popleft().run()

    def _end_jobs(self) -> None:
        """The loop stops: run what was handed to it until then, and take no more."""
        while True:
            with self._jobs_lock:
                if not self._jobs:
                    self._loop_thread = None
                    return
            self._run_jobs()

    def shutdown(self) -> None:
        """Stop serve_forever (running in another thread) and wait until it has."""
        if self._stopped.is_set():
            return
        self._stop_requested = True
        self._wake_writer.send(b'x')
        self._stopped.wait()

    def server_close(self) -> None:
        """Stop listening and end every open connection (after stopping the loop)."""
        self.shutdown()
        if self._closed:
            return
        self._closed = True
        self.socket.close()
        self._wake_reader.close()
        self._wake_writer.close()

    def _pass(self, events: List[Tuple[selectors.SelectorKey, int]], now: float) -> None:
        """Serve what the selector reported, then write the answers once they are stored."""
        answers: List[_Answer] = []
        store = self.app.service.store
        store.defer()
        try:
            for client in list(self._resume):
                self._resume.discard(client)
                self._guarded(client, self._serve, now, answers)
            for key, mask in events:
                tag = key.data
                if tag is _LISTENER:
                    self._accept(now)
                elif tag is _WAKE:
                    try:
                        self._wake_reader.recv(64)
                    except OSError:
                        pass
                else:
                    if mask & _WRITE:
                        self._guarded(tag, self._write, now)
                    if mask & _READ and tag.sock in self._open:
                        self._guarded(tag, self._read, now, answers)
        finally:
            failure = store.flush()
        self._send(answers, failure, now)

    def _guarded(self, client: _Client, step: Any, *args: Any) -> None:
        """Run one step of one connection; a bug ends that connection, never the loop."""
        try:
            step(client, *args)
        except Exception:
            LOG.exception('sandbox: a connection failed')
            self._close(client)

    def _send(self, answers: List[_Answer], failure: Optional[BaseException],
              now: float) -> None:
        touched: List[_Client] = []
        for answer in answers:
            client = answer.client
            data = answer.data
            if answer.response is not None:
                response = answer.response
                if failure is not None and answer.after_write:
                    response = error_response(SandboxError(
                        500, 'the change could not be stored: %s' % failure,
                        title='Internal error'))
                data = wire.response_bytes(
                    response.status, response.body, response.content_type, response.headers,
                    close=answer.close, head_only=answer.head_only)
            if answer.delay:
                self._hold(client, data, now + answer.delay, touched)
                continue
            if not client.out:
                client.write_deadline = now + self.limits.body_timeout
                touched.append(client)
            client.out += data
        for client in touched:
            self._write(client, now)

    def _hold(self, client: _Client, data: bytes, until: float,
              touched: List[_Client]) -> None:
        """A delay fault: this answer (and what the connection owes before it) goes out at
        ``until``; the connection is left alone meanwhile (its later requests wait)."""
        client.out += data
        client.hold_until = until
        if client in touched:
            touched.remove(client)
        assert self._selector is not None
        try:
            self._selector.unregister(client.sock)
        except (KeyError, ValueError):
            pass
        self._watch(client)

    def _release(self, client: _Client, now: float) -> None:
        """The delay has passed: write what was held and listen to the connection again."""
        client.hold_until = 0.0
        assert self._selector is not None
        self._selector.register(client.sock, client.events, client)
        client.write_deadline = now + self.limits.body_timeout
        self._write(client, now)

    # -- connections -------------------------------------------------------
    def _accept(self, now: float) -> None:
        for _ in range(_ACCEPTS_PER_PASS):
            try:
                sock, _ = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:      # out of file descriptors, say: the backlog waits
                LOG.warning('sandbox: cannot accept a connection (%s); pausing %g s',
                            exc, _ACCEPT_PAUSE)
                assert self._selector is not None
                self._selector.unregister(self.socket)
                self._accept_paused_until = now + _ACCEPT_PAUSE
                self._next_check = min(self._next_check, self._accept_paused_until)
                return
            if len(self._open) >= self.limits.max_connections:
                self._refuse(sock)
                continue
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client = _Client(sock, wire.RequestReader(self.limits, now))
            with self._open_lock:
                self._open[sock] = client
            assert self._selector is not None
            self._selector.register(sock, _READ, client)
            self._watch(client)

    def _refuse(self, sock: socket.socket) -> None:
        """Answer 503 on a fresh socket (its send buffer is empty: the write is whole)."""
        error = SandboxError(503, 'more than %d open connections; retry shortly'
                             % self.limits.max_connections, title='Service unavailable')
        response = error_response(error)
        try:
            sock.setblocking(False)
            sock.send(wire.response_bytes(response.status, response.body,
                                               response.content_type, [('Retry-After', '1')],
                                               close=True))
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        sock.close()

    def _read(self, client: _Client, now: float, answers: List[_Answer]) -> None:
        if client.held_back and client.ending is None and not client.out:   # those first
            client.held_back = False
            self._serve(client, now, answers)
            return
        try:
            data = client.sock.recv(_RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:     # reset: nothing to say
            self._close(client)
            return
        if client.ending == 'linger':
            client.lingered += len(data)
            if not data or client.lingered >= _LINGER_BYTES:
                self._close(client)
            return
        if not data:
            error = client.reader.ended()
            if error is None and not client.out:
                self._close(client)
            else:               # answer what is owed, then close
                if error is not None:
                    answers.append(_Answer(client, error_response(error), close=True))
                client.ending = 'close'
                self._stop_reading(client)
            return
        client.reader.feed(data, now)
        self._serve(client, now, answers)

    def _serve(self, client: _Client, now: float, answers: List[_Answer]) -> None:
        """Answer the whole requests in the client's reader (in order), until one ends the
        connection or earlier answers are still being written (the rest wait for them)."""
        store = self.app.service.store
        reader = client.reader
        count = size = 0
        while client.ending is None:
            if client.out or count >= _ANSWERS_PER_PASS or size >= _BYTES_PER_PASS:
                client.held_back = True     # served again once these answers are written
                break
            try:
                request = reader.next_request(now)
            except wire.WireError as exc:
                answers.append(_Answer(client, error_response(exc), close=exc.close))
                if exc.close:
                    client.ending = 'linger'
                continue
            if request is None:
                if reader.owes_continue:
                    reader.owes_continue = False
                    answers.append(_Answer(client, None, wire.CONTINUE))
                break
            try:
                response = self.app.handle(request)
            except Exception:
                response = internal_error()
            count += 1
            size += len(response.body)
            close = response.close or not request.keep_alive
            if isinstance(response, FaultResponse):
                self._faulted(client, request, response, close, answers)
                break
            answers.append(_Answer(client, response, head_only=request.method == 'HEAD',
                                   close=close, after_write=store.deferred_changes()))
            if close:
                client.ending = 'close'
        self._watch(client)

    def _faulted(self, client: _Client, request: wire.Request, response: FaultResponse,
                 close: bool, answers: List[_Answer]) -> None:
        """A fault's answer: none and the connection closed, or one sent later."""
        if response.kind != DELAY:
            answers.append(_Answer(client, None, close=True))
            client.ending = 'close'
            return
        answers.append(_Answer(client, response, head_only=request.method == 'HEAD',
                               close=close, delay=response.delay or 1e-6,
                               after_write=self.app.service.store.deferred_changes()))
        if close:
            client.ending = 'close'
        else:
            client.held_back = True     # the next requests wait for this answer

    def _write(self, client: _Client, now: float) -> None:
        if client.out:
            try:
                sent = client.sock.send(client.out)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:     # broken pipe, reset: the client is gone
                self._close(client)
                return
            del client.out[:sent]
            if client.out:      # the client reads slowly: read no more until it takes this
                self._interest(client, _WRITE)
                self._watch(client)
                return
        if client.ending == 'close':
            self._close(client)
        elif client.ending == 'linger':
            self._linger(client, now)
        else:
            self._interest(client, _READ)
            client.reader.answered(now)
            if client.held_back:        # requests that waited for these answers
                client.held_back = False
                self._resume.add(client)
            self._watch(client)

    def _linger(self, client: _Client, now: float) -> None:
        """After an error answer: stop sending and read what the client still sends for a
        moment, so closing does not reset the connection before it has read the answer."""
        try:
            client.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(client)
            return
        client.linger_deadline = now + _LINGER_SECONDS
        self._interest(client, _READ)
        self._watch(client)

    def _stop_reading(self, client: _Client) -> None:
        """After the end of the stream: only the answers still owed are written."""
        self._interest(client, _WRITE)

    def _interest(self, client: _Client, events: int) -> None:
        if events != client.events:
            client.events = events
            assert self._selector is not None
            self._selector.modify(client.sock, events, client)

    def _close(self, client: _Client) -> None:
        sock = client.sock
        with self._open_lock:
            if self._open.pop(sock, None) is None:
                return
        self._resume.discard(client)
        if self._selector is not None:
            try:
                self._selector.unregister(sock)
            except (KeyError, ValueError):
                pass
        if client.ending == 'close':
            try:
                sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        sock.close()

    # -- deadlines ---------------------------------------------------------
    def _watch(self, client: _Client) -> None:
        deadline = client.deadline()
        if deadline < self._next_check:
            self._next_check = deadline

    def _expire(self, now: float) -> None:
        """Act on every deadline that has passed; note when the next one does."""
        next_check = self._accept_paused_until or float('inf')
        for client in list(self._open.values()):
            deadline = client.deadline()
            if deadline > now:
                next_check = min(next_check, deadline)
                continue
            if client.hold_until:       # a delay fault's answer is due
                self._release(client, now)
                if client.sock in self._open:
                    next_check = min(next_check, client.deadline())
                continue
            if client.out or client.ending is not None:     # stuck writing, or lingered
                self._close(client)
                continue
            error = client.reader.expired()
            if error is None:       # idle: close quietly
                self._close(client)
                continue
            answer = _Answer(client, error_response(error), close=True)
            client.ending = 'linger'
            self._send([answer], None, now)
            if client.sock in self._open:
                next_check = min(next_check, client.deadline())
        self._next_check = next_check
