"""HTTP layer: limits, routing, auth, JSON in and out, errors in the API shape."""

import json
import logging
import math
import sys
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from talon_one.sandbox import auth, routes
from talon_one.sandbox.errors import SandboxError, bad_request
from talon_one.sandbox.service import Request

LOG = logging.getLogger('talon_one.sandbox')
DEFAULT_MAX_BODY = 2 * 1024 * 1024
_DRAIN_LIMIT = 64 * 1024 * 1024
MAX_JSON_DEPTH = 64     # no API body nests anywhere near this; deeper is an attack or a bug
_TOO_DEEP = 'malformed JSON body: nested deeper than %d levels' % MAX_JSON_DEPTH


def _no_constants(name):
    raise ValueError('%s is not valid JSON' % name)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):    # e.g. 1e400: JSON has no infinity
        raise ValueError('number %s is out of range' % text)
    return value


def _too_deep(value, limit=MAX_JSON_DEPTH):
    """True when arrays/objects nest more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


class SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, service, api_key, max_body=DEFAULT_MAX_BODY):
        self.service = service
        self.api_key = api_key
        self.max_body = max_body
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'TalonOneSandbox/1.0'

    def do_GET(self):
        self._handle('GET')

    def do_PUT(self):
        self._handle('PUT')

    def do_POST(self):
        self._handle('POST')

    def do_DELETE(self):
        self._handle('DELETE')

    def do_PATCH(self):
        self._handle('PATCH')

    def log_message(self, fmt, *args):
        LOG.info('%s %s', self.address_string(), fmt % args)

    def _handle(self, method):
        try:
            status, body = self._dispatch(method)
        except SandboxError as exc:
            status, body = exc.status, exc.body()
        except Exception:   # a bug must answer 500, never kill the server
            traceback.print_exc(file=sys.stderr)
            status = 500
            body = SandboxError(500, 'internal sandbox error', title='Internal error').body()
        self._send(status, body)

    def _read_body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            self.close_connection = True
            raise SandboxError(411, 'chunked bodies are not supported; send Content-Length',
                               title='Length required')
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True    # we cannot tell where this body ends
            raise bad_request('invalid Content-Length header')
        if length > self.server.max_body:
            self._drain(length)
            raise SandboxError(413, 'request body of %d bytes is over the limit of %d bytes'
                               % (length, self.server.max_body), title='Payload too large')
        return self.rfile.read(length) if length else b''

    def _drain(self, length):
        """Read (and drop) an oversized body so the client can read our answer."""
        if length > _DRAIN_LIMIT:
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, 65536))
            if not chunk:
                break
            length -= len(chunk)

    def _dispatch(self, method):
        raw = self._read_body()
        url = urlsplit(self.path)
        segments = [unquote(s) for s in url.path.strip('/').split('/')]
        route, params = routes.resolve(method, segments)
        service = self.server.service
        world = service.world
        auth.check(self.headers, raw, route.v1, self.server.api_key, world.application_id,
                   world.application_key)
        body = None
        if route.has_body:
            body = self._json(raw)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        return route.handler(service, Request(params, query, body))

    @staticmethod
    def _json(raw):
        if not raw.strip():
            raise bad_request('a JSON request body is required', pointer='')
        try:
            body = json.loads(raw.decode('utf-8'), parse_constant=_no_constants,
                              parse_float=_finite_float)
        except (UnicodeDecodeError, ValueError) as exc:
            raise bad_request('malformed JSON body: %s' % exc, pointer='')
        except RecursionError:      # the decoder recurses per level; far too deep
            raise bad_request(_TOO_DEEP, pointer='')
        if isinstance(body, (dict, list)) and _too_deep(body):
            raise bad_request(_TOO_DEEP, pointer='')
        if not isinstance(body, dict):     # every request body of the API is an object
            raise bad_request('the request body must be a JSON object', pointer='')
        return body

    def _send(self, status, body):
        payload = b'' if body is None else json.dumps(body, separators=(',', ':')).encode('utf-8')
        try:
            self.send_response(status)
            if body is not None:
                self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(payload)))
            if self.close_connection:
                self.send_header('Connection', 'close')
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
