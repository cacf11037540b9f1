"""Per-id lanes: writes of one client to the same session, profile or advanced event run one
after the other, in the order they were made (issue 20; ``Configuration.order_writes_per_id``).

Talon.One answers 409 to a write of a customer session or profile that overlaps another write
of it ("Avoid parallel requests"). A client keeps one lane per id (``talon_one._writes``
says which operations and which id): a call takes a ticket when it is made (in the caller's
thread, also for ``async_req=True``; for the asyncio client when its task first runs), waits
until every earlier ticket of its lane is done, runs, and hands the turn to the next one.
Calls on different ids never wait for each other.

The wait counts against the call's ``total_timeout``: a call whose deadline passes while it
waits raises ``ApiTimeoutError`` (``limit == 'total'``) and never sends anything; it leaves its
lane at once and the calls after it keep their order.
"""

import collections
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Deque, Dict, Optional, Type

from talon_one._exceptions import ApiException, ApiTimeoutError
from talon_one._request import DEFAULT, PreparedRequest, RequestOptions
from talon_one._writes import LaneKey, WriteCall

if TYPE_CHECKING:
    import asyncio   # at run time only where a task waits: its import costs milliseconds

    from talon_one._client import ClientBase

__all__ = ['Lanes', 'Ticket', 'in_turn', 'in_turn_async', 'leave', 'take_turn']


class Ticket(object):
    """One call's place in its lane."""

    __slots__ = ('lanes', 'key', 'ready', 'event', 'future', 'loop', 'left')

    def __init__(self, lanes: 'Lanes', key: LaneKey) -> None:
        self.lanes = lanes
        self.key = key
        self.ready = False                  # its turn (written under the lanes' lock)
        self.event = threading.Event()      # set when it is its turn (threads wait on it)
        self.future: 'Optional[asyncio.Future[None]]' = None   # the same, for a task
        self.loop: 'Optional[asyncio.AbstractEventLoop]' = None
        self.left = False

    def _wake(self) -> None:
        self.event.set()
        future, loop = self.future, self.loop
        if future is not None and loop is not None:
            try:
                loop.call_soon_threadsafe(_resolve, future)
            except RuntimeError:     # the loop is closed: nobody waits any more
                pass

    def wait(self, timeout: Optional[float]) -> bool:
        """Block until it is this ticket's turn; False when ``timeout`` ran out first."""
        if self.ready:
            return True
        return self.event.wait(timeout)

    async def wait_async(self, timeout: Optional[float]) -> bool:
        """Await this ticket's turn; False when ``timeout`` ran out first."""
        import asyncio   # loaded already: an event loop runs this
        with self.lanes._lock:
            if self.ready:
                return True
            loop = asyncio.get_running_loop()
            self.loop = loop
            self.future = future = loop.create_future()
        if timeout is not None and timeout <= 0:
            return self.ready
        done, _ = await asyncio.wait((future,), timeout=timeout)
        return bool(done) or self.ready

    def leave(self) -> None:
        """Done (or given up): the next ticket of the lane gets its turn. Idempotent."""
        self.lanes._leave(self)


def _resolve(future: 'asyncio.Future[None]') -> None:
    if not future.done():
        future.set_result(None)


class Lanes(object):
    """The lanes of one client: key -> tickets in the order they were taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lanes: Dict[LaneKey, Deque[Ticket]] = {}

    def enter(self, key: LaneKey) -> Ticket:
        ticket = Ticket(self, key)
        with self._lock:
            queue = self._lanes.get(key)
            if queue is None:
                queue = self._lanes[key] = collections.deque()
            queue.append(ticket)
            if len(queue) == 1:
                ticket.ready = True
                ticket.event.set()
        return ticket

    def _leave(self, ticket: Ticket) -> None:
        following: Optional[Ticket] = None
        with self._lock:
            if ticket.left:
                return
            ticket.left = True
            queue = self._lanes[ticket.key]
            first = queue[0] is ticket
            queue.remove(ticket)
            if not queue:
                del self._lanes[ticket.key]
            elif first:
                following = queue[0]
                following.ready = True
        if following is not None:
            following._wake()

    def waiting(self, key: LaneKey) -> int:
        """How many calls hold or wait for the lane of ``key`` (for tests and debugging)."""
        with self._lock:
            queue = self._lanes.get(key)
            return 0 if queue is None else len(queue)


# -- the call sites (ApiClient._run / _perform, AsyncApiClient._run) -----------------------

def _lanes_of(client: 'ClientBase') -> Lanes:
    lanes: Optional[Lanes] = getattr(client, '_write_lanes', None)
    if lanes is None:
        # (at most one per client survives a race: setdefault on the instance's dict)
        made: Lanes = client.__dict__.setdefault('_write_lanes', Lanes())
        return made
    return lanes


def take_turn(client: 'ClientBase', options: RequestOptions) -> None:
    """Take the call's ticket now (when the call is made, before it is queued anywhere)."""
    writes: Optional[WriteCall] = options.writes
    if writes is not None and writes.lane is not None and writes.ticket is None:
        writes.ticket = _lanes_of(client).enter(writes.lane)


def leave(options: RequestOptions) -> None:
    """Give the call's place up (it was never run)."""
    writes: Optional[WriteCall] = options.writes
    if writes is not None and writes.ticket is not None:
        writes.ticket.leave()


def _deadline(client: 'ClientBase', options: RequestOptions, writes: WriteCall
              ) -> Optional[float]:
    total = options.total_timeout
    if total is DEFAULT:
        total = client.configuration.total_timeout
    return None if total is None else writes.made_at + total


def _late(request: PreparedRequest, options: RequestOptions, writes: WriteCall,
          client: 'ClientBase') -> ApiTimeoutError:
    total = options.total_timeout
    if total is DEFAULT:
        total = client.configuration.total_timeout
    entity, ident = writes.lane or ('', '')
    return ApiTimeoutError(
        'total_timeout of %g s ran out while waiting for an earlier call on %s %r to finish '
        '(Configuration.order_writes_per_id); nothing was sent' % (total, entity, ident),
        method=request.method, url=request.shown_url, limit='total')


def _tag(error: BaseException, writes: Optional[WriteCall]) -> None:
    if writes is not None and writes.idempotency_key is not None and (
            isinstance(error, ApiException)):
        error.idempotency_key = writes.idempotency_key


class in_turn(object):
    """``with in_turn(client, request, options):`` the call's turn in its lane (a thread
    blocks for it), given back on exit; an ApiException leaving the block carries the call's
    Idempotency-Key (``e.idempotency_key``)."""

    __slots__ = ('client', 'request', 'options', 'writes')

    def __init__(self, client: 'ClientBase', request: PreparedRequest,
                 options: RequestOptions) -> None:
        self.client = client
        self.request = request
        self.options = options
        self.writes: Optional[WriteCall] = options.writes

    def __enter__(self) -> None:
        writes = self.writes
        if writes is None:
            return
        take_turn(self.client, self.options)
        ticket = writes.ticket
        if ticket is None or ticket.ready:
            return
        deadline = _deadline(self.client, self.options, writes)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        if not ticket.wait(left):
            ticket.leave()
            error = _late(self.request, self.options, writes, self.client)
            _tag(error, writes)
            raise error

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc_value: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        writes = self.writes
        if writes is None:
            return
        if writes.ticket is not None:
            writes.ticket.leave()
        if exc_value is not None:
            _tag(exc_value, writes)


class in_turn_async(object):
    """``async with in_turn_async(client, request, options):`` the same for a task (a
    cancelled wait leaves the lane too)."""

    __slots__ = ('client', 'request', 'options', 'writes')

    def __init__(self, client: 'ClientBase', request: PreparedRequest,
                 options: RequestOptions) -> None:
        self.client = client
        self.request = request
        self.options = options
        self.writes: Optional[WriteCall] = options.writes

    async def __aenter__(self) -> None:
        writes = self.writes
        if writes is None:
            return
        take_turn(self.client, self.options)
        ticket = writes.ticket
        if ticket is None or ticket.ready:
            return
        deadline = _deadline(self.client, self.options, writes)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            ready = await ticket.wait_async(left)
        except BaseException:
            ticket.leave()
            raise
        if not ready:
            ticket.leave()
            error = _late(self.request, self.options, writes, self.client)
            _tag(error, writes)
            raise error

    async def __aexit__(self, exc_type: Optional[Type[BaseException]],
                        exc_value: Optional[BaseException],
                        traceback: Optional[TracebackType]) -> None:
        writes = self.writes
        if writes is None:
            return
        if writes.ticket is not None:
            writes.ticket.leave()
        if exc_value is not None:
            _tag(exc_value, writes)

