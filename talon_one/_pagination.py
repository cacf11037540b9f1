"""Walk every page of a ``skip`` / ``page_size`` listing (``has_more`` or ``total_result_size``).

::

    for entry in iterate_pages(api.get_loyalty_program_profile_transactions,
                               125, 'URNGV8294NV', page_size=50):
        ...

Pages are requested lazily, as the loop consumes the items.
"""

import inspect
from typing import (Any, AsyncIterator, Awaitable, Callable, Dict, Iterator, Optional, Protocol,
                    Sequence, Tuple, TypeVar, Union)

from talon_one._exceptions import ApiTypeError

__all__ = ['CountedPage', 'Page', 'aiter_pages', 'iterate_pages']

T_co = TypeVar('T_co', covariant=True)
T = TypeVar('T')

# Keywords that change what a method returns (a thread result, a raw response).
_UNSUPPORTED_OPTIONS = ('async_req', '_preload_content')


class Page(Protocol[T_co]):
    """What ``iterate_pages`` needs of a response: its items and whether more follow."""

    @property
    def data(self) -> Optional[Sequence[T_co]]: ...

    @property
    def has_more(self) -> Optional[bool]: ...


class CountedPage(Protocol[T_co]):
    """A page that says how many items there are in all instead (the achievement listings)."""

    @property
    def data(self) -> Optional[Sequence[T_co]]: ...

    @property
    def total_result_size(self) -> Optional[int]: ...


def iterate_pages(method: Callable[..., Union[Page[T], CountedPage[T]]], *args: Any,
                  page_size: Optional[int] = None, **kwargs: Any) -> Iterator[T]:
    """Yield each item of ``.data`` of every page that ``method`` returns.

    ``method`` is a bound ``IntegrationApi`` method that takes ``skip``, such as
    ``api.get_loyalty_card_transactions``; ``args`` and ``kwargs`` are passed to
    every call. ``skip`` starts at 0 (or at ``skip=`` if given) and grows by
    the number of items received; ``page_size`` is sent when given (else the
    server's default applies). It stops after a page whose ``has_more`` is not
    true (or, for listings that count their items, once ``skip`` reaches
    ``total_result_size``), or an empty page. The method is checked at once, not at the first item.
    """
    _check_pageable(method, kwargs, 'iterate_pages')
    if inspect.iscoroutinefunction(method):
        raise ApiTypeError('iterate_pages: %s is a coroutine function; use '
                           '`async for item in talon_one.aiter_pages(...)`'
                           % getattr(method, '__name__', repr(method)))
    start = kwargs.pop('skip', None) or 0
    if page_size is not None:
        kwargs['page_size'] = page_size
    return _items(method, args, kwargs, start)


def aiter_pages(method: Callable[..., Awaitable[Union[Page[T], CountedPage[T]]]], *args: Any,
                page_size: Optional[int] = None, **kwargs: Any) -> AsyncIterator[T]:
    """``iterate_pages`` for asyncio: ``async for`` each item of every page of ``method``.

    ``method`` is a bound ``AsyncIntegrationApi`` method that takes ``skip``, such as
    ``api.get_loyalty_card_transactions``; the pages are requested one after the other, as
    the loop consumes the items, and the rules are those of :func:`iterate_pages`.
    """
    _check_pageable(method, kwargs, 'aiter_pages')
    if not inspect.iscoroutinefunction(method):
        raise ApiTypeError('aiter_pages: %s is not a coroutine function; pass a method of '
                           'AsyncIntegrationApi (or use iterate_pages)'
                           % getattr(method, '__name__', repr(method)))
    start = kwargs.pop('skip', None) or 0
    if page_size is not None:
        kwargs['page_size'] = page_size
    return _aitems(method, args, kwargs, start)


def _check_pageable(method: Callable[..., Any], kwargs: Dict[str, Any],
                    caller: str = 'iterate_pages') -> None:
    name = getattr(method, '__name__', repr(method))
    if not callable(method):
        raise ApiTypeError('%s: expected a bound API method, got %s'
                           % (caller, type(method).__name__))
    if name.endswith('_with_http_info'):
        raise ApiTypeError('%s: %s returns (data, status, headers); pass the method '
                           'without _with_http_info' % (caller, name))
    try:
        takes_skip = 'skip' in inspect.signature(method).parameters
    except (TypeError, ValueError):  # no introspectable signature
        takes_skip = False
    if not takes_skip:
        raise ApiTypeError('%s: %s does not take `skip`, so it cannot be paged'
                           % (caller, name))
    for option in _UNSUPPORTED_OPTIONS:
        if option in kwargs:
            raise ApiTypeError('%s: the keyword `%s` is not supported (each page '
                               'must be a parsed response)' % (caller, option))


def _items(method: Callable[..., Union[Page[T], CountedPage[T]]], args: Tuple[Any, ...],
           kwargs: Dict[str, Any], skip: int) -> Iterator[T]:
    name = getattr(method, '__name__', repr(method))
    while True:
        data, more = _page_items(method(*args, skip=skip, **kwargs), name, skip)
        yield from data
        skip += len(data)
        if not more:
            return


async def _aitems(method: Callable[..., Awaitable[Union[Page[T], CountedPage[T]]]],
                  args: Tuple[Any, ...], kwargs: Dict[str, Any], skip: int) -> AsyncIterator[T]:
    name = getattr(method, '__name__', repr(method))
    while True:
        data, more = _page_items(await method(*args, skip=skip, **kwargs), name, skip)
        for item in data:
            yield item
        skip += len(data)
        if not more:
            return


def _page_items(page: Union[Page[T], CountedPage[T]], name: str,
                skip: int) -> Tuple[Sequence[T], bool]:
    """The items of ``page`` (got at ``skip``) and whether another page follows."""
    counted = not hasattr(page, 'has_more') and hasattr(page, 'total_result_size')
    if not hasattr(page, 'data') or not (counted or hasattr(page, 'has_more')):
        raise ApiTypeError('iterate_pages: the response of %s (%s) has no `data` and '
                           '`has_more` (or `total_result_size`)'
                           % (name, type(page).__name__))
    data: Sequence[T] = page.data or []
    # A lenient parse may leave has_more or the count None: stop rather than loop forever.
    if not data:
        return data, False
    if counted:
        total = getattr(page, 'total_result_size', None)
        return data, isinstance(total, int) and skip + len(data) < total
    return data, getattr(page, 'has_more', None) is True
