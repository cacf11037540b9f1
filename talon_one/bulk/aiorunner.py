"""The asyncio runner: the thread runner's rules, with asyncio tasks and an async client.

``run_async`` drives the same operations (``talon_one.bulk.operation``) as
``talon_one.bulk.runner.run``, with the same chunking, per-id exclusion, checkpoint,
progress, report and rate limit; only the calls differ: each chunk is a task that
``await``-s the methods of an ``AsyncIntegrationApi``, at most ``concurrency`` tasks at once,
and the pace is kept with ``asyncio.sleep``. Everything runs on the event loop's thread
(the progress callback too); the input stays a sync iterable, read between chunks.

A chunk's task records it in the checkpoint (one write, fsync'd, on the loop's thread) as
soon as its calls are done, so at most ``concurrency`` chunks are ever sent and not yet
recorded. When the run is cancelled (``task.cancel()``, ``asyncio.timeout``, Ctrl-C under
``asyncio.run``), the chunks in flight are finished and recorded first, then the
``CancelledError`` propagates (a second cancellation cancels them too); a
``KeyboardInterrupt`` raised in the run (by the input, say) ends it as in the thread runner,
with :class:`BulkInterrupted`. This module does not import aiohttp: the client does.
"""

import asyncio
import time
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple,
                    Union)

from talon_one._operations import AsyncApiBase
from talon_one.bulk.chunking import chunked
from talon_one.bulk.operation import Answer, ChunkResult, Operation, Plan
from talon_one.bulk.ratelimit import RateLimiter
from talon_one.bulk.report import BulkReport, RecordFailure
from talon_one.bulk.runner import (DEFAULT_CONCURRENCY, DEFAULT_KEEP_FAILURES,
                                   ProgressCallback, _check, _Done, _finish, _Flight,
                                   _open_checkpoint, _Run)
from talon_one.exceptions import OpenApiException

if TYPE_CHECKING:
    from talon_one._aio_client import AsyncApiClient
    from talon_one.api.async_integration_api import AsyncIntegrationApi

__all__ = ['AsyncClient', 'drive_async', 'run_async']

#: What the async bulk functions take as a client.
AsyncClient = Union['AsyncIntegrationApi', 'AsyncApiClient']


def api_of_async(client: AsyncClient) -> 'AsyncIntegrationApi':
    if isinstance(client, AsyncApiBase):
        return client
    from talon_one.api.async_integration_api import AsyncIntegrationApi
    return AsyncIntegrationApi(client)


async def drive_async(plan: Plan, api: Any, limiter: RateLimiter) -> Tuple[ChunkResult, int]:
    """Make the calls of ``plan`` one after the other with ``await``; return its result and
    the number of calls (``drive`` of the thread runner, for an async client)."""
    calls = 0
    try:
        call = next(plan)
        while True:
            wait = limiter.delay()
            if wait > 0:
                await asyncio.sleep(wait)
            calls += 1
            try:
                answer = Answer(await getattr(api, call.method)(*call.args, **call.kwargs))
            except OpenApiException as exc:
                answer = Answer(error=exc)
            call = plan.send(answer)
    except StopIteration as stop:
        result: ChunkResult = stop.value
        return result, calls


class _AsyncRun(_Run):
    """The thread runner's state and bookkeeping (items, land, skip, record...), with tasks
    in place of the workers: ``go_async`` in place of ``go``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.landed: 'asyncio.Queue[_Done]' = asyncio.Queue()
        self.tasks: 'Dict[int, asyncio.Task[None]]' = {}

    async def go_async(self, records: Iterable[object]) -> None:
        done = dict(self.checkpoint.done) if self.checkpoint is not None else {}
        chunks = chunked(self.items(records), self.chunk_size, self.op.boundary)
        for number, items in enumerate(chunks):
            if self.stop is not None:
                self.not_sent(items, self.stop)
                continue
            if self.dry_run:
                self.report.chunks += 1
                self.done_records += len(items)
                self.tick()
                continue
            entry = done.get(number)
            if entry is not None:
                self.skip(number, items, entry)
                continue
            keys = {key for item in items for key in item.keys}
            # ``concurrency`` tasks at most; a chunk with a key in flight waits for it (and
            # the chunks after it wait too: each id's changes go in input order).
            while len(self.in_flight) >= self.concurrency or any(
                    key in self.busy for key in keys):
                self.land_task(await self.landed.get())
            while not self.landed.empty():
                self.land_task(self.landed.get_nowait())
            if self.stop is not None:
                self.not_sent(items, self.stop)
                continue
            flight = _Flight(number, items, keys)
            self.in_flight[number] = flight
            for key in keys:
                self.busy[key] = self.busy.get(key, 0) + 1
            self.report.chunks += 1
            self.tasks[number] = asyncio.ensure_future(self.fly_async(flight))
            await asyncio.sleep(0)      # let the task send its request before reading on
        await self.wait_all_async()

    async def fly_async(self, flight: _Flight) -> None:
        """A chunk's calls, then its checkpoint line (see the module docstring)."""
        try:
            result, calls = await drive_async(self.op.plan(flight.items), self.api,
                                              self.limiter)
        except asyncio.CancelledError:
            raise
        except Exception as exc:        # a bug in a plan: report it
            self.landed.put_nowait((flight, None, 0, exc))
            return
        try:
            self.record(flight, result)
        except Exception as exc:        # the disk: the chunk is done, the line is not
            self.landed.put_nowait((flight, result, calls, exc))
            return
        self.landed.put_nowait((flight, result, calls, None))

    def land_task(self, done: _Done) -> None:
        self.tasks.pop(done[0].number, None)
        self.land(done)

    async def wait_all_async(self) -> None:
        while self.in_flight:
            self.land_task(await self.landed.get())

    async def settle(self) -> None:
        """After the run ended early: finish the chunks in flight (they were sent) and take
        in their results; cancelled again meanwhile, cancel them and propagate."""
        try:
            await self.wait_all_async()
        except BaseException:
            tasks: List['asyncio.Task[None]'] = list(self.tasks.values())
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise


async def run_async(operation: Operation, client: AsyncClient, records: Iterable[object], *,
                    chunk_size: Optional[int] = None, concurrency: int = DEFAULT_CONCURRENCY,
                    max_calls_per_second: Optional[float] = None,
                    checkpoint: Optional[str] = None,
                    progress: Optional[ProgressCallback] = None, total: Optional[int] = None,
                    dry_run: bool = False, keep_failures: int = DEFAULT_KEEP_FAILURES,
                    on_failure: Optional[Callable[[RecordFailure], None]] = None
                    ) -> BulkReport:
    """Run ``operation`` over ``records`` with an async client (see ``talon_one.bulk`` for
    the options; ``concurrency``: tasks)."""
    size = _check(operation, chunk_size, concurrency)
    limiter = RateLimiter(max_calls_per_second)
    api = api_of_async(client)
    started = time.monotonic()
    opened = _open_checkpoint(operation, checkpoint, size, dry_run)
    state = _AsyncRun(operation, api, size, concurrency, limiter, opened, progress, total,
                      dry_run, keep_failures, on_failure)
    try:
        try:
            await state.go_async(records)
        except KeyboardInterrupt:
            state.report.interrupted = True
            await state.settle()
        except BaseException:          # cancelled, or an error (the input, the checkpoint)
            await state.settle()
            raise
    finally:
        if opened is not None:
            opened.close()
    return _finish(state, started)
