"""Walk every page of a ``skip`` / ``page_size`` listing (``has_more`` or ``total_result_size``).

::

    for entry in iterate_pages(api.get_loyalty_program_profile_transactions,
                               125, 'URNGV8294NV', page_size=50):
        ...

Pages are requested lazily, as the loop consumes the items.
"""

import inspect
from typing import (Any, Callable, Dict, Iterator, Optional, Protocol, Sequence, Tuple, TypeVar,
                    Union)

from talon_one._exceptions import ApiTypeError

__all__ = ['CountedPage', 'Page', 'iterate_pages']

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
    _check_pageable(method, kwargs)
    start = kwargs.pop('skip', None) or 0
    if page_size is not None:
        kwargs['page_size'] = page_size
    return _items(method, args, kwargs, start)


def _check_pageable(method: Callable[..., Any], kwargs: Dict[str, Any]) -> None:
    name = getattr(method, '__name__', repr(method))
    if not callable(method):
        raise ApiTypeError('iterate_pages: expected a bound API method, got %s'
                           % type(method).__name__)
    if name.endswith('_with_http_info'):
        raise ApiTypeError('iterate_pages: %s returns (data, status, headers); pass the method '
                           'without _with_http_info' % name)
    try:
        takes_skip = 'skip' in inspect.signature(method).parameters
    except (TypeError, ValueError):  # no introspectable signature
        takes_skip = False
    if not takes_skip:
        raise ApiTypeError('iterate_pages: %s does not take `skip`, so it cannot be paged'
                           % name)
    for option in _UNSUPPORTED_OPTIONS:
        if option in kwargs:
            raise ApiTypeError('iterate_pages: the keyword `%s` is not supported (each page '
                               'must be a parsed response)' % option)


def _items(method: Callable[..., Union[Page[T], CountedPage[T]]], args: Tuple[Any, ...],
           kwargs: Dict[str, Any], skip: int) -> Iterator[T]:
    name = getattr(method, '__name__', repr(method))
    while True:
        page = method(*args, skip=skip, **kwargs)
        counted = not hasattr(page, 'has_more') and hasattr(page, 'total_result_size')
        if not hasattr(page, 'data') or not (counted or hasattr(page, 'has_more')):
            raise ApiTypeError('iterate_pages: the response of %s (%s) has no `data` and '
                               '`has_more` (or `total_result_size`)'
                               % (name, type(page).__name__))
        data = page.data or []
        for item in data:
            yield item
        skip += len(data)
        # A lenient parse may leave has_more or the count None: stop rather than loop forever.
        if not data:
            return
        if counted:
            total = getattr(page, 'total_result_size', None)
            if not isinstance(total, int) or skip >= total:
                return
        elif getattr(page, 'has_more', None) is not True:
            return
