"""A real HTTP/1.1 server on 127.0.0.1 for wire-level tests.

Each test queues canned replies and inspects what the client sent::

    http_server.respond(200, {'id': 1})                    # JSON reply
    http_server.respond(503, headers={'Retry-After': '0'})
    http_server.drop_connection()                          # close without answering
    http_server.respond(200, {}, delay=2.0)                # answer late
    http_server.hang()                                     # never answer (until stop)
    http_server.handler = lambda request: Reply(...)       # dynamic replies

    request = http_server.requests[-1]
    request.method, request.path, request.query, request.headers, request.body, request.json

Queued replies are used first, in order; then ``handler`` if set; otherwise
``default_reply`` (a 500 saying that nothing was queued, so a missing reply is loud).
"""

import json
import os
import ssl
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, parse_qsl, urlsplit

_NO_JSON = object()

# Self-signed certificate for 127.0.0.1 and localhost (valid 2000-2100), used by
# ``TestHTTPServer(tls=True)``. Test data only: the key protects nothing.
TEST_TLS_KEY = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgURO/dKt+ClWSTK6y
L3rTQbXnau+R1kAlejTzhQgN5nyhRANCAASoQjcqj25XJU6wWUFvxWZgTjZUziDI
6oEqkNBsKeWCryPeP8RGYhI6KlEDtm2OU8PjT8gkQO/c6IQ/JR7DH0il
-----END PRIVATE KEY-----
"""
TEST_TLS_CERT = """\
-----BEGIN CERTIFICATE-----
MIIBujCCAV+gAwIBAgIBATAKBggqhkjOPQQDAjAZMRcwFQYDVQQDDA50YWxvbi1v
bmUtdGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowGTEXMBUG
A1UEAwwOdGFsb24tb25lLXRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASo
Qjcqj25XJU6wWUFvxWZgTjZUziDI6oEqkNBsKeWCryPeP8RGYhI6KlEDtm2OU8Pj
T8gkQO/c6IQ/JR7DH0ilo4GVMIGSMBoGA1UdEQQTMBGHBH8AAAGCCWxvY2FsaG9z
dDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIChDATBgNVHSUEDDAKBggr
BgEFBQcDATAdBgNVHQ4EFgQUin5yQrJUs+SBKe6t9EyR16Ek9UswHwYDVR0jBBgw
FoAUin5yQrJUs+SBKe6t9EyR16Ek9UswCgYIKoZIzj0EAwIDSQAwRgIhALlN9hXW
gxqXtphg9v0KqMx5kELK5SAyaLB5MPzkLfe9AiEAnledInfwQu2bYs0jy/deYxjb
lO3CxXC387Z22+kICG8=
-----END CERTIFICATE-----
"""


class RecordedRequest(object):
    """One request as the server received it."""

    def __init__(self, method, raw_path, headers, body):
        self.method = method
        self.raw_path = raw_path          # exactly as sent, query included
        split = urlsplit(raw_path)
        self.path = split.path            # still percent-encoded
        self.query_string = split.query
        self.query = parse_qs(split.query, keep_blank_values=True)         # name -> [values]
        self.query_list = parse_qsl(split.query, keep_blank_values=True)   # [(name, value)]
        self.headers = headers            # case-insensitive (http.client.HTTPMessage)
        self.body = body                  # raw bytes

    @property
    def json(self):
        """The body parsed as JSON (None for an empty body)."""
        if not self.body:
            return None
        return json.loads(self.body.decode('utf-8'))

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def __repr__(self):
        return 'RecordedRequest(%s %s, %d body bytes)' % (self.method, self.raw_path,
                                                          len(self.body))


class Reply(object):
    """What the server does with one request.

    ``delay``: seconds to wait first (None = wait until the server stops);
    ``drop``: close the connection without sending a response.
    """

    def __init__(self, status=200, json_body=_NO_JSON, headers=None, body=None, delay=0.0,
                 drop=False):
        self.status = status
        self.headers = dict(headers or {})
        if json_body is not _NO_JSON:
            body = json.dumps(json_body).encode('utf-8')
            self.headers.setdefault('Content-Type', 'application/json')
        if isinstance(body, str):
            body = body.encode('utf-8')
        self.body = body or b''
        self.delay = delay
        self.drop = drop


class TestHTTPServer(object):
    """Threaded server on a free port of 127.0.0.1; see the module docstring."""

    __test__ = False  # not a pytest test class

    def __init__(self, tls=False):
        self.requests = []
        self.handler = None
        self.default_reply = Reply(500, {'message': 'test server: no reply queued'})
        self._replies = []
        self._lock = threading.Condition()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._server.owner = self
        self._thread = None
        self._tls_dir = None
        self.ca_cert_path = None  # with tls=True: trust this file to verify the server
        if tls:
            self._enable_tls()

    def _enable_tls(self):
        self._tls_dir = tempfile.TemporaryDirectory(prefix='talon-one-tls-')
        cert_path = os.path.join(self._tls_dir.name, 'cert.pem')
        key_path = os.path.join(self._tls_dir.name, 'key.pem')
        with open(cert_path, 'w') as handle:
            handle.write(TEST_TLS_CERT)
        with open(key_path, 'w') as handle:
            handle.write(TEST_TLS_KEY)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.ca_cert_path = cert_path

    @property
    def host(self):
        return self._server.server_address[0]

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        scheme = 'https' if self.ca_cert_path else 'http'
        return '%s://%s:%d' % (scheme, self.host, self.port)

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={'poll_interval': 0.01}, daemon=True,
                                        name='test-http-server')
        self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._tls_dir is not None:
            self._tls_dir.cleanup()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- queueing replies ------------------------------------------------------------

    def queue(self, reply, times=1):
        with self._lock:
            self._replies.extend([reply] * times)
        return reply

    def respond(self, status=200, json_body=_NO_JSON, headers=None, *, body=None, delay=0.0,
                times=1):
        """Queue a reply; ``json_body`` is sent as JSON, ``body`` (bytes/str) as is."""
        return self.queue(Reply(status, json_body, headers, body, delay), times)

    def drop_connection(self, times=1, delay=0.0):
        """Queue closing the connection without an answer."""
        return self.queue(Reply(drop=True, delay=delay), times)

    def hang(self, times=1):
        """Queue never answering (the request waits until the server stops)."""
        return self.queue(Reply(delay=None, drop=True), times)

    @property
    def pending_replies(self):
        with self._lock:
            return len(self._replies)

    # -- inspecting requests ---------------------------------------------------------

    @property
    def last_request(self):
        return self.requests[-1]

    def wait_for_requests(self, count, timeout=10.0):
        """Block until ``count`` requests have arrived; False on timeout."""
        return self.wait_for(lambda requests: len(requests) >= count, timeout)

    def wait_for(self, predicate, timeout=10.0):
        """Block until ``predicate(requests)`` is true; False on timeout.

        Usable from a ``handler`` too, e.g. to answer one request only after another
        has arrived.
        """
        with self._lock:
            return self._lock.wait_for(lambda: predicate(self.requests), timeout)

    # -- used by the handler ---------------------------------------------------------

    def _receive(self, request):
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()
            if self._replies:
                return self._replies.pop(0)
        if self.handler is not None:
            return self.handler(request) or self.default_reply
        return self.default_reply

    def _wait(self, delay):
        """Sleep ``delay`` seconds (None: until stop); False if the server is stopping."""
        if delay is None:
            self._stopping.wait()
            return False
        if delay:
            return not self._stopping.wait(delay)
        return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'talon-one-test-server'
    timeout = 30  # idle keep-alive connections
    # Headers and body go out in two writes; with Nagle's algorithm the second waits
    # for the client's delayed ACK (~40 ms per request).
    disable_nagle_algorithm = True

    def _handle(self):
        owner = self.server.owner
        body = self._read_body()
        request = RecordedRequest(self.command, self.path, self.headers, body)
        reply = owner._receive(request)
        if not owner._wait(reply.delay) or reply.drop:
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        has_body = self.command != 'HEAD' and reply.status not in (204, 304)
        if has_body or reply.body:
            self.send_header('Content-Length', str(len(reply.body)))
        self.end_headers()
        if has_body and reply.body:
            self.wfile.write(reply.body)

    def _read_body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return b''.join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format, *args):  # keep test output clean
        pass
