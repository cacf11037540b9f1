"""``Idempotency-Key`` on the write routes: the first answer to a key is kept and replayed.

The API documents the header for ``POST /v2/customer_sessions/{id}/returns``: keys of at most
255 characters, responses kept for 24 hours. The sandbox honours it on every write route
(POST, PUT, DELETE): a retried write is the same problem on all of them. GET and HEAD ignore it.

A key is scoped by the application, the method and the path (as sent, without the query):
``POST /v2/events`` and ``PUT /v2/customer_sessions/S1`` may use the same key for different
requests. What is kept, as a store document of kind ``idempotency`` (so it is in the
``--db`` file, written in the same transaction as the work it answers, and a reset removes
it): the answer's status, headers and body, a fingerprint of the request (its JSON body,
compared as JSON: key order and spacing do not count, and its query string) and when it
expires (24 hours of the sandbox clock after the first request).

- the same key, method, path and request again: the kept answer, with the header
  ``Idempotent-Replayed: true``; the operation does not run again;
- the same key with another body or query: ``422`` naming the key (the API does not say what
  it answers; 422 is what the IETF draft "The Idempotency-Key HTTP Header Field" gives for a
  key reused with another payload); nothing runs and the kept answer stays;
- an empty key, or one longer than 255 characters: ``400`` naming the header.

Answers that say "try again" are not kept, so a retry with the same key runs the request:
401 and 403 (no valid key), 409 (an entity was busy), 429 and every 5xx. A request the
sandbox refused before it ran (404 route, 405, 400 body) is kept like any other answer: it
would be refused again.
"""

import datetime
import hashlib
import json
from typing import TYPE_CHECKING, List, Mapping, Optional, Tuple
from urllib.parse import parse_qsl

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import SandboxError, bad_request

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.http.app import Response, SandboxApp
    from talon_one.sandbox.http.wire import Request as WireRequest

HEADER = 'idempotency-key'          # as the wire parser keys it (lower-case)
HEADER_NAME = 'Idempotency-Key'
REPLAYED = 'Idempotent-Replayed'
MAX_KEY_LENGTH = 255
KEPT_FOR = datetime.timedelta(hours=24)
KIND = 'idempotency'
METHODS = frozenset(('POST', 'PUT', 'DELETE', 'PATCH'))
_NOT_KEPT = frozenset((401, 403, 409, 429))     # and 5xx: "try again" answers
_SWEEP_EVERY = 500          # new keys between two sweeps of the expired ones


def applies(method: str, headers: Mapping[str, str]) -> bool:
    """True when a request asks for idempotency (a write route with the header)."""
    return HEADER in headers and method in METHODS


def fingerprint(query: str, body: bytes) -> str:
    """What must match for a replay: the body (as JSON when it is JSON) and the query."""
    digest = hashlib.sha256()
    digest.update(json.dumps(sorted(parse_qsl(query, keep_blank_values=True))).encode('utf-8'))
    digest.update(b'\0')
    if body:
        try:
            canonical = json.dumps(json.loads(body.decode('utf-8')), sort_keys=True,
                                   separators=(',', ':')).encode('utf-8')
        except (ValueError, RecursionError):    # not JSON: the bytes as sent
            canonical = b'raw:' + body
        digest.update(canonical)
    return digest.hexdigest()


def check_key(headers: Mapping[str, str]) -> str:
    key = headers[HEADER]
    if not key or len(key) > MAX_KEY_LENGTH:
        raise bad_request('header %s: must be 1 to %d characters, got %d'
                          % (HEADER_NAME, MAX_KEY_LENGTH, len(key)), parameter=HEADER_NAME)
    return key


def _kept(response: 'Response') -> bool:
    return response.status < 500 and response.status not in _NOT_KEPT


class Idempotency(object):
    """The kept answers of one app (documents in its store)."""

    def __init__(self) -> None:
        self._stored_since_sweep = 0

    def answer(self, app: 'SandboxApp', request: 'WireRequest', path: str,
               query: str) -> 'Response':
        """The answer to a write request that carries the header (``applies``)."""
        from talon_one.sandbox.http.app import Response, error_response
        try:
            route, params = app.authorized_route(request, path)     # 404 / 405 / 401 first
            key = check_key(request.headers)
        except SandboxError as exc:
            return error_response(exc)
        svc = app.service
        slot = '%d %s %s %s' % (svc.world.application_id, request.method, path, key)
        now = svc.now()
        stamp = timeutil.fmt(now)
        sent = fingerprint(query, request.body)
        kept = svc.store.get(KIND, slot)
        if kept is not None and kept['expires'] > stamp:
            if kept['fingerprint'] != sent:
                return error_response(SandboxError(
                    422, 'header %s: the key %r was already used for %s %s with another '
                         'body or query (kept until %s); send a new key for a new request'
                         % (HEADER_NAME, key, request.method, path, kept['expires']),
                    title='Unprocessable entity', parameter=HEADER_NAME))
            headers: List[Tuple[str, str]] = [(str(n), str(v)) for n, v in kept['headers']]
            headers.append((REPLAYED, 'true'))
            body = kept['body'].encode('utf-8')
            return Response(kept['status'], body, kept['contentType'], headers)
        response = app.run_route(route, params, request, query)
        if _kept(response):
            self._keep(app, slot, sent, now, response)
        return response

    def _keep(self, app: 'SandboxApp', slot: str, sent: str, now: datetime.datetime,
              response: 'Response') -> None:
        try:
            body = response.body.decode('utf-8')
        except UnicodeDecodeError:      # pragma: no cover -- every answer is JSON or empty
            return
        doc: Doc = {'fingerprint': sent, 'created': timeutil.fmt(now),
                    'expires': timeutil.fmt(now + KEPT_FOR), 'status': response.status,
                    'contentType': response.content_type,
                    'headers': [[name, value] for name, value in response.headers],
                    'body': body}
        store = app.service.store
        store.commit({(KIND, slot): doc})
        self._stored_since_sweep += 1
        if self._stored_since_sweep >= _SWEEP_EVERY:
            self.sweep(app, now)

    def sweep(self, app: 'SandboxApp', now: Optional[datetime.datetime] = None) -> int:
        """Forget the expired answers; how many there were."""
        self._stored_since_sweep = 0
        store = app.service.store
        stamp = timeutil.fmt(now or app.service.now())
        expired = [slot for slot, doc in store.items(KIND) if doc['expires'] <= stamp]
        if expired:
            store.commit({(KIND, slot): None for slot in expired})
        return len(expired)
