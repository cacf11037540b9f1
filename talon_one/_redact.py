"""Keeping credentials out of text meant for people (logs, reprs, error messages)."""

import re
from collections import abc
from typing import Iterable, Mapping, Optional, Tuple, Union, cast
from urllib.parse import urlencode

MASK = '********'

# The authority's userinfo: everything up to the last '@' before the path, query or fragment
# (a password may itself contain an unescaped '@').
_USERINFO = re.compile(r'\A((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#\s]*@')

QueryPairs = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


class Secret(str):
    """A credential sent as a query parameter: sent as is, shown as ``MASK``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return MASK


def safe_url(url: str) -> str:
    """``url`` without the ``user:password@`` part."""
    if '@' not in url:
        return url
    return _USERINFO.sub(r'\1', url, count=1)


def display_url(url: str, query: Optional[QueryPairs] = None) -> str:
    """``url`` plus its encoded query as shown to people: no userinfo, Secret values masked."""
    shown = safe_url(url)
    if not query:
        return shown
    items: Iterable[Tuple[str, str]]
    if isinstance(query, abc.Mapping):
        # (isinstance alone leaves the types open: the pairs could be a mapping themselves)
        items = cast('Mapping[str, str]', query).items()
    else:
        items = query
    masked = [(name, MASK if isinstance(value, Secret) else value) for name, value in items]
    return '%s%s%s' % (shown, '&' if '?' in shown else '?', urlencode(masked, safe='*'))
