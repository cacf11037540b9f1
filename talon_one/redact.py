"""Keeping credentials out of text meant for people (logs, reprs, error messages)."""

import re
from urllib.parse import urlencode

MASK = '********'

# The authority's userinfo: everything up to the last '@' before the path, query or fragment
# (a password may itself contain an unescaped '@').
_USERINFO = re.compile(r'\A((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[^/?#\s]*@')


class Secret(str):
    """A credential sent as a query parameter: sent as is, shown as ``MASK``."""

    __slots__ = ()

    def __repr__(self):
        return MASK


def safe_url(url):
    """``url`` without the ``user:password@`` part."""
    if '@' not in url:
        return url
    return _USERINFO.sub(r'\1', url, count=1)


def display_url(url, query_params=None):
    """``url`` plus its encoded query as shown to people: no userinfo, Secret values masked."""
    shown = safe_url(url)
    if not query_params:
        return shown
    items = query_params.items() if isinstance(query_params, dict) else query_params
    masked = [(name, MASK if isinstance(value, Secret) else value) for name, value in items]
    return '%s%s%s' % (shown, '&' if '?' in shown else '?', urlencode(masked, safe='*'))
