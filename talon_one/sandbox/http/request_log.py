"""A bounded log of the API requests a sandbox answered, for tests and the inspector.

Secrets never enter it: ``Authorization`` and ``Content-Signature`` values are masked when a
request is recorded. Bodies larger than ``MAX_LOGGED_BODY`` bytes are kept cut short.
"""

import collections
import datetime
import itertools
import json
import threading
from typing import Any, Deque, Dict, List, Optional

from talon_one.sandbox import timeutil

DEFAULT_SIZE = 1000
MAX_LOGGED_BODY = 64 * 1024
MASK = '***'
SECRET_HEADERS = ('authorization', 'content-signature')


def _masked(headers: Dict[str, str]) -> Dict[str, str]:
    return {name: MASK if name in SECRET_HEADERS else value for name, value in headers.items()}


class _Body(object):
    """A body as sent, cut to ``MAX_LOGGED_BODY`` bytes (only that much stays in memory)."""

    __slots__ = ('raw', 'length')

    def __init__(self, raw: bytes) -> None:
        self.length = len(raw)
        self.raw = raw if self.length <= MAX_LOGGED_BODY else raw[:MAX_LOGGED_BODY]

    def view(self) -> Any:
        """JSON when it is JSON, else text (ending in a note when it was cut)."""
        if not self.length:
            return None
        if self.length > MAX_LOGGED_BODY:
            return self.raw.decode('utf-8', 'replace') + '...(%d bytes in all)' % self.length
        try:
            return json.loads(self.raw.decode('utf-8'))
        except ValueError:      # includes UnicodeDecodeError: the log shows what came
            return self.raw.decode('utf-8', 'replace')


class Entry(object):
    """One answered request; the JSON form is built only when someone reads it."""

    __slots__ = ('id', 'at', 'method', 'path', 'query', 'headers', 'status', 'duration',
                 'request', 'response')

    def __init__(self, entry_id: int, at: float, method: str, path: str, query: str,
                 headers: Dict[str, str], status: int, duration: float, request: bytes,
                 response: bytes) -> None:
        self.id = entry_id
        self.at = at
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.status = status
        self.duration = duration
        self.request = _Body(request)
        self.response = _Body(response)

    def as_dict(self) -> Dict[str, Any]:
        return {
            'id': self.id,
            'time': timeutil.fmt(datetime.datetime.fromtimestamp(self.at, timeutil.UTC)),
            'method': self.method, 'path': self.path, 'query': self.query,
            'status': self.status, 'durationMs': round(self.duration * 1000, 3),
            'requestHeaders': dict(self.headers),
            'requestBody': self.request.view(),
            'responseBody': self.response.view(),
        }

    def __repr__(self) -> str:
        return '<request %d %s %s -> %d>' % (self.id, self.method, self.path, self.status)


class RequestLog(object):
    """The last ``size`` requests, oldest first; safe to use from many threads."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError('request_log_size: must be an integer >= 0, got %r' % (size,))
        self.size = size
        self._entries: Deque[Entry] = collections.deque(maxlen=size or None)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, method: str, path: str, query: str, headers: Dict[str, str],
               status: int, started: float, duration: float, request: bytes,
               response: bytes) -> None:
        if not self.size:
            return
        entry = Entry(0, started, method, path, query, _masked(headers), status, duration,
                      request, response)
        with self._lock:
            entry.id = next(self._ids)
            self._entries.append(entry)

    def entries(self, limit: Optional[int] = None) -> List[Dict[str, Any]]:
        """JSON-ready copies, oldest first; ``limit``: only the newest that many."""
        with self._lock:
            chosen = list(self._entries)
        if limit is not None:
            chosen = chosen[-limit:] if limit else []
        return [entry.as_dict() for entry in chosen]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
