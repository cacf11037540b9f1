"""Keeping credentials out of text meant for people (logs, reprs, error messages)."""

from urllib.parse import urlsplit, urlunsplit


def safe_url(url):
    """``url`` without the ``user:password@`` part."""
    parts = urlsplit(url)
    if '@' not in parts.netloc:
        return url
    netloc = parts.netloc.rsplit('@', 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
