"""The sandbox's own routes under ``/_sandbox/``: inspector page, request log, reset, faults
(faults.py) and the clock (clock.py).

All of them need the API key: the ``Authorization: ApiKey-v1 <key>`` header, or (for the GET
routes, when the sandbox listens on loopback only) the inspector cookie that
``GET /_sandbox/?key=<key>`` sets. The cookie holds a keyed hash of the key, never the key.
"""

import hashlib
import hmac
from typing import TYPE_CHECKING, Callable, Dict, Optional, Tuple
from urllib.parse import parse_qsl

from talon_one.sandbox.errors import SandboxError, bad_request
from talon_one.sandbox.http import auth, inspector, json_body
from talon_one.sandbox.http.app import Response, error_response, internal_error, json_response
from talon_one.sandbox.http.faults import FaultError
from talon_one.sandbox.http.routes import MethodNotAllowed
from talon_one.sandbox.http.wire import Request as WireRequest

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.http.app import SandboxApp

PAGE_PATH = '/_sandbox/'
COOKIE = 'talon_sandbox_inspector'
HTML = 'text/html; charset=utf-8'
_PAGE_HEADERS = (
    ('Cache-Control', 'no-store'),
    ('X-Content-Type-Options', 'nosniff'),
    ('Referrer-Policy', 'no-referrer'),
    # No script runs on these pages, whatever a value in the state contains.
    ('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; "
                                "form-action 'self'; frame-ancestors 'none'"),
)


def _cookies(header: str) -> Dict[str, str]:
    found: Dict[str, str] = {}
    for piece in header.split(';'):
        name, _, value = piece.strip().partition('=')
        found[name] = value
    return found


class Control(object):
    def __init__(self, app: 'SandboxApp') -> None:
        self.app = app
        self._token = hmac.new(app.api_key.encode('utf-8'), b'talon-one-sandbox-inspector',
                               hashlib.sha256).hexdigest()
        self._routes: Dict[Tuple[str, str], Callable[[WireRequest, Dict[str, str]], Response]] = {
            ('GET', PAGE_PATH): self._page,
            ('GET', PAGE_PATH + 'requests'): self._requests,
            ('POST', PAGE_PATH + 'reset'): self._reset,
            ('GET', PAGE_PATH + 'faults'): self._faults,
            ('POST', PAGE_PATH + 'faults'): self._add_fault,
            ('DELETE', PAGE_PATH + 'faults'): self._clear_faults,
            ('GET', PAGE_PATH + 'clock'): self._clock,
            ('POST', PAGE_PATH + 'clock'): self._move_clock,
            ('DELETE', PAGE_PATH + 'clock'): self._reset_clock,
        }

    def handle(self, request: WireRequest, path: str, query: str) -> Response:
        if path == PAGE_PATH[:-1]:
            return Response(308, headers=[('Location', PAGE_PATH)])
        method = 'GET' if request.method == 'HEAD' else request.method
        handler = self._routes.get((method, path))
        try:
            if handler is None:
                allowed = [m for (m, p) in self._routes if p == path]
                if allowed:
                    raise MethodNotAllowed(request.method,
                                           allowed + (['HEAD'] if 'GET' in allowed else []))
                raise SandboxError(404, 'no such sandbox route: %s %s' % (request.method, path),
                                   title='Not found')
            return handler(request, dict(parse_qsl(query, keep_blank_values=True)))
        except SandboxError as exc:
            return error_response(exc)
        except Exception:
            return internal_error()

    # -- authentication ----------------------------------------------------
    def _has_key(self, request: WireRequest) -> bool:
        return auth.key_matches(request.headers.get('authorization', ''), self.app.api_key)

    def _has_cookie(self, request: WireRequest) -> bool:
        value = _cookies(request.headers.get('cookie', '')).get(COOKIE, '')
        return hmac.compare_digest(value.encode('latin-1'), self._token.encode('ascii'))

    def _authorized(self, request: WireRequest, cookie_ok: bool) -> bool:
        return self._has_key(request) or (cookie_ok and self.app.loopback and \
            self._has_cookie(request))

    def _require_key(self, request: WireRequest, cookie_ok: bool) -> None:
        if not self._authorized(request, cookie_ok):
            raise SandboxError(401, 'the sandbox routes need the API key: send '
                                    '"Authorization: ApiKey-v1 <key>"', title='Unauthorized')

    # -- routes ------------------------------------------------------------
    def _page(self, request: WireRequest, query: Dict[str, str]) -> Response:
        if 'key' in query:
            return self._key_form(query['key'])
        if not self._authorized(request, cookie_ok=True):
            return self._html(401, inspector.login_page(self.app.loopback, wrong=False))
        return self._html(200, inspector.render(self.app))

    def _key_form(self, key: str) -> Response:
        """``?key=``: check the key, set the cookie, redirect to the page without the key."""
        if not self.app.loopback:
            return self._html(403, inspector.login_page(False, wrong=False))
        if not hmac.compare_digest(key.encode('utf-8'), self.app.api_key.encode('utf-8')):
            return self._html(401, inspector.login_page(True, wrong=True))
        cookie = '%s=%s; Path=%s; HttpOnly; SameSite=Strict' % (COOKIE, self._token, PAGE_PATH)
        return Response(303, headers=[('Location', PAGE_PATH), ('Set-Cookie', cookie),
                                      ('Cache-Control', 'no-store')])

    def _requests(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=True)
        limit = _limit(query.get('limit'))
        entries = self.app.log.entries(limit)
        return json_response(200, {'totalResultSize': len(entries), 'capacity': self.app.log.size,
                                   'data': entries})

    def _reset(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=False)     # no cookie: no cross-site resets
        self.app.reset()
        return Response(204)

    # -- faults and the clock (no cookie for changes: nothing cross-site) ----
    def _faults(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=True)
        return json_response(200, {'data': self.app.faults.listing()})

    def _add_fault(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=False)
        spec = json_body.decode(request.body)
        try:
            fault = self.app.faults.add(spec)
        except FaultError as exc:
            raise bad_request(str(exc), pointer='/' + exc.field if exc.field else None) from None
        return json_response(201, fault.as_json())

    def _clear_faults(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=False)
        if 'id' not in query:
            self.app.faults.clear()
            return Response(204)
        fault_id = _limit(query['id'], 'id')
        if fault_id is None or not self.app.faults.remove(fault_id):
            raise SandboxError(404, 'no active fault with id %r' % query['id'][:40],
                               title='Not found')
        return Response(204)

    def _clock(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=True)
        return json_response(200, self.app.service.clock.as_json())

    def _move_clock(self, request: WireRequest, query: Dict[str, str]) -> Response:
        """``{"advanceSeconds": N}``: the sandbox clock moves N seconds forward."""
        self._require_key(request, cookie_ok=False)
        spec = json_body.decode(request.body)
        unknown = sorted(set(spec) - {'advanceSeconds'})
        amount = spec.get('advanceSeconds')
        if unknown or isinstance(amount, bool) or not isinstance(amount, (int, float)):
            raise bad_request('clock: send {"advanceSeconds": <seconds, >= 0>}',
                              pointer='/' + (unknown[0] if unknown else 'advanceSeconds'))
        try:
            self.app.service.clock.advance(amount)
        except (ValueError, OverflowError) as exc:
            raise bad_request('advanceSeconds: %s' % exc, pointer='/advanceSeconds') from None
        return json_response(200, self.app.service.clock.as_json())

    def _reset_clock(self, request: WireRequest, query: Dict[str, str]) -> Response:
        self._require_key(request, cookie_ok=False)
        self.app.service.clock.reset()
        return json_response(200, self.app.service.clock.as_json())

    @staticmethod
    def _html(status: int, page: str) -> Response:
        return Response(status, page.encode('utf-8'), HTML, _PAGE_HEADERS)


def _limit(raw: Optional[str], name: str = 'limit') -> Optional[int]:
    if raw is None or raw == '':
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise bad_request('query parameter %s: must be an integer >= 0, got %r'
                          % (name, raw[:40]), parameter=name)
    return int(raw)
