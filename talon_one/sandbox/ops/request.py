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
                 pairs: Sequence[Tuple[str, str]] = ()) -> None:
        self.params: Dict[str, Any] = params or {}
        self.query: Dict[str, str] = query or {}
        self._body = body
        self._pairs = pairs     # every (name, value) of the query string, repeats included

    def strings(self, name: str) -> Optional[List[str]]:
        """An array query parameter (``?id=a&id=b``); None when it is not given."""
        found = [value for key, value in self._pairs if key == name]
        if not found and name in self.query:
            found = [self.query[name]]
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
                              parameter=name) from None
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
                              % (name, raw), parameter=name) from None

    def csv(self, name: str) -> Optional[List[str]]:
        """An array query parameter (``style: form, explode: false``: ``ids=1,2``); repeated
        parameters (``ids=1&ids=2``) are taken too. None when it is not given."""
        raw = [value for key, value in self._pairs if key == name] or \
            ([self.query[name]] if name in self.query else [])
        values = [part.strip() for value in raw for part in value.split(',') if part.strip()]
        return values or None

    def ints(self, name: str) -> Optional[List[int]]:
        """An array query parameter of integers (ids), as ``csv`` takes it."""
        values = self.csv(name)
        if values is None:
            return None
        try:
            return [int(value) for value in values]
        except ValueError:
            raise bad_request('query parameter %s: must be integers separated by commas, '
                              'got %r' % (name, ','.join(values)), parameter=name) from None

    def silent(self) -> bool:
        raw = self.query.get('silent', 'yes')
        if raw not in ('yes', 'no'):
            raise bad_request("query parameter silent: must be 'yes' or 'no', got %r" % raw,
                              parameter='silent')
        return raw == 'yes'
