"""Rehearsed faults: the next N API requests that match answer with a failure.

A fault matches a method (``*`` = any) and a path: a glob (``fnmatch``: ``*`` matches any
characters, ``/`` included; ``?`` one character; ``[...]`` a set) over the whole path as sent,
without the query, or with ``regex`` a Python regular expression that must match the whole
path (``re.fullmatch``). It fires for the next ``times`` requests that match (default 1),
then is gone. When several match, the oldest fires. What it does:

- ``status``: answer 409, 429, 500, 502 or 503 in the API's error shape, without running the
  request; 429 carries ``Retry-After`` (``retryAfter`` seconds, default 1), 503 when
  ``retryAfter`` is given;
- ``close``: close the connection without an answer, without running the request;
- ``closeAfterWork``: run the request (its changes are stored, in the ``--db`` file too),
  then close the connection without an answer: the "did it happen?" case;
- ``delay``: run the request, and send its answer ``delay`` seconds later (other
  connections are served meanwhile; later requests on the same connection wait their turn).

Faults apply to the Integration API routes only (never ``/_sandbox/``), before authentication
and before ``Idempotency-Key``; the request log records a faulted request with the status the
client got (0 when it got none: ``close``; the operation's status for ``closeAfterWork``).
They live in memory only (a restart or a reset clears them) and are changed only on the
server's loop thread.
"""

import fnmatch
import itertools
import math
import re
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Pattern

from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.http.app import Response, error_response

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.http.app import SandboxApp
    from talon_one.sandbox.http.wire import Request as WireRequest

STATUS, CLOSE, CLOSE_AFTER_WORK, DELAY = 'status', 'close', 'closeAfterWork', 'delay'
TITLES = {409: 'Conflict', 429: 'Too many requests', 500: 'Internal server error',
          502: 'Bad gateway', 503: 'Service unavailable'}
MAX_DELAY = 300.0       # seconds
MAX_TIMES = 1000000
MAX_RETRY_AFTER = 86400
_FIELDS = ('method', 'path', 'regex', 'times', 'status', 'retryAfter', 'close',
           'closeAfterWork', 'delay')
_METHOD = re.compile(r'^[A-Z]+$')


class FaultResponse(Response):
    """An answer the server must not send as it is: ``kind`` is ``close``,
    ``closeAfterWork`` (nothing is sent, the connection is closed) or ``delay``."""

    __slots__ = ('delay', 'kind')

    def __init__(self, kind: str, response: Optional[Response] = None,
                 delay: float = 0.0) -> None:
        if response is None:
            super().__init__(0)
        else:
            super().__init__(response.status, response.body, response.content_type,
                             response.headers, response.close)
        self.kind = kind
        self.delay = delay


class FaultError(ValueError):
    """A fault that cannot be: ``field`` names what is wrong ('' for the fault as a whole)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__('fault%s: %s' % (' ' + field if field else '', message))
        self.field = field


def _invalid(field: str, message: str) -> FaultError:
    return FaultError(field, message)


def _number(spec: Mapping[str, Any], field: str, low: float, high: float,
            integer: bool) -> Optional[float]:
    value = spec.get(field)
    if value is None:
        return None
    ok = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok or not math.isfinite(value) or \
            not low <= value <= high:
        raise _invalid(field, 'must be %s from %g to %g, got %r'
                       % ('an integer' if integer else 'a number', low, high, value))
    return float(value)


class Fault(object):
    __slots__ = ('delay', 'id', 'kind', 'matcher', 'method', 'path', 'regex', 'remaining',
                 'retry_after', 'status', 'times')

    def __init__(self, fault_id: int, spec: Mapping[str, Any]) -> None:
        """Checked from its JSON form (``POST /_sandbox/faults``); ValueError names the field."""
        unknown = sorted(set(spec) - set(_FIELDS))
        if unknown:
            raise _invalid(unknown[0], 'unknown field (known: %s)' % ', '.join(_FIELDS))
        method = spec.get('method', '*')
        if not isinstance(method, str) or not (method == '*' or _METHOD.match(method.upper())):
            raise _invalid('method', 'must be an HTTP method or "*", got %r' % (method,))
        path = spec.get('path', '*')
        regex = spec.get('regex', False)
        if not isinstance(regex, bool):
            raise _invalid('regex', 'must be true or false, got %r' % (regex,))
        if not isinstance(path, str) or not path:
            raise _invalid('path', 'must be a non-empty string, got %r' % (path,))
        try:
            matcher: Pattern[str] = re.compile(path if regex else fnmatch.translate(path))
        except re.error as exc:
            raise _invalid('path', 'not a regular expression: %s' % exc) from None
        kinds = [kind for kind, given in (
            (STATUS, spec.get('status') is not None), (CLOSE, spec.get('close') is True),
            (CLOSE_AFTER_WORK, spec.get('closeAfterWork') is True),
            (DELAY, spec.get('delay') is not None)) if given]
        for flag in ('close', 'closeAfterWork'):
            if spec.get(flag) not in (None, True, False):
                raise _invalid(flag, 'must be true or false, got %r' % (spec.get(flag),))
        if len(kinds) != 1:
            raise _invalid('', 'give exactly one of status, close, closeAfterWork, delay '
                           '(got %s)' % (', '.join(kinds) or 'none'))
        status = spec.get('status')
        if status is not None and (isinstance(status, bool) or status not in TITLES):
            raise _invalid('status', 'must be one of %s, got %r'
                           % (', '.join(map(str, sorted(TITLES))), status))
        retry_after = _number(spec, 'retryAfter', 0, MAX_RETRY_AFTER, integer=True)
        if retry_after is not None and status not in (429, 503):
            raise _invalid('retryAfter', 'only with status 429 or 503')
        delay = _number(spec, 'delay', 0, MAX_DELAY, integer=False)
        times = _number(spec, 'times', 1, MAX_TIMES, integer=True)
        self.id = fault_id
        self.method = method.upper()
        self.path = path
        self.regex = regex
        self.matcher = matcher
        self.kind = kinds[0]
        self.status: Optional[int] = status
        self.retry_after = int(retry_after) if retry_after is not None else \
            (1 if status == 429 else None)
        self.delay = delay
        self.times = int(times or 1)
        self.remaining = self.times

    def matches(self, method: str, path: str) -> bool:
        return (self.method == '*' or self.method == method) and \
            self.matcher.fullmatch(path) is not None

    def as_json(self) -> Dict[str, Any]:
        doc: Dict[str, Any] = {'id': self.id, 'method': self.method, 'path': self.path,
                               'regex': self.regex, 'type': self.kind, 'times': self.times,
                               'remaining': self.remaining}
        if self.status is not None:
            doc['status'] = self.status
        if self.retry_after is not None:
            doc['retryAfter'] = self.retry_after
        if self.delay is not None:
            doc['delay'] = self.delay
        return doc

    def __repr__(self) -> str:
        return '<fault %d %s %s %s x%d>' % (self.id, self.method, self.path, self.kind,
                                             self.remaining)


class Faults(object):
    """The active faults of one app, oldest first."""

    def __init__(self) -> None:
        self.active: List[Fault] = []
        self._ids = itertools.count(1)

    def add(self, spec: Mapping[str, Any]) -> Fault:
        fault = Fault(next(self._ids), spec)
        self.active.append(fault)
        return fault

    def take(self, method: str, path: str) -> Optional[Fault]:
        """The fault for this request, counted down (and gone once used up), or None."""
        for fault in self.active:
            if fault.matches(method, path):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self.active.remove(fault)
                return fault
        return None

    def remove(self, fault_id: int) -> bool:
        for fault in self.active:
            if fault.id == fault_id:
                self.active.remove(fault)
                return True
        return False

    def clear(self) -> None:
        del self.active[:]

    def listing(self) -> List[Dict[str, Any]]:
        return [fault.as_json() for fault in self.active]

    @staticmethod
    def apply(fault: Fault, app: 'SandboxApp', request: 'WireRequest', path: str,
              query: str) -> Response:
        """The answer of a request that ``fault`` took."""
        if fault.kind == STATUS:
            assert fault.status is not None
            headers = [('Retry-After', str(fault.retry_after))] \
                if fault.retry_after is not None else []
            error = SandboxError(fault.status, '%s (a fault injected with POST /_sandbox/faults, '
                                               'id %d)' % (TITLES[fault.status], fault.id),
                                 title=TITLES[fault.status])
            response = error_response(error)
            response.headers.extend(headers)
            return response
        if fault.kind == CLOSE:
            return FaultResponse(CLOSE)
        done = app.api(request, path, query)
        if fault.kind == CLOSE_AFTER_WORK:
            return FaultResponse(CLOSE_AFTER_WORK, done)
        return FaultResponse(DELAY, done, fault.delay or 0.0)
