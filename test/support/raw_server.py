"""A scripted TCP server on 127.0.0.1 for fault tests: each accepted connection is handed to a
function that reads requests and writes whatever bytes the test wants, however slowly.

::

    def behave(conn, server):
        request = server.read_request(conn)        # (method, target, headers, body) or None
        conn.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Length: 100\\r\\n\\r\\n')
        trickle(conn, b'x' * 100, every=0.2)

    with RawServer(behave) as server:
        ... server.url, server.requests, server.connections ...
"""

import socket
import ssl
import threading
import time

__all__ = ['RawServer', 'http_response', 'trickle']


def http_response(status, body=b'', headers=None, reason='OK'):
    """The bytes of one HTTP/1.1 response (Content-Length set from ``body``)."""
    if isinstance(body, str):
        body = body.encode('utf-8')
    lines = ['HTTP/1.1 %d %s' % (status, reason), 'Content-Length: %d' % len(body)]
    lines += ['%s: %s' % item for item in (headers or {}).items()]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body


def trickle(conn, data, every):
    """Send ``data`` one byte at a time, ``every`` seconds apart (stops when the peer goes)."""
    for index in range(len(data)):
        try:
            conn.sendall(data[index:index + 1])
        except OSError:
            return
        time.sleep(every)


class RawServer(object):
    """Accepts connections and runs ``behave(conn, server)`` for each, in its own thread."""

    def __init__(self, behave, tls_context=None):
        self.behave = behave
        self.tls_context = tls_context
        self.requests = []      # (method, target, headers dict lower-cased, body), as read
        self.connections = 0    # connections accepted
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(('127.0.0.1', 0))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        scheme = 'https' if tls_context else 'http'
        self.url = '%s://127.0.0.1:%d' % (scheme, self.port)
        self._stopped = threading.Event()
        self._open = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for conn in self._open:
                try:
                    conn.close()
                except OSError:
                    pass

    def _accept(self):
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            if self.tls_context is not None:
                conn = self.tls_context.wrap_socket(conn, server_side=True)
            self.behave(conn, self)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def read_request(self, conn):
        """Read one request from ``conn``; records and returns it (None at end of stream)."""
        data = b''
        while b'\r\n\r\n' not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b'\r\n\r\n')
        lines = head.decode('latin-1').split('\r\n')
        method, target, _ = lines[0].split(' ', 2)
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get('content-length', '0'))
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            rest += chunk
        request = (method, target, headers, rest[:length])
        with self._lock:
            self.requests.append(request)
        return request
