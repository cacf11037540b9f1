"""The sandbox's TCP server: a listen backlog, one thread per connection, keep-alive.

Each connection reads requests (http_wire), hands them to the application (app) and writes
each answer in one ``sendall`` with ``TCP_NODELAY``. Limits and timeouts: limits.Limits.
"""

import logging
import selectors
import socket
import socketserver
import threading
from typing import Any, Set, Tuple

from talon_one.sandbox import http_wire
from talon_one.sandbox.app import Response, SandboxApp, error_response, internal_error
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.limits import Limits

LOG = logging.getLogger('talon_one.sandbox')


def is_loopback(host: str) -> bool:
    return host in ('127.0.0.1', '::1', 'localhost')


class SandboxHTTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self.limits: Limits = app.limits
        self.request_queue_size = self.limits.backlog     # read by server_activate's listen()
        self._open: Set[socket.socket] = set()
        self._open_lock = threading.Lock()
        # serve_forever waits on the listening socket and on this pair, so that shutdown()
        # returns at once instead of after the next poll interval.
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._stop_requested = False
        self._stopped = threading.Event()
        self._stopped.set()
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, ConnectionHandler)

    @property
    def service(self) -> Any:
        return self.app.service

    @property
    def api_key(self) -> str:
        return self.app.api_key

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self, selectors.EVENT_READ)
                selector.register(self._wake_reader, selectors.EVENT_READ)
                while not self._stop_requested:
                    for key, _ in selector.select(poll_interval):
                        if key.fileobj is self._wake_reader:
                            self._wake_reader.recv(64)
                        elif not self._stop_requested:
                            # socketserver's own accept-and-dispatch step (not in typeshed)
                            self._handle_request_noblock()  # type: ignore[attr-defined]
                    self.service_actions()
        finally:
            self._stop_requested = False
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop serve_forever (running in another thread) and wait until it has."""
        self._stop_requested = True
        self._wake_writer.send(b'x')
        self._stopped.wait()

    def process_request(self, request: Any, client_address: Any) -> None:  # a TCP socket
        with self._open_lock:
            full = len(self._open) >= self.limits.max_connections
            if not full:
                self._open.add(request)
        if full:    # answered here, in the accepting thread: a fresh socket takes it at once
            self._refuse(request)
            return
        super().process_request(request, client_address)

    def _refuse(self, sock: socket.socket) -> None:
        error = SandboxError(503, 'more than %d open connections; retry shortly'
                             % self.limits.max_connections, title='Service unavailable')
        response = error_response(error)
        try:
            sock.settimeout(1.0)
            sock.sendall(http_wire.response_bytes(response.status, response.body,
                                                  response.content_type,
                                                  [('Retry-After', '1')], close=True))
        except OSError:
            pass
        self.shutdown_request(sock)

    def shutdown_request(self, request: Any) -> None:  # a TCP socket
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Stop listening, end every open connection, then wait for their threads."""
        socketserver.TCPServer.server_close(self)
        self._wake_reader.close()
        self._wake_writer.close()
        with self._open_lock:
            still_open = list(self._open)
        for sock in still_open:
            try:
                sock.shutdown(socket.SHUT_RDWR)     # wakes a thread waiting in recv
            except OSError:
                pass
        super().server_close()


class ConnectionHandler(socketserver.BaseRequestHandler):
    """Serve the requests of one connection until it closes, idles out or breaks."""

    server: SandboxHTTPServer

    def handle(self) -> None:
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = http_wire.Connection(sock, self.server.limits)
        app = self.server.app
        try:
            while True:
                try:
                    request = connection.read_request()
                except http_wire.WireError as exc:
                    self._answer_error(connection, exc)
                    if exc.close:
                        connection.linger()
                        return
                    continue
                if request is None:
                    return
                try:
                    response = app.handle(request)
                except Exception:
                    response = internal_error()
                close = response.close or not request.keep_alive
                connection.send(http_wire.response_bytes(
                    response.status, response.body, response.content_type, response.headers,
                    close=close, head_only=request.method == 'HEAD'))
                if close:
                    return
        except OSError:     # reset, broken pipe, a client that stopped reading: nothing to say
            return

    @staticmethod
    def _answer_error(connection: http_wire.Connection, exc: http_wire.WireError) -> None:
        response: Response = error_response(exc)
        connection.send(http_wire.response_bytes(response.status, response.body,
                                                 response.content_type, close=exc.close))
