"""The sandbox as an HTTP application: a parsed request in, a whole response out.

API routes (``/v1/...``, ``/v2/...``) are authenticated, answered in JSON and recorded in the
request log; the reserved prefix ``/_sandbox/`` holds the sandbox's own routes (control.py).
Every call runs on the server's loop thread, one at a time (a reset from another thread is
handed to that thread: ``SandboxHTTPServer.call_in_loop``), so no gate keeps requests and
resets apart.
"""

import sys
import time
import traceback
from typing import Any, Dict, Iterable, Optional, Tuple
from urllib.parse import parse_qsl, unquote, urlsplit

from talon_one.sandbox import compact_json
from talon_one.sandbox.errors import SandboxError, bad_request
from talon_one.sandbox.http import auth, idempotency, json_body, routes
from talon_one.sandbox.http.limits import Limits
from talon_one.sandbox.http.request_log import RequestLog
from talon_one.sandbox.http.wire import Request as WireRequest
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store import Store
from talon_one.sandbox.store.store import Snapshot
from talon_one.sandbox.world.seed import seed

JSON = 'application/json'
RESERVED_PREFIX = '/_sandbox/'


class Response(object):
    __slots__ = ('status', 'body', 'content_type', 'headers', 'close')

    def __init__(self, status: int, body: bytes = b'', content_type: Optional[str] = None,
                 headers: Iterable[Tuple[str, str]] = (), close: bool = False) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers)
        self.close = close


def json_response(status: int, document: Any, headers: Iterable[Tuple[str, str]] = ()) -> Response:
    if document is None:
        return Response(status, headers=headers)
    return Response(status, compact_json.dumps(document).encode('utf-8'), JSON, headers)


def error_response(exc: SandboxError) -> Response:
    headers = [('Allow', ', '.join(exc.allowed))] if isinstance(exc, routes.MethodNotAllowed) \
        else []
    return json_response(exc.status, exc.body(), headers)


def internal_error() -> Response:
    """A bug answers 500 (and is printed), never kills the server or the connection."""
    traceback.print_exc(file=sys.stderr)
    return error_response(SandboxError(500, 'internal sandbox error', title='Internal error'))


def split_target(target: str) -> Tuple[str, str]:
    """(path, query) of an origin-form (``/path?q``) or absolute-form (``http://h/path``)
    target."""
    if target.startswith('/'):
        path, _, query = target.partition('#')[0].partition('?')
        return path, query
    if target[:8].lower().startswith(('http://', 'https://')):
        try:
            parts = urlsplit(target)
        except ValueError as exc:       # e.g. 'http://[': a broken IPv6 host
            raise bad_request('malformed request target: %s' % exc) from None
        return parts.path or '/', parts.query
    raise bad_request('malformed request target: expected a path such as /v2/events')


class SandboxApp(object):
    """Routes, authentication, JSON, the request log and resets over one ``Service``."""

    def __init__(self, service: Service, api_key: str, limits: Limits, request_log_size: int,
                 seed_snapshot: Optional[Snapshot] = None, loopback: bool = True) -> None:
        from talon_one.sandbox.http.control import Control     # control renders pages of this app
        from talon_one.sandbox.http.faults import Faults        # faults answer with Responses
        self.service = service
        self.api_key = api_key
        self.limits = limits
        self.log = RequestLog(request_log_size)
        self.loopback = loopback
        self._seed_snapshot = seed_snapshot
        self.idempotency = idempotency.Idempotency()
        self.faults = Faults()
        self.control = Control(self)

    def handle(self, request: WireRequest) -> Response:
        started, clock = time.time(), time.perf_counter()
        try:
            path, query = split_target(request.target)
        except SandboxError as exc:
            path, query, response = request.target, '', error_response(exc)
        else:
            if path.startswith(RESERVED_PREFIX) or path == RESERVED_PREFIX[:-1]:
                # Not logged: the inspector's own refreshes would fill the log.
                return self.control.handle(request, path, query)
            fault = self.faults.take(request.method, path) if self.faults.active else None
            if fault is None:
                response = self.api(request, path, query)
            else:
                response = self.faults.apply(fault, self, request, path, query)
        self.log.record(request.method, path, query, request.headers, response.status, started,
                        time.perf_counter() - clock, request.body, response.body)
        return response

    def api(self, request: WireRequest, path: str, query: str) -> Response:
        """The answer of an Integration API request (not logged here)."""
        if idempotency.applies(request.method, request.headers):
            return self.idempotency.answer(self, request, path, query)
        try:
            route, params = self.authorized_route(request, path)
        except SandboxError as exc:
            return error_response(exc)
        except Exception:
            return internal_error()
        return self.run_route(route, params, request, query)

    def authorized_route(self, request: WireRequest,
                         path: str) -> Tuple[routes.Route, Dict[str, Any]]:
        """The route and its path parameters, once the request is authenticated."""
        segments = [unquote(s) for s in path.strip('/').split('/')]
        route, params = routes.resolve(request.method, segments)
        world = self.service.world
        auth.check(request.headers, request.body, route.v1, self.api_key, world.application_id,
                   world.application_key)
        return route, params

    def run_route(self, route: routes.Route, params: Dict[str, Any], request: WireRequest,
                  query: str) -> Response:
        """The answer of an authenticated request's operation (errors as answers)."""
        try:
            body = json_body.decode(request.body) if route.has_body else None
            pairs = parse_qsl(query, keep_blank_values=True)
            status, document = route.handler(self.service,
                                             Request(params, dict(pairs), body, pairs))
            return json_response(status, document)
        except SandboxError as exc:
            return error_response(exc)
        except Exception:
            return internal_error()

    # -- reset -------------------------------------------------------------
    def reset(self) -> None:
        """Back to the world's seed: state, id counters and the request log. The caller
        runs it where requests run (the loop's thread), so none is in progress."""
        self.restore(self.seed_snapshot())

    def restore(self, snapshot: Snapshot) -> None:
        self.service.store.restore(snapshot)    # kept Idempotency-Key answers go too
        self.log.clear()
        self.faults.clear()
        self.service.clock.reset()

    def seed_snapshot(self) -> Snapshot:
        """The seeded state; computed in memory once when this run did not seed (--db file)."""
        if self._seed_snapshot is None:
            fresh = Service(self.service.world, Store(None))
            seed(fresh)
            self._seed_snapshot = fresh.store.snapshot()
        return self._seed_snapshot
