"""Cutting a stream of records into the API's chunks, lazily (one chunk in memory)."""

from typing import Callable, Iterable, Iterator, List, Optional, TypeVar

__all__ = ['chunked']

T = TypeVar('T')


def chunked(items: Iterable[T], size: int,
            boundary: Optional[Callable[[T, T], bool]] = None) -> Iterator[List[T]]:
    """Lists of at most ``size`` consecutive items, in order.

    ``boundary(previous, item)``, when given, starts a new chunk before ``item`` when it is
    true (the catalog sends one action type per request).
    """
    if size < 1:
        raise ValueError('chunk size must be >= 1, got %r' % (size,))
    chunk: List[T] = []
    for item in items:
        if chunk and (len(chunk) >= size or
                      (boundary is not None and boundary(chunk[-1], item))):
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk
