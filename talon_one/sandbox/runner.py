"""Run the sandbox in-process on a free port, in a background thread."""

import dataclasses
import datetime
import json
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from talon_one.sandbox import world as world_module
from talon_one.sandbox.http.app import SandboxApp
from talon_one.sandbox.http.faults import Fault
from talon_one.sandbox.http.limits import Limits
from talon_one.sandbox.http.request_log import DEFAULT_SIZE
from talon_one.sandbox.http.server import SandboxHTTPServer, is_loopback
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store import Store
from talon_one.sandbox.world.seed import seed

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.configuration import Configuration

DEFAULT_MAX_BODY = Limits.max_body
_LIMIT_NAMES = tuple(field.name for field in dataclasses.fields(Limits))

WorldSource = Union[None, str, Dict[str, Any], world_module.World]  # default: the example


def _limits(options: Dict[str, Any]) -> Limits:
    """A ``Limits`` from keyword options named like its fields (unknown names: TypeError)."""
    return Limits(**{name: value for name, value in options.items() if value is not None})


def _as_json(world: Dict[str, Any]) -> Any:
    """A private copy of a world given as a dict, as a world file would give it: JSON values
    only (the store counts on that), and later changes to the caller's dict do not leak in."""
    try:
        return json.loads(json.dumps(world))     # NaN passes: the world checks name it
    except (TypeError, ValueError) as exc:
        raise world_module.WorldError('world: not representable as JSON: %s' % exc) from exc


def build_server(world: WorldSource = None, api_key: Optional[str] = None,
                 db: Optional[str] = None, host: str = '127.0.0.1', port: int = 0,
                 request_log_size: int = DEFAULT_SIZE, **limits: Any) -> SandboxHTTPServer:
    """A ready (not yet serving) server. ``world``: path, dict or World; ``limits``: any
    field of ``talon_one.sandbox.http.limits.Limits`` (e.g. ``max_body``, ``header_timeout``)."""
    server_limits = _limits(limits)
    if isinstance(world, world_module.World):
        loaded = world
    elif isinstance(world, dict):
        loaded = world_module.from_dict(_as_json(world))
    else:
        loaded = world_module.load(world)
    store = Store(db)
    service = Service(loaded, store)
    try:
        fresh = not store.seeded
        seed(service)
        app = SandboxApp(service, api_key or loaded.api_key, server_limits, request_log_size,
                         seed_snapshot=store.snapshot() if fresh else None,
                         loopback=is_loopback(host))
        return SandboxHTTPServer((host, port), app)
    except BaseException:
        store.close()
        raise


class Sandbox(object):
    """A local Talon.One Integration API for tests and demos.

    >>> with Sandbox() as sandbox:
    ...     api = talon_one.IntegrationApi(talon_one.ApiClient(sandbox.configuration()))

    Keyword options: ``world``, ``api_key``, ``db``, ``host``, ``port``,
    ``request_log_size`` (default 1000; 0 turns the log off) and the server limits
    (``max_body``, ``header_timeout``, ``idle_timeout``, ... see WORLD.md).
    """

    def __init__(self, world: WorldSource = None, api_key: Optional[str] = None,
                 db: Optional[str] = None, host: str = '127.0.0.1', port: int = 0,
                 request_log_size: int = DEFAULT_SIZE, **limits: Any) -> None:
        unknown = sorted(set(limits) - set(_LIMIT_NAMES))
        if unknown:
            raise TypeError('Sandbox() got unknown options %s (server limits: %s)'
                            % (', '.join(unknown), ', '.join(_LIMIT_NAMES)))
        _limits(limits)         # bad values fail here, before anything starts
        self._options: Dict[str, Any] = dict(
            world=world, api_key=api_key, db=db, host=host, port=port,
            request_log_size=request_log_size, **limits)
        self.server: Optional[SandboxHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> 'Sandbox':
        if self.server is not None:
            return self
        self.server = build_server(**self._options)
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={'poll_interval': 0.05},
                                        name='talon-one-sandbox', daemon=True)
        self._thread.start()
        try:
            # Ready when this returns: a caller that then uses up the process's descriptors
            # (or is slow to be scheduled) must not find the loop still setting up.
            self.server.wait_started()
        except RuntimeError:
            self._thread.join()
            self.server.server_close()
            self.server.service.store.close()
            self.server = self._thread = None
            raise
        return self

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server.service.store.close()
        if self._thread is not None:
            self._thread.join()
        self.server = None
        self._thread = None

    def __enter__(self) -> 'Sandbox':
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _running(self) -> SandboxHTTPServer:
        if self.server is None:
            raise RuntimeError('the sandbox is not running: call start() or use "with"')
        return self.server

    @property
    def url(self) -> str:
        host, port = self._running().server_address[:2]
        name = host.decode('ascii') if isinstance(host, bytes) else host
        return 'http://%s:%d' % ('[%s]' % name if ':' in name else name, port)

    @property
    def inspector_url(self) -> str:
        """The inspector page; open it in a browser (the key form asks for the API key)."""
        return self.url + '/_sandbox/'

    @property
    def api_key(self) -> str:
        return self._running().api_key

    @property
    def world(self) -> world_module.World:
        return self._running().service.world

    @property
    def store(self) -> Store:
        return self._running().service.store

    def reset(self) -> None:
        """Bring the state back to the world's seed and empty the request log (waits for
        the request in progress; new ones wait until it is done)."""
        server = self._running()
        app = server.app
        snapshot = app.seed_snapshot()      # built here: requests go on meanwhile
        server.call_in_loop(lambda: app.restore(snapshot))

    @property
    def requests(self) -> List[Dict[str, Any]]:
        """The request log, oldest first: method, path, query, status, durationMs,
        requestHeaders (secrets masked), requestBody and responseBody of each API request."""
        return self._running().app.log.entries()

    def clear_requests(self) -> None:
        self._running().app.log.clear()

    # -- rehearsed faults and the clock (WORLD.md) ---------------------------
    def inject_fault(self, method: str = '*', path: str = '*', *, regex: bool = False,
                     status: Optional[int] = None, retry_after: Optional[int] = None,
                     close: bool = False, close_after_work: bool = False,
                     delay: Optional[float] = None, times: int = 1) -> 'InjectedFault':
        """Make the next ``times`` API requests matching ``method`` (``*``: any) and ``path``
        (a glob, or a regular expression with ``regex=True``; whole path, no query) fail:
        answer ``status`` (409, 429, 500, 502, 503; ``retry_after`` seconds for 429 / 503),
        ``close`` the connection unanswered, ``close_after_work`` (run the request, then
        close unanswered) or answer after ``delay`` seconds. Give exactly one of them.
        The result is a context manager that removes the fault on exit::

            with sandbox.inject_fault('PUT', '/v2/customer_sessions/*', status=503):
                ...
        """
        spec: Dict[str, Any] = {'method': method, 'path': path, 'regex': regex,
                                'times': times}
        optional = (('status', status), ('retryAfter', retry_after), ('delay', delay))
        spec.update({name: value for name, value in optional if value is not None})
        if close:
            spec['close'] = True
        if close_after_work:
            spec['closeAfterWork'] = True
        app = self._running().app
        fault = self._running().call_in_loop(lambda: app.faults.add(spec))
        return InjectedFault(self, fault)

    @property
    def faults(self) -> List[Dict[str, Any]]:
        """The active faults, oldest first (as ``GET /_sandbox/faults`` lists them)."""
        app = self._running().app
        return self._running().call_in_loop(app.faults.listing)

    def clear_faults(self) -> None:
        app = self._running().app
        self._running().call_in_loop(app.faults.clear)

    def remove_fault(self, fault_id: int) -> bool:
        app = self._running().app
        return self._running().call_in_loop(lambda: app.faults.remove(fault_id))

    def advance_clock(self, amount: Union[float, datetime.timedelta]) -> datetime.datetime:
        """Move the sandbox clock forward (seconds or a timedelta); returns its new time.
        A reset puts it back to real time."""
        clock = self._running().service.clock
        return self._running().call_in_loop(lambda: clock.advance(amount))

    def now(self) -> datetime.datetime:
        """The sandbox clock's time."""
        return self._running().service.now()

    def configuration(self, **overrides: Any) -> 'Configuration':
        """A ``talon_one.Configuration`` pointing at this sandbox, key set; overrides win."""
        from talon_one.configuration import Configuration   # the SDK is optional here
        world = self.world
        if world.application_key:
            overrides.setdefault('application_id', world.application_id)
            overrides.setdefault('application_key', world.application_key)
        overrides.setdefault('host', self.url)
        overrides.setdefault('api_key', {'Authorization': self.api_key})
        return Configuration(**overrides)

    def __repr__(self) -> str:
        state = self.url if self.server else 'stopped'
        return '<Sandbox %s>' % state


class InjectedFault(object):
    """A fault injected with ``Sandbox.inject_fault``; as a context manager, removed on exit."""

    def __init__(self, sandbox: Sandbox, fault: Fault) -> None:
        self.sandbox = sandbox
        self.id = fault.id
        self._fault = fault

    @property
    def remaining(self) -> int:
        """How many more requests it will take (0 once used up or removed)."""
        listed = [f for f in self.sandbox.faults if f['id'] == self.id]
        return int(listed[0]['remaining']) if listed else 0

    def as_json(self) -> Dict[str, Any]:
        return self._fault.as_json()

    def clear(self) -> None:
        """Remove it (nothing happens when it is used up already)."""
        if self.sandbox.server is not None:
            self.sandbox.remove_fault(self.id)

    def __enter__(self) -> 'InjectedFault':
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    def __repr__(self) -> str:
        return '<InjectedFault %r>' % (self._fault,)
