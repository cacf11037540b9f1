"""One parsed API call as an operation takes it: path parameters, query strings, JSON body."""

import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import bad_request


class Request(object):
    """``params``: path parameters (converted by the route); ``query``: raw strings;
    ``body``: the decoded JSON object (routes with a body only)."""

    def __init__(self, params: Optional[Dict[str, Any]] = None,
                 query: Optional[Dict[str, str]] = None, body: Optional[Doc] = None,
                 pairs: Optional[List[Tuple[str, str]]] = None) -> None:
        self.params: Dict[str, Any] = params or {}
        self.query: Dict[str, str] = query or {}
        self._body = body
        # Every (name, value) in order: array parameters repeat their name (explode).
        self._pairs = pairs

    def strings(self, name: str) -> Optional[List[str]]:
        """An array query parameter (``?id=a&id=b``); None when it is not given."""
        if self._pairs is None:
            return [self.query[name]] if name in self.query else None
        found = [value for key, value in self._pairs if key == name]
        return found or None

    def choice(self, name: str, allowed: Sequence[str]) -> Optional[str]:
        """A query parameter limited to ``allowed`` values (None when not given)."""
        raw = self.query.get(name)
        if raw is None or raw == '':
            return None
        if raw not in allowed:
            raise bad_request('query parameter %s: must be one of %s, got %r'
                              % (name, ', '.join(allowed), raw), parameter=name)
        return raw

    @property
    def body(self) -> Doc:
        """The JSON body; only routes that take one read it."""
        assert self._body is not None, 'this route takes no body'
        return self._body

    def flag(self, name: str, default: bool = False) -> bool:
        """A boolean query parameter (``true``/``false``)."""
        raw = self.query.get(name)
        if raw is None or raw == '':
            return default
        lowered = raw.lower()
        if lowered in ('true', '1', 'yes'):
            return True
        if lowered in ('false', '0', 'no'):
            return False
        raise bad_request('query parameter %s: must be true or false, got %r' % (name, raw),
                          parameter=name)

    def integer(self, name: str, default: int, minimum: Optional[int] = None,
                maximum: Optional[int] = None) -> int:
        raw = self.query.get(name)
        if raw is None or raw == '':
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_request('query parameter %s: must be an integer, got %r' % (name, raw),
                              parameter=name)
        if minimum is not None and value < minimum:
            raise bad_request('query parameter %s: must be >= %d, got %d' % (name, minimum, value),
                              parameter=name)
        if maximum is not None and value > maximum:
            raise bad_request('query parameter %s: must be <= %d, got %d' % (name, maximum, value),
                              parameter=name)
        return value

    def date_time(self, name: str) -> Optional[datetime.datetime]:
        raw = self.query.get(name)
        if raw is None or raw == '':
            return None
        try:
            return timeutil.parse(raw)
        except ValueError:
            raise bad_request('query parameter %s: must be an RFC 3339 date-time, got %r'
                              % (name, raw), parameter=name)

    def silent(self) -> bool:
        raw = self.query.get('silent', 'yes')
        if raw not in ('yes', 'no'):
            raise bad_request("query parameter silent: must be 'yes' or 'no', got %r" % raw,
                              parameter='silent')
        return raw == 'yes'
