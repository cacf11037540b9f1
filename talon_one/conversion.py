"""Lenient JSON -> Python conversion of response values.

One converter is compiled per type string and cached; none of them raises for
unexpected data (a value of an unexpected JSON type is kept as it came).
"""

import functools

from talon_one.datetimes import parse_date, parse_datetime
from talon_one.type_strings import resolve_model, split_type

__all__ = ['converter', 'deserialize_value']


def deserialize_value(type_string, value):
    """Convert the JSON value ``value`` to the Python value for ``type_string``.

    Lenient: a value of an unexpected JSON type is returned as it is.
    """
    if value is None:
        return None
    return converter(type_string)(value)


@functools.lru_cache(maxsize=None)
def converter(type_string):
    """The converter for ``type_string``, compiled once (it is never called with None)."""
    kind, detail = split_type(type_string)
    if kind == 'list':
        return _list_converter(converter(detail))
    if kind == 'dict':
        return _dict_converter(converter(detail))
    if kind == 'model':
        return _model_converter(detail)
    return _SCALAR_CONVERTERS.get(detail, _keep)


def _keep(value):
    return value


def _to_float(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _parsing(parse):
    """A converter that parses strings with ``parse`` and keeps what it cannot parse."""
    def convert(value):
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                pass
        return value
    return convert


_SCALAR_CONVERTERS = {
    'float': _to_float,
    'datetime': _parsing(parse_datetime),
    'date': _parsing(parse_date),
}


def _list_converter(item):
    def convert(value):
        if not isinstance(value, list):
            return value
        return [None if x is None else item(x) for x in value]
    return convert


def _dict_converter(item):
    def convert(value):
        if not isinstance(value, dict):
            return value
        return {k: None if v is None else item(v) for k, v in value.items()}
    return convert


_UNRESOLVED = object()


def _model_converter(name):
    # The class is looked up on first use so that compiling a converter never
    # imports model modules the data does not need.
    cls = _UNRESOLVED

    def convert(value):
        nonlocal cls
        if not isinstance(value, dict):
            return value
        if cls is _UNRESOLVED:
            cls = resolve_model(name)
        return value if cls is None else cls._from_wire_dict(value)
    return convert
