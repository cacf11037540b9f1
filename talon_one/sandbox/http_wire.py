"""HTTP/1.x on one socket: request heads and bodies read within limits, responses in one write.

Written for the sandbox instead of ``http.server`` so that every malformed request gets a status
line and the API's JSON error shape, slow clients time out, and a response is a single
``sendall`` (with ``TCP_NODELAY`` set by the server: no Nagle / delayed-ACK stalls).
"""

import email.utils
import http
import re
import socket
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple

from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.limits import Limits

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_VERSION = re.compile(rb'HTTP/([0-9])\.([0-9])\Z')
_VERSION_LIKE = re.compile(rb'HTTP/[0-9.]+\Z')
_BAD_TARGET_BYTE = re.compile(rb'[^\x21-\x7e]')          # spaces, controls, DEL, non-ASCII
_BAD_VALUE_BYTE = re.compile(rb'[\x00-\x08\x0a-\x1f\x7f]')
_RECV_SIZE = 65536
_LINGER_SECONDS = 2.0
_LINGER_BYTES = 1024 * 1024
_CONTINUE = b'HTTP/1.1 100 Continue\r\n\r\n'
SERVER_NAME = 'TalonOneSandbox/1.0'


class WireError(SandboxError):
    """A request the server cannot take; ``close``: the connection cannot carry another one."""

    def __init__(self, status: int, message: str, title: str, close: bool = True) -> None:
        super().__init__(status, message, title=title)
        self.close = close


def _malformed(message: str) -> WireError:
    return WireError(400, message, 'Malformed request')


class Request(object):
    """One request as read from the wire: header names are lower-case."""

    __slots__ = ('method', 'target', 'version', 'headers', 'body', 'keep_alive')

    def __init__(self, method: str, target: str, version: str, headers: Dict[str, str],
                 keep_alive: bool) -> None:
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = b''
        self.keep_alive = keep_alive


def parse_head(head: bytes, limits: Limits) -> Tuple[Request, int]:
    """The request and its body length from a head (request line and header lines)."""
    lines = head.split(b'\n')
    request_line = lines[0].rstrip(b'\r')
    if len(request_line) > limits.max_request_line:
        raise WireError(414, 'request line is longer than %d bytes' % limits.max_request_line,
                        'URI too long')
    parts = request_line.split(b' ')
    if len(parts) != 3:
        raise _malformed('malformed request line: expected "METHOD /path HTTP/1.1"'
                         + (' (HTTP/0.9 is not supported)' if len(parts) == 2 else ''))
    method, target, version = parts
    if not _TOKEN.match(method):
        raise _malformed('malformed request line: the method must be a token')
    minor = _minor_version(version)
    if not target or _BAD_TARGET_BYTE.search(target):
        raise _malformed('malformed request target: spaces, control and non-ASCII characters '
                         'must be percent-encoded')
    if len(lines) - 1 > limits.max_headers:
        raise WireError(431, 'more than %d header fields' % limits.max_headers,
                        'Request header fields too large')
    headers = _header_fields(lines[1:])
    if minor >= 1 and 'host' not in headers:
        raise _malformed('an HTTP/1.1 request needs a Host header')
    tokens = {t.strip().lower() for t in headers.get('connection', '').split(',')}
    keep_alive = 'close' not in tokens if minor >= 1 else 'keep-alive' in tokens
    request = Request(method.decode('ascii'), target.decode('ascii'),
                      version.decode('ascii'), headers, keep_alive)
    return request, _body_length(headers)


def _minor_version(version: bytes) -> int:
    match = _VERSION.match(version)
    if match is None:
        if _VERSION_LIKE.match(version):
            raise WireError(505, 'HTTP version %s is not supported (use HTTP/1.1)'
                            % version.decode('ascii'), 'HTTP version not supported')
        raise _malformed('malformed request line: the version must look like HTTP/1.1')
    if match.group(1) != b'1':
        raise WireError(505, 'HTTP version %s is not supported (use HTTP/1.1)'
                        % version.decode('ascii'), 'HTTP version not supported')
    return int(match.group(2))


def _header_fields(lines: Iterable[bytes]) -> Dict[str, str]:
    headers: Dict[str, str] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip(b'\r')
        if not line:
            continue
        if line[:1] in (b' ', b'\t'):
            raise _malformed('header field %d: obsolete line folding is not accepted' % number)
        name, colon, value = line.partition(b':')
        if not colon or not _TOKEN.match(name):
            raise _malformed('header field %d: expected "Name: value"' % number)
        value = value.strip(b' \t')
        key = name.decode('ascii').lower()
        if _BAD_VALUE_BYTE.search(value):   # the value is not echoed: it may be a secret
            raise _malformed('header %s: control characters are not allowed' % key)
        text = value.decode('latin-1')
        if key not in headers:
            headers[key] = text
        elif key == 'host' or key == 'content-length' and headers[key] != text:
            raise _malformed('header %s: given twice with different values' % key)
        elif key != 'content-length':
            headers[key] += ', ' + text
    return headers


def _body_length(headers: Dict[str, str]) -> int:
    if 'transfer-encoding' in headers:
        if 'chunked' in headers['transfer-encoding'].lower():
            raise WireError(411, 'chunked bodies are not supported; send Content-Length',
                            'Length required')
        raise WireError(501, 'Transfer-Encoding %r is not supported; send Content-Length'
                        % headers['transfer-encoding'][:40], 'Not implemented')
    raw = headers.get('content-length')
    if raw is None:
        return 0
    if not (raw.isascii() and raw.isdigit()):
        raise _malformed('invalid Content-Length header')
    return int(raw)


class Connection(object):
    """Buffered reads with deadlines and whole-response writes on one client socket."""

    def __init__(self, sock: socket.socket, limits: Limits) -> None:
        self.sock = sock
        self.limits = limits
        self._buffer = bytearray()

    def _fill(self, deadline: float) -> bool:
        """Receive more bytes before ``deadline``; False at the end of the stream."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout()
        self.sock.settimeout(remaining)
        chunk = self.sock.recv(_RECV_SIZE)
        if not chunk:
            return False
        self._buffer += chunk
        return True

    def read_request(self) -> Optional[Request]:
        """The next request; None when the client is gone or idle too long."""
        if not self._buffer:
            try:
                if not self._fill(time.monotonic() + self.limits.idle_timeout):
                    return None
            except (socket.timeout, OSError):
                return None
        head = self._read_head(time.monotonic() + self.limits.header_timeout)
        if head is None:
            return None
        request, length = parse_head(head, self.limits)
        expect = request.headers.get('expect')
        if expect is not None and expect.lower() != '100-continue':
            raise WireError(417, 'Expect %r is not supported' % expect[:40], 'Expectation failed')
        if length > self.limits.max_body:
            self._drop_body(length, expect is not None)
            raise self._too_large(length, close=not request.keep_alive)
        if expect is not None and length and len(self._buffer) < length:
            self.send(_CONTINUE)
        request.body = self._read_body(length)
        return request

    def _read_head(self, deadline: float) -> Optional[bytes]:
        buffer = self._buffer
        while True:
            if buffer[:1] in (b'\r', b'\n'):    # empty lines before a request are ignored
                kept = buffer.lstrip(b'\r\n')
                del buffer[:len(buffer) - len(kept)]
            end, separator = _blank_line(buffer)
            if len(buffer) > self.limits.max_request_line and \
                    buffer.find(b'\n', 0, self.limits.max_request_line) < 0:
                raise WireError(414, 'request line is longer than %d bytes'
                                % self.limits.max_request_line, 'URI too long')
            if (end if end >= 0 else len(buffer)) > self.limits.max_header_bytes:
                raise WireError(431, 'request head is larger than %d bytes'
                                % self.limits.max_header_bytes, 'Request header fields too large')
            if end >= 0:
                head = bytes(buffer[:end])
                del buffer[:end + separator]
                return head
            if not self._more(deadline, 'head', self.limits.header_timeout):
                if buffer:
                    raise _malformed('the connection ended inside the request head')
                return None

    def _more(self, deadline: float, part: str, seconds: float) -> bool:
        """Receive more of the request's ``part``: False at the end of the stream, 408 when
        the deadline passes."""
        try:
            return self._fill(deadline)
        except socket.timeout:
            raise WireError(408, 'the request %s did not arrive within %g s' % (part, seconds),
                            'Request timeout')

    def _read_body(self, length: int) -> bytes:
        deadline = time.monotonic() + self.limits.body_timeout
        buffer = self._buffer
        while len(buffer) < length:
            if not self._more(deadline, 'body', self.limits.body_timeout):
                raise _malformed('the connection ended inside the request body')
        body = bytes(buffer[:length])
        del buffer[:length]
        return body

    def _too_large(self, length: int, close: bool) -> WireError:
        return WireError(413, 'request body of %d bytes is over the limit of %d bytes'
                         % (length, self.limits.max_body), 'Payload too large', close=close)

    def _drop_body(self, length: int, expected_continue: bool) -> None:
        """Read and drop an oversized body, so the client gets to read the 413."""
        if expected_continue or length > self.limits.drain_limit:
            raise self._too_large(length, close=True)
        deadline = time.monotonic() + self.limits.body_timeout
        left = length
        while True:
            taken = min(left, len(self._buffer))
            del self._buffer[:taken]
            left -= taken
            if not left:
                return
            try:
                more = self._fill(deadline)
            except socket.timeout:
                more = False
            if not more:    # the 413 still goes out; the connection cannot continue
                raise self._too_large(length, close=True)

    def send(self, data: bytes) -> None:
        self.sock.settimeout(self.limits.body_timeout)     # a client that never reads
        self.sock.sendall(data)

    def linger(self) -> None:
        """After an error answer: stop sending and read what the client still sends for a
        moment, so closing does not reset the connection before it has read the answer."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + _LINGER_SECONDS
            received = 0
            while received < _LINGER_BYTES:
                self._buffer.clear()
                if not self._fill(deadline):
                    return
                received += _RECV_SIZE
        except OSError:     # includes the timeout: the client simply kept quiet
            return


def _blank_line(buffer: bytearray) -> Tuple[int, int]:
    """(index, length) of the blank line that ends a head; (-1, 0) when it is not in yet."""
    crlf = buffer.find(b'\r\n\r\n')
    lf = buffer.find(b'\n\n')
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf, 2
    return crlf, 4 if crlf >= 0 else 0


_date_cache: List[Any] = [0, '']   # [second, Date header text]


def _http_date() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, email.utils.formatdate(now, usegmt=True)]
    text: str = _date_cache[1]
    return text


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return 'Unknown'


def response_bytes(status: int, body: bytes, content_type: Optional[str] = None,
                   headers: Iterable[Tuple[str, str]] = (), close: bool = False,
                   head_only: bool = False) -> bytes:
    """A whole response (status line, headers, body) ready for one write."""
    lines = ['HTTP/1.1 %d %s' % (status, _reason(status)), 'Server: ' + SERVER_NAME,
             'Date: ' + _http_date()]
    if content_type is not None:
        lines.append('Content-Type: ' + content_type)
    lines.append('Content-Length: %d' % len(body))
    lines.extend('%s: %s' % pair for pair in headers)
    if close:
        lines.append('Connection: close')
    head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
    return head if head_only else head + body
