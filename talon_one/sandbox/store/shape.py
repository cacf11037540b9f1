"""The JSON-shape check every written document passes (what JSON would give back)."""

from typing import Any, Iterable


def _not_json(where: str, value: Any) -> TypeError:
    return TypeError('%s: a %s is not a JSON value' % (where, type(value).__name__))


def check_shape(value: Any, where: str) -> None:
    """Raise TypeError unless ``value`` is JSON-shaped: dicts with string keys, lists,
    strings, numbers, booleans, None. It runs on every written document: containers
    recurse, scalars are tested inline."""
    children: Iterable[Any]
    cls = value.__class__   # compared, not isinstance(): a subclass is no JSON value
    if cls is dict:
        keys: Iterable[Any] = value
        for key in keys:
            if type(key) is not str:
                raise TypeError('%s: key %r is not a string' % (where, key))
        children = value.values()
    elif cls is list:
        children = value
    else:
        if not (cls in (str, int, float, bool) or value is None):
            raise _not_json(where, value)
        return
    for child in children:
        kind = child.__class__
        if kind is dict or kind is list:
            check_shape(child, where)
        elif not (kind is str or kind is int or kind is float or kind is bool or child is None):
            raise _not_json(where, child)
