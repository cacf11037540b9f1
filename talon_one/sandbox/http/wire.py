"""HTTP/1.x framing: requests taken out of received bytes within limits, whole responses.

Written for the sandbox instead of ``http.server`` so that every malformed request gets a status
line and the API's JSON error shape, slow clients time out (the server asks the reader what a
deadline means), and a response is one piece of bytes for one write (with ``TCP_NODELAY`` set
by the server: no Nagle / delayed-ACK stalls).
"""

import email.utils
import http
import re
import time
from typing import Any, Dict, Iterable, List, Optional, Tuple

from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.http.limits import Limits

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_VERSION = re.compile(rb'HTTP/([0-9])\.([0-9])\Z')
_VERSION_LIKE = re.compile(rb'HTTP/[0-9.]+\Z')
_BAD_TARGET_BYTE = re.compile(rb'[^\x21-\x7e]')          # spaces, controls, DEL, non-ASCII
_BAD_VALUE_BYTE = re.compile(rb'[\x00-\x08\x0a-\x1f\x7f]')
CONTINUE = b'HTTP/1.1 100 Continue\r\n\r\n'
_MAX_LENGTH_DIGITS = 18    # a Content-Length with more digits is over any limit
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
        elif key == 'host' or (key == 'content-length' and headers[key] != text):
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
    if len(raw) > _MAX_LENGTH_DIGITS:   # int() of thousands of digits raises, and is slow
        raise WireError(413, 'request body of %s... bytes is over any limit' % raw[:20],
                        'Payload too large')
    return int(raw)


IDLE, HEAD, BODY = 'idle', 'head', 'body'     # what a connection is waiting for


class RequestReader(object):
    """The requests in one connection's bytes, as they arrive, within the limits.

    No I/O here: the server feeds what it received (``feed``) and takes whole requests out
    (``next_request``). ``deadline`` is when the current wait ends (the idle, head or body
    timeout); ``expired`` and ``ended`` say what a timeout or the end of the stream means."""

    def __init__(self, limits: Limits, now: float) -> None:
        self.limits = limits
        self.buffer = bytearray()
        self.stage = IDLE
        self.deadline = now + limits.idle_timeout
        self._request: Optional[Request] = None     # its head is in, its body is not yet
        self._length = 0
        self._dropping = 0          # bytes of an oversized body still to drop
        self._drop_error: Optional[WireError] = None
        self.owes_continue = False  # a 100 Continue is to go out before the body comes

    def _enter(self, stage: str, now: float) -> None:
        self.stage = stage
        self.deadline = now + (self.limits.idle_timeout if stage == IDLE else
                               self.limits.header_timeout if stage == HEAD else
                               self.limits.body_timeout)

    def answered(self, now: float) -> None:
        """The answers so far are written: an idle wait starts now, not when the last
        request came in."""
        if self.stage == IDLE:
            self.deadline = now + self.limits.idle_timeout

    def feed(self, data: bytes, now: float) -> None:
        if self.stage == IDLE:          # the first bytes of the next request
            self._enter(HEAD, now)
        self.buffer += data

    def next_request(self, now: float) -> Optional[Request]:
        """The next whole request, or None until more bytes arrive; WireError for one the
        server cannot take (``close``: the connection cannot go on after its answer)."""
        if self._dropping:
            return self._drop(now)
        if self._request is None:
            head = self._head()
            if head is None:
                return None
            request, length = parse_head(head, self.limits)
            expect = request.headers.get('expect')
            if expect is not None and expect.lower() != '100-continue':
                raise WireError(417, 'Expect %r is not supported' % expect[:40],
                                'Expectation failed')
            if length > self.limits.max_body:
                if expect is not None or length > self.limits.drain_limit:
                    raise self._too_large(length, close=True)
                # Read and drop the body, so that the client gets to read the 413.
                self._dropping = length
                self._drop_error = self._too_large(length, close=not request.keep_alive)
                self._enter(BODY, now)
                return self._drop(now)
            self._request, self._length = request, length
            self._enter(BODY, now)
            self.owes_continue = expect is not None and length > 0 and len(self.buffer) < length
        if len(self.buffer) < self._length:
            return None
        request, length = self._request, self._length
        request.body = bytes(self.buffer[:length])
        del self.buffer[:length]
        self._request, self.owes_continue = None, False
        self._enter(HEAD if self.buffer else IDLE, now)
        return request

    def _head(self) -> Optional[bytes]:
        buffer = self.buffer
        if buffer.startswith((b'\r', b'\n')):    # empty lines before a request are ignored
            kept = buffer.lstrip(b'\r\n')
            del buffer[:len(buffer) - len(kept)]
        end, separator = _blank_line(buffer)
        limits = self.limits
        if len(buffer) > limits.max_request_line and \
                buffer.find(b'\n', 0, limits.max_request_line) < 0:
            raise WireError(414, 'request line is longer than %d bytes'
                            % limits.max_request_line, 'URI too long')
        if (end if end >= 0 else len(buffer)) > limits.max_header_bytes:
            raise WireError(431, 'request head is larger than %d bytes'
                            % limits.max_header_bytes, 'Request header fields too large')
        if end < 0:
            return None
        head = bytes(buffer[:end])
        del buffer[:end + separator]
        return head

    def _drop(self, now: float) -> Optional[Request]:
        taken = min(self._dropping, len(self.buffer))
        del self.buffer[:taken]
        self._dropping -= taken
        if self._dropping:
            return None
        error, self._drop_error = self._drop_error, None
        self._enter(HEAD if self.buffer else IDLE, now)
        assert error is not None
        raise error

    def _too_large(self, length: int, close: bool) -> WireError:
        return WireError(413, 'request body of %d bytes is over the limit of %d bytes'
                         % (length, self.limits.max_body), 'Payload too large', close=close)

    def expired(self) -> Optional[WireError]:
        """What the passing of ``deadline`` means: None (an idle connection just closes)
        or the error to answer before closing."""
        if self._dropping:
            return self._too_large(self._dropping, close=True)
        if self.stage == HEAD:
            return WireError(408, 'the request head did not arrive within %g s'
                             % self.limits.header_timeout, 'Request timeout')
        if self.stage == BODY:
            return WireError(408, 'the request body did not arrive within %g s'
                             % self.limits.body_timeout, 'Request timeout')
        return None

    def ended(self) -> Optional[WireError]:
        """What the end of the stream means now: None between requests, else the error."""
        if self._dropping:
            return self._too_large(self._dropping, close=True)
        if self._request is not None:
            return _malformed('the connection ended inside the request body')
        if self.buffer.strip(b'\r\n'):
            return _malformed('the connection ended inside the request head')
        return None


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
