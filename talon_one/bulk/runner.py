"""The thread runner: reads the records, cuts chunks, keeps ``concurrency`` chunks in flight
on threads, paces the calls, records finished chunks in the checkpoint, and reports.

Everything that changes the run's state (the report, the keys in flight, the progress
callback) happens on the calling thread; the worker threads make the calls and append each
chunk they finish to the checkpoint (under a lock) before they take another, so at most
``concurrency`` chunks are ever sent and not yet recorded. Ctrl-C (SIGINT, when the run
owns the main thread and nobody else handles it) stops the run at the next point between
chunks; the chunks started are finished and recorded, and :class:`BulkInterrupted` says
what was done.

Chunks are sent in input order (``concurrency`` at a time, as many more queued for the
workers), and a chunk that has a key (a profile id...) in common with
a chunk in flight waits for it, and so do the chunks after it: two requests never touch
one profile at once, and each profile's changes reach the API in input order.
"""

import json
import os
import queue
import signal
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Optional, Set, Tuple,
                    Union)

from talon_one.api.integration_api import IntegrationApi
from talon_one.api_client import ApiClient
from talon_one.bulk.checkpoint import Checkpoint, ChunkEntry, CheckpointError, digest
from talon_one.bulk.chunking import chunked
from talon_one.bulk.operation import (AUTH_STATUSES, Answer, ChunkResult, Item, Operation,
                                      Plan, RecordInvalid, is_transient)
from talon_one.bulk.ratelimit import RateLimiter
from talon_one.bulk.readers import Row
from talon_one.bulk.report import (STAGE_API, STAGE_INPUT, STAGE_VALIDATION, BulkReport,
                                   RecordFailure)
from talon_one.exceptions import OpenApiException

__all__ = ['BulkInterrupted', 'Client', 'ProgressCallback', 'drive', 'run']

#: ``progress(done, total)``: records handled so far, and the total when known.
ProgressCallback = Callable[[int, Optional[int]], None]
#: What the bulk functions take as a client.
Client = Union[IntegrationApi, ApiClient]

DEFAULT_CONCURRENCY = 4
_yield_gil = time.sleep
DEFAULT_KEEP_FAILURES = 10000


class BulkInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run: the chunks in flight were finished (and checkpointed) first;
    ``report`` says what was done. Run again with the same checkpoint to go on."""

    def __init__(self, report: BulkReport) -> None:
        super().__init__('bulk run interrupted')
        self.report = report


def api_of(client: Client) -> IntegrationApi:
    return client if isinstance(client, IntegrationApi) else IntegrationApi(client)


def drive(plan: Plan, api: IntegrationApi, limiter: RateLimiter) -> Tuple[ChunkResult, int]:
    """Make the calls of ``plan`` one after the other; return its result and the calls."""
    calls = 0
    try:
        call = next(plan)
        while True:
            limiter.acquire()
            calls += 1
            try:
                answer = Answer(getattr(api, call.method)(*call.args, **call.kwargs))
            except OpenApiException as exc:
                answer = Answer(error=exc)
            call = plan.send(answer)
    except StopIteration as stop:
        result: ChunkResult = stop.value
        return result, calls


class _Flight(object):
    __slots__ = ('number', 'items', 'keys', 'future')

    def __init__(self, number: int, items: List[Item], keys: Set[str]) -> None:
        self.number = number
        self.items = items
        self.keys = keys
        self.future: 'Optional[Future[None]]' = None


_Done = Tuple[_Flight, Optional[ChunkResult], int, Optional[BaseException]]


class _Run(object):
    def __init__(self, operation: Operation, api: Any, chunk_size: int,
                 concurrency: int, limiter: RateLimiter, checkpoint: Optional[Checkpoint],
                 progress: Optional[ProgressCallback], total: Optional[int], dry_run: bool,
                 keep_failures: int, on_failure: Optional[Callable[[RecordFailure], None]]
                 ) -> None:
        self.op = operation
        self.api = api                  # an IntegrationApi (AsyncIntegrationApi: aiorunner)
        self.chunk_size = chunk_size
        self.concurrency = concurrency
        self.limiter = limiter
        self.checkpoint = checkpoint
        self.progress = progress
        self.total = total
        self.dry_run = dry_run
        self.keep_failures = keep_failures
        self.on_failure = on_failure
        self.report = BulkReport(operation.name)
        self.report.dry_run = dry_run
        self.done_records = 0
        self.in_flight: Dict[int, _Flight] = {}
        self.busy: Dict[str, int] = {}
        self.finished: 'queue.Queue[_Done]' = queue.Queue()
        self.stop: Optional[str] = None
        self.interrupt_requested = False
        self.checkpoint_lock = threading.Lock()
        self.checkpoint_error: Optional[BaseException] = None

    # -- the input -----------------------------------------------------------------

    def items(self, records: Iterable[object]) -> Iterator[Item]:
        prepare = self.op.prepare           # (locals: this loop runs once per record)
        index = -1
        try:
            for index, record in enumerate(records):
                line: Optional[int] = None
                if type(record) is Row:
                    row: Row = record
                    line = row.line
                    if row.error is not None:
                        self.invalid(RecordFailure(index, row.id, None, row.error,
                                                   STAGE_INPUT, line))
                        continue
                    record = row.data
                if not index & 63:
                    # Let the workers in: a thread that waits for the GIL gets it only when
                    # this one blocks or after the 5 ms switch interval, which would hold up
                    # the calls in flight (their answers and next requests) behind the reading.
                    _yield_gil(0)
                try:
                    yield prepare(record, index, line)
                except RecordInvalid as exc:
                    self.invalid(RecordFailure(index, exc.id, None, exc.message,
                                               STAGE_VALIDATION, line))
        finally:
            self.report.records = index + 1

    def invalid(self, failure: RecordFailure) -> None:
        self.report.invalid += 1
        self.done_records += 1
        self.fail(failure)

    def fail(self, failure: RecordFailure) -> None:
        report = self.report
        report.failures_total += 1
        if len(report.failures) < self.keep_failures:
            report.failures.append(failure)
        if self.on_failure is not None:
            self.on_failure(failure)

    def tick(self) -> None:
        if self.progress is not None:
            self.progress(self.done_records, self.total)

    # -- chunks ----------------------------------------------------------------------

    def go(self, records: Iterable[object], executor: Optional[ThreadPoolExecutor]) -> None:
        # (a copy: the workers add the chunks they finish to the checkpoint's own)
        done = dict(self.checkpoint.done) if self.checkpoint is not None else {}
        chunks = chunked(self.items(records), self.chunk_size, self.op.boundary)
        for number, items in enumerate(chunks):
            self.check_interrupt()
            if self.stop is not None:
                self.not_sent(items, self.stop)
                continue
            if self.dry_run or executor is None:
                self.report.chunks += 1
                self.done_records += len(items)
                self.tick()
                continue
            entry = done.get(number)
            if entry is not None:
                self.skip(number, items, entry)
                continue
            keys = {key for item in items for key in item.keys}
            # Up to ``concurrency`` chunks more than the workers wait in the executor's
            # queue, so a worker that finishes starts the next chunk at once (only
            # ``concurrency`` calls are ever in flight: the executor has as many threads).
            while len(self.in_flight) >= 2 * self.concurrency or any(
                    key in self.busy for key in keys):
                self.land(self.finished.get())
                self.check_interrupt()
            while not self.finished.empty():
                self.land(self.finished.get_nowait())
            self.check_interrupt()
            if self.stop is not None:
                self.not_sent(items, self.stop)
                continue
            flight = _Flight(number, items, keys)
            self.in_flight[number] = flight
            for key in keys:
                self.busy[key] = self.busy.get(key, 0) + 1
            self.report.chunks += 1
            flight.future = executor.submit(self.fly, flight)
        self.wait_all()

    def on_sigint(self, signum: int, frame: object) -> None:
        """Ctrl-C during a run: stop at the next safe point (between chunks, never in the
        middle of recording one); a second Ctrl-C stops at once."""
        if self.interrupt_requested:
            raise KeyboardInterrupt
        self.interrupt_requested = True

    def check_interrupt(self) -> None:
        if self.interrupt_requested:
            raise KeyboardInterrupt

    def cancel_queued(self) -> None:
        """Take back the chunks no worker has started (on Ctrl-C): they were not sent."""
        for flight in list(self.in_flight.values()):
            if flight.future is not None and flight.future.cancel():
                del self.in_flight[flight.number]
                self.release(flight)
                self.report.chunks -= 1

    def release(self, flight: _Flight) -> None:
        for key in flight.keys:
            left = self.busy[key] - 1
            if left:
                self.busy[key] = left
            else:
                del self.busy[key]

    def wait_all(self) -> None:
        while self.in_flight:
            self.land(self.finished.get())

    def fly(self, flight: _Flight) -> None:
        """On a worker thread: the calls of one chunk, then its checkpoint line, before the
        worker takes another chunk: so at most ``concurrency`` chunks are ever sent and not
        yet recorded (those a killed process may send again)."""
        try:
            result, calls = drive(self.op.plan(flight.items), self.api, self.limiter)
        except BaseException as exc:    # a bug in a plan, or an interrupt: report it
            self.finished.put((flight, None, 0, exc))
            return
        try:
            self.record(flight, result)
        except BaseException as exc:    # the disk: the chunk is done, the line is not
            self.finished.put((flight, result, calls, exc))
            return
        self.finished.put((flight, result, calls, None))

    def record(self, flight: _Flight, result: ChunkResult) -> None:
        checkpoint = self.checkpoint
        if checkpoint is None or any(is_transient(f) for f in result.failures):
            return
        entry = ChunkEntry(flight.number, digest(item.id for item in flight.items),
                           len(flight.items), result.accepted,
                           [f.to_dict() for f in result.failures], result.state)
        with self.checkpoint_lock:
            checkpoint.record(entry)

    def land(self, done: _Done) -> None:
        flight, result, calls, error = done
        del self.in_flight[flight.number]
        self.release(flight)
        report = self.report
        report.calls += calls
        report.sent += len(flight.items)
        if result is None:
            message = 'internal error: %s: %s' % (type(error).__name__, error)
            result = ChunkResult(0, [RecordFailure(item.index, item.id, None, message,
                                                   STAGE_API, item.line)
                                     for item in flight.items])
        elif error is not None:       # accepted, but the checkpoint could not be written
            self.checkpoint_error = error
        report.accepted += result.accepted
        for failure in result.failures:
            self.fail(failure)
        if result.stop is not None and self.stop is None:
            self.stop = result.stop
        refused = next((f for f in result.failures if f.status in AUTH_STATUSES), None)
        if refused is not None and self.stop is None:
            # Wrong or missing credentials: every later chunk would fail the same way.
            self.stop = 'the API refused the credentials (%s: %s)' % (refused.status,
                                                                     refused.message)
        if self.checkpoint_error is not None and self.stop is None:
            self.stop = 'the checkpoint could not be written: %s' % self.checkpoint_error
        self.done_records += len(flight.items)
        self.tick()

    def skip(self, number: int, items: List[Item], entry: ChunkEntry) -> None:
        if entry.digest != digest(item.id for item in items) or entry.records != len(items):
            raise CheckpointError(
                'the input differs from the one checkpointed: chunk %d (records %d to %d) '
                'is not the same (use another checkpoint file, or delete it to start over)'
                % (number, items[0].index, items[-1].index))
        report = self.report
        report.skipped += len(items)
        report.accepted_earlier += entry.accepted
        for data in entry.failures:
            self.fail(RecordFailure.from_dict(data, earlier=True))
        if entry.state is not None:
            self.op.restore(entry.state)
        self.done_records += len(items)
        self.tick()

    def not_sent(self, items: List[Item], reason: str) -> None:
        for item in items:
            self.fail(RecordFailure(item.index, item.id, None, 'not sent: the run stopped: %s'
                                    % reason,
                                    STAGE_API, item.line))
        self.done_records += len(items)


def _check(operation: Operation, chunk_size: Optional[int], concurrency: int) -> int:
    """The chunk size to use; ValueError for options out of range (before anything is sent)."""
    size = operation.max_chunk_size if chunk_size is None else chunk_size
    if not 1 <= size <= operation.max_chunk_size:
        raise ValueError('chunk_size must be 1 to %d for %s, got %r'
                         % (operation.max_chunk_size, operation.name, chunk_size))
    if concurrency < 1:
        raise ValueError('concurrency must be >= 1, got %r' % (concurrency,))
    return size


def _open_checkpoint(operation: Operation, checkpoint: Optional[str], size: int,
                     dry_run: bool) -> Optional[Checkpoint]:
    """The run's checkpoint (None without one, or in a dry run); names the run for the
    operation's request keys."""
    if checkpoint is None or dry_run:
        return None
    params: Dict[str, Any] = dict(operation.params(), chunkSize=size)
    opened = Checkpoint(checkpoint, operation.name, params)
    operation.run_key = '%s\x00%s\x00%s' % (os.path.abspath(checkpoint), operation.name,
                                            json.dumps(params, sort_keys=True))
    return opened


def _finish(state: _Run, started: float) -> BulkReport:
    """The report of a run that is over (raises BulkInterrupted if it was interrupted)."""
    report = state.report
    report.stopped = state.stop
    report.failures.sort(key=lambda failure: failure.index)
    report.elapsed = time.monotonic() - started
    state.tick()
    if report.interrupted:
        raise BulkInterrupted(report)
    return report


def run(operation: Operation, client: Client, records: Iterable[object], *,
        chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
        max_calls_per_second: Optional[float] = None, checkpoint: Optional[str] = None,
        progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
        dry_run: bool = False, keep_failures: int = DEFAULT_KEEP_FAILURES,
        on_failure: Optional[Callable[[RecordFailure], None]] = None) -> BulkReport:
    """Run ``operation`` over ``records`` (see ``talon_one.bulk`` for the options)."""
    size = _check(operation, chunk_size, concurrency)
    limiter = RateLimiter(max_calls_per_second)
    api = api_of(client)
    started = time.monotonic()
    opened = _open_checkpoint(operation, checkpoint, size, dry_run)
    state = _Run(operation, api, size, concurrency, limiter, opened, progress, total, dry_run,
                 keep_failures, on_failure)
    previous_handler: Any = None
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler):
        previous_handler = signal.signal(signal.SIGINT, state.on_sigint)
    try:
        if dry_run:
            state.go(records, None)
        else:
            with ThreadPoolExecutor(max_workers=concurrency,
                                    thread_name_prefix='talon-one-bulk') as executor:
                try:
                    state.go(records, executor)
                except KeyboardInterrupt:
                    state.report.interrupted = True
                    state.cancel_queued()
                    state.wait_all()
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
        if opened is not None:
            opened.close()
    return _finish(state, started)
