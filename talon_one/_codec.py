"""The codec: the one place that turns Python values into JSON values and back.

Decoding (responses) is lenient and compiled once per type string: ``decoder(type_string)``
returns a converter that never raises for unexpected data (a value of an unexpected JSON
type is kept as it came). Encoding (requests) writes models by their API names, leaves
None out, turns ``NULL`` into ``null``, date-times into RFC 3339 with an offset (a naive
one is taken as UTC) and dates into ISO dates. ``json_bytes`` does that in the same
``json.dumps`` pass that writes the bytes.

Models take part through two methods the codec calls (``talon_one._model.Model``):
``cls._wrap(dict)`` builds an instance from a JSON object, ``obj._wire_items()`` gives
``{API name: value}`` with None left out. The codec does not import the model module.
"""

import datetime
import functools
import json
from typing import Any, Callable, Dict, FrozenSet, Mapping, Optional, Sequence, cast

from talon_one._datetimes import format_datetime, fromisoformat, parse_date, parse_datetime
from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._null import NULL, NullType
from talon_one._types import resolve_model, split_type

__all__ = ['decode', 'decoder', 'encode', 'json_bytes', 'keep', 'plain']

Decoder = Callable[[Any], Any]


# -- decoding (JSON -> Python) ------------------------------------------------------------

def decode(type_string: str, value: Any) -> Any:
    """The Python value for the JSON value ``value`` of type ``type_string`` (lenient)."""
    if value is None:
        return None
    return decoder(type_string)(value)


@functools.lru_cache(maxsize=None)
def decoder(type_string: str) -> Decoder:
    """The converter for ``type_string``, compiled once (it is never called with None)."""
    kind, detail = split_type(type_string)
    if kind == 'list' and split_type(detail)[0] == 'model':
        return _model_list_decoder(detail)
    if kind == 'list':
        return _list_decoder(decoder(detail))
    if kind == 'dict':
        return _dict_decoder(decoder(detail))
    if kind == 'model':
        return _model_decoder(detail)
    return _SCALAR_DECODERS.get(detail, keep)


def keep(value: Any) -> Any:
    """The decoder of values that need no conversion (str, int, bool, free-form objects)."""
    return value


_EXACT_FLOAT_INTS = 2 ** 53


def _to_float(value: Any) -> Any:
    # A JSON integer for a number field is a float, when the float holds it exactly; a
    # larger one stays an int (a 64-bit amount keeps its digits; past 1e308 float() fails).
    if type(value) is int and -_EXACT_FLOAT_INTS <= value <= _EXACT_FLOAT_INTS:
        return float(value)
    return value


def _parsing(parse: Callable[[str], Any]) -> Decoder:
    """A converter that parses strings with ``parse`` and keeps what it cannot parse."""
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                pass
        return value
    return convert


_UTC = datetime.timezone.utc


def _to_datetime(value: Any) -> Any:
    # The hot path of a large response (thousands of date-times): fromisoformat straight
    # away; parse_datetime (dateutil) only for what it cannot read; the value kept if neither.
    if type(value) is str:
        try:
            parsed = fromisoformat(value)
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError:
            pass
    return value


_SCALAR_DECODERS: Dict[str, Decoder] = {
    'float': _to_float,
    'datetime': _to_datetime,
    'date': _parsing(parse_date),
}


def _copy_list(value: Any) -> Any:
    """A copy of a JSON array, so the model owns what it holds; other values as they came."""
    if isinstance(value, list):
        items = cast('Sequence[Any]', value)  # a JSON array: its items are any JSON values
        return list(items)
    return value


def _list_decoder(item: Decoder) -> Decoder:
    if item is keep:
        return _copy_list  # nothing to convert in the items

    def convert(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        items = cast('Sequence[Any]', value)
        return [None if x is None else item(x) for x in items]
    return convert


def _model_list_decoder(name: str) -> Decoder:
    """``list[Model]``: the most common list of responses, each object wrapped directly."""
    item = _model_decoder(name)
    wrap: Optional[Callable[[Dict[str, Any]], Any]] = None

    def convert(value: Any) -> Any:
        nonlocal wrap
        if not isinstance(value, list):
            return value
        items = cast('Sequence[Any]', value)
        if wrap is None:
            cls = resolve_model(name)
            if cls is None:
                return [None if x is None else item(x) for x in items]
            wrap = _wrapper(cls)
        # A JSON object becomes a model; anything else (null included) is kept as it came.
        # (``make``: a local the comprehension knows is set, taking any JSON object.)
        make: Callable[[Any], Any] = wrap
        return [make(x) if type(x) is dict else x for x in items]
    return convert


def _wrapper(cls: type) -> Callable[[Dict[str, Any]], Any]:
    """``cls._wrap``: builds an instance of the Model subclass ``cls`` from a JSON object."""
    wrap: Callable[[Dict[str, Any]], Any] = getattr(cls, '_wrap')
    return wrap


def _dict_decoder(item: Decoder) -> Decoder:
    def convert(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        obj = cast('Dict[str, Any]', value)  # a JSON object
        return {k: None if v is None else item(v) for k, v in obj.items()}
    return convert


def _model_decoder(name: str) -> Decoder:
    # The class is looked up on first use so that compiling a decoder never imports
    # model modules the data does not need.
    wrap: Optional[Callable[[Dict[str, Any]], Any]] = None

    def convert(value: Any) -> Any:
        nonlocal wrap
        if not isinstance(value, dict):
            return value
        obj = cast('Dict[str, Any]', value)  # a JSON object
        if wrap is None:
            cls = resolve_model(name)
            if cls is None:
                return obj
            wrap = _wrapper(cls)
        return wrap(obj)
    return convert


# -- encoding (Python -> JSON) ------------------------------------------------------------

_JSON_SCALARS = frozenset([str, int, float, bool])


def encode(value: Any) -> Any:
    """A JSON-ready copy of ``value`` (tuples stay tuples); ApiTypeError for other objects."""
    if type(value) in _JSON_SCALARS or value is None:  # the common case first, by exact type
        return value
    if isinstance(value, (str, int, float)):  # subclasses, bool among them
        return value
    # The containers come from the caller: their items may be anything.
    if isinstance(value, list):
        items = cast('Sequence[Any]', value)
        return [encode(item) for item in items]
    if isinstance(value, tuple):
        members = cast('Sequence[Any]', value)
        return tuple(encode(item) for item in members)
    if isinstance(value, dict):
        obj = cast('Mapping[Any, Any]', value)
        return {key: encode(item) for key, item in obj.items()}
    return encode(_json_default(value))


def _json_default(value: Any) -> Any:
    """What ``json.dumps`` writes for a value it does not know: the ``default=`` hook."""
    wire_items = getattr(value, '_wire_items', None)
    if wire_items is not None:
        return wire_items()
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, NullType):
        return None
    raise ApiTypeError('cannot serialize a value of type %s to JSON' % type(value).__name__)


def _checking_default(disabled: FrozenSet[str]) -> Callable[[Any], Any]:
    def default(value: Any) -> Any:
        checked = getattr(value, '_checked_wire_items', None)
        if checked is not None:
            return checked(disabled)
        return _json_default(value)
    return default


Encode = Callable[[Any], str]
_encoders: Dict[Optional[FrozenSet[str]], Encode] = {}


def _encoder(check: Optional[FrozenSet[str]]) -> Encode:
    """A compact JSON encoder (``default=`` hook for models), made once per ``check``.

    json.dumps would build a new encoder on every call; the C encoder made here is kept. It
    keeps no state between calls (no circular-reference markers: a cycle ends as a
    RecursionError).
    """
    encode = _encoders.get(check)
    if encode is None:
        default = _json_default if check is None else _checking_default(check)
        make = getattr(json.encoder, 'c_make_encoder', None)
        if make is not None:
            c_encode = make(None, default, json.encoder.encode_basestring, None, ':', ',',
                            False, False, False)

            def c_encoder(value: Any) -> str:
                return ''.join(c_encode(value, 0))
            encode = c_encoder
        else:  # an interpreter without the C accelerator
            encoder = json.JSONEncoder(default=default, separators=(',', ':'),
                                       ensure_ascii=False, allow_nan=False, check_circular=False)
            encode = encoder.encode
        if len(_encoders) < 64:   # a few distinct disabled-keyword sets at most
            _encoders[check] = encode
    return encode


def json_bytes(value: Any, check: Optional[FrozenSet[str]] = None) -> bytes:
    """Compact UTF-8 JSON of ``value`` in one pass; NaN and infinity are refused.

    With ``check`` (the disabled JSON Schema keywords), each model is validated as it is
    written (``_checked_wire_items``): a model that fails raises ``InvalidModel``.
    """
    try:
        text = _encoder(check)(value)
    except ApiTypeError:
        raise
    except RecursionError:
        raise ApiValueError('request body cannot be encoded as JSON: it is nested too deeply '
                            '(or refers to itself)') from None
    except (TypeError, ValueError) as err:
        raise ApiValueError('request body cannot be encoded as JSON: %s' % err) from None
    return text.encode('utf-8')


def plain(value: Any, api_names: bool = False) -> Any:
    """The ``to_dict()`` form of a value: nested models become dicts, ``NULL`` None."""
    to_dict = getattr(value, 'to_dict', None)
    if to_dict is not None and hasattr(value, '_wire_items'):
        return to_dict(api_names)
    if isinstance(value, (list, tuple)):
        items = cast('Sequence[Any]', value)
        return [plain(item, api_names) for item in items]
    if isinstance(value, dict):
        obj = cast('Mapping[Any, Any]', value)
        return {key: plain(item, api_names) for key, item in obj.items()}
    if value is NULL:
        return None
    return value


