"""Reading one field of a world-file entry: its type and range checked, or a ``WorldError``
that names its path (``campaigns[0].rules[1].title``) and the rule it breaks."""

import math
from typing import (Any, Callable, Hashable, List, Literal, NoReturn, Optional, Set, Tuple, Type,
                    Union, overload)

from talon_one.sandbox.documents import Doc, as_list
from talon_one.sandbox.timeutil import is_rfc3339
from talon_one.sandbox.world.model import WorldError

Kinds = Union[Type[Any], Tuple[Type[Any], ...]]


def fail(path: str, rule: str) -> NoReturn:
    raise WorldError('world file: %s: %s' % (path, rule))


def _as_tuple(kinds: Kinds) -> Tuple[Type[Any], ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_name(kinds: Kinds) -> str:
    return ' or '.join(k.__name__ for k in _as_tuple(kinds))


def _is_a(value: Any, kinds: Kinds) -> bool:
    """isinstance, except that a boolean is no number unless ``bool`` is asked for."""
    return isinstance(value, kinds) and not (isinstance(value, bool) and
                                             bool not in _as_tuple(kinds))


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + '...'


def need(mapping: Doc, key: str, path: str, kinds: Kinds, required: bool = True) -> Any:
    value = mapping.get(key)
    if value is None:
        if required:
            fail('%s.%s' % (path, key), 'is required')
        return None
    if not _is_a(value, kinds):
        fail('%s.%s' % (path, key), 'must be %s, got %s' % (_kind_name(kinds), short(value)))
    return value


@overload
def integer(mapping: Doc, key: str, path: str, required: Literal[True],
            low: Optional[int] = None, high: Optional[int] = None) -> int: ...


@overload
def integer(mapping: Doc, key: str, path: str, required: bool = False,
            low: Optional[int] = None, high: Optional[int] = None) -> Optional[int]: ...


def integer(mapping: Doc, key: str, path: str, required: bool = False,
            low: Optional[int] = None, high: Optional[int] = None) -> Optional[int]:
    value: Optional[int] = need(mapping, key, path, int, required)
    if value is not None:
        _in_range(value, '%s.%s' % (path, key), low, high)
    return value


def number(mapping: Doc, key: str, path: str, required: bool = False) -> Optional[float]:
    """A finite JSON number (a double, as the API takes numbers)."""
    value: Optional[float] = need(mapping, key, path, (int, float), required)
    if value is not None:
        try:
            _in_range(float(value), '%s.%s' % (path, key), None, None)
        except OverflowError:
            fail('%s.%s' % (path, key), 'must be a finite number, got %s' % short(value))
    return value


def _in_range(value: float, path: str, low: Optional[float], high: Optional[float]) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        fail(path, 'must be a finite number, got %s' % short(value))
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            fail(path, 'must be >= %s, got %s' % (low, short(value)))
        fail(path, 'must be between %s and %s, got %s' % (low, high, short(value)))


@overload
def string(mapping: Doc, key: str, path: str, required: Literal[True]) -> str: ...


@overload
def string(mapping: Doc, key: str, path: str, required: bool = False) -> Optional[str]: ...


def string(mapping: Doc, key: str, path: str, required: bool = False) -> Optional[str]:
    found: Optional[str] = need(mapping, key, path, str, required)
    return found


def optional_object(mapping: Doc, key: str, path: str) -> Optional[Doc]:
    found: Optional[Doc] = need(mapping, key, path, dict, required=False)
    return found


def strings(mapping: Doc, key: str, path: str, non_empty: bool = False) -> List[str]:
    """An optional list of strings."""
    found: List[str] = items_of(mapping, key, path, str, non_empty)
    return found


def items_of(mapping: Doc, key: str, path: str, kinds: Kinds,
             non_empty: bool = False) -> List[Any]:
    """An optional list whose items are all of ``kinds``."""
    value = mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fail('%s.%s' % (path, key), 'must be a list, got %s' % short(value))
    found = as_list(value)
    for index, item in enumerate(found):
        if not _is_a(item, kinds):
            fail('%s.%s[%d]' % (path, key, index),
                 'must be %s, got %s' % (_kind_name(kinds), short(item)))
        if non_empty and not item:
            fail('%s.%s[%d]' % (path, key, index), 'must not be empty')
    return found


def objects(mapping: Doc, key: str, path: str) -> List[Doc]:
    """An optional list of objects."""
    value = mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fail('%s.%s' % (path, key), 'must be a list')
    found = as_list(value)
    for index, item in enumerate(found):
        if not isinstance(item, dict):
            fail('%s.%s[%d]' % (path, key, index), 'must be an object')
    return found


def date(mapping: Doc, key: str, path: str) -> None:
    value = mapping.get(key)
    if value is not None and not is_rfc3339(value):
        fail('%s.%s' % (path, key), 'must be an RFC 3339 date-time, got %s' % short(value))


def _same(value: Hashable) -> Hashable:
    return value


def unique(items: List[Doc], key: str, path: str,
           same: Callable[[Any], Hashable] = _same) -> Set[Any]:
    """Call after the type checks: the values are hashable then. ``same`` maps a value
    to what must be unique (a code under the application's case sensitivity)."""
    seen: Set[Any] = set()
    for index, item in enumerate(items):
        value = item.get(key)
        if same(value) in seen:
            fail('%s[%d].%s' % (path, index, key), 'duplicate %r' % (value,))
        seen.add(same(value))
    return seen
