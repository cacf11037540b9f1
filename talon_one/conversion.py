"""Lenient JSON -> Python conversion of response values.

One converter is compiled per type string and cached; none of them raises for
unexpected data (a value of an unexpected JSON type is kept as it came).
"""

from typing import Any, Callable, Dict

from talon_one.datetimes import parse_date, parse_datetime
from talon_one.type_strings import resolve_model, split_type

__all__ = ['converter', 'deserialize_value']

_CONVERTERS: Dict[str, Callable[[Any], Any]] = {}


def deserialize_value(type_string, value):
    """Convert the JSON value ``value`` to the Python value for ``type_string``.

    Lenient: a value of an unexpected JSON type is returned as it is.
    """
    if value is None:
        return None
    return converter(type_string)(value)


def converter(type_string):
    """The cached converter for ``type_string`` (it is never called with None)."""
    convert = _CONVERTERS.get(type_string)
    if convert is None:
        convert = _CONVERTERS[type_string] = _compile_converter(type_string)
    return convert


def _keep(value):
    return value


def _to_float(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _to_datetime(value):
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError:
            return value
    return value


def _to_date(value):
    if isinstance(value, str):
        try:
            return parse_date(value)
        except ValueError:
            return value
    return value


def _compile_converter(type_string):
    kind, detail = split_type(type_string)
    if kind == 'list':
        return _list_converter(converter(detail))
    if kind == 'dict':
        return _dict_converter(converter(detail))
    if kind == 'model':
        return _model_converter(detail)
    return {'float': _to_float, 'datetime': _to_datetime, 'date': _to_date}.get(detail, _keep)


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


def _model_converter(name):
    # The class is looked up on first use so that compiling a converter never
    # imports model modules the data does not need.
    resolved = []

    def convert(value):
        if not isinstance(value, dict):
            return value
        if not resolved:
            resolved.append(resolve_model(name))
        cls = resolved[0]
        return value if cls is None else cls._from_wire_dict(value)
    return convert
