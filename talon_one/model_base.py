"""The base class of every generated model, and JSON <-> Python value conversion.

Generated model classes only declare data (type strings, API names, required
attributes, validation rules); all behaviour lives here, once:

- setting an attribute checks its rules (when client-side validation is on);
- ``validate()`` checks a whole request body before it is sent;
- ``to_dict()`` / ``to_wire()`` / ``to_json()`` serialize, ``from_wire()`` /
  ``from_json()`` parse leniently (responses never fail to parse because of
  unexpected data: odd values are kept as they came).

The module-level helpers (``deserialize_value``, ``serialize_value``,
``format_datetime``, ``parse_datetime``, ``parse_date``) are shared with the
ApiClient.
"""

import datetime
import importlib
import json
import pprint
import re
import sys
import types

from typing import Any, Callable, ClassVar, Dict, FrozenSet, Optional, Tuple

from talon_one.exceptions import ApiTypeError, ApiValueError

__all__ = [
    'Model', 'NULL', 'deserialize_value', 'serialize_value', 'format_datetime',
    'parse_datetime', 'parse_date', 'rule_failure', 'to_snake_case',
]

_UTC = datetime.timezone.utc


class _Null(object):
    """Type of :data:`NULL`; there is only ever one instance."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return 'NULL'

    def __bool__(self):
        return False

    def __reduce__(self):
        return 'NULL'

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


#: Assign ``NULL`` to a model attribute to send an explicit JSON ``null``
#: (``None`` means "leave the field out").
NULL = _Null()


# ---------------------------------------------------------------------------
# Names

_CAMEL_BOUNDARY_1 = re.compile(r'([A-Z]+)([A-Z][a-z])')
_CAMEL_BOUNDARY_2 = re.compile(r'([a-z\d])([A-Z])')


def to_snake_case(name):
    """``customerSession`` -> ``customer_session`` (same rule as the generator)."""
    name = _CAMEL_BOUNDARY_1.sub(r'\1_\2', name)
    name = _CAMEL_BOUNDARY_2.sub(r'\1_\2', name)
    return name.replace('-', '_').lower()


# ---------------------------------------------------------------------------
# Date-time parsing and formatting

_RFC3339 = re.compile(
    r'(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d(?::\d\d)?)(?:[.,](\d+))?([Zz]|[+-]\d\d(?::?\d\d)?)?$')


def normalise_rfc3339(text):
    """Rewrite an RFC 3339 date-time into the subset ``fromisoformat()`` of Python < 3.11 reads.

    ``Z`` becomes ``+00:00``, the fraction gets exactly 6 digits, offsets get a colon.
    Text that is not an RFC 3339 date-time is returned unchanged.
    """
    match = _RFC3339.match(text)
    if match is None:
        return text
    day, clock, fraction, zone = match.groups()
    text = day + 'T' + clock
    if fraction:
        text += '.' + (fraction + '000000')[:6]
    if zone:
        if zone in ('Z', 'z'):
            zone = '+00:00'
        elif len(zone) == 3:
            zone += ':00'
        elif ':' not in zone:
            zone = zone[:3] + ':' + zone[3:]
        text += zone
    return text


if sys.version_info >= (3, 11):
    _fromisoformat = datetime.datetime.fromisoformat
else:
    def _fromisoformat(text):
        return datetime.datetime.fromisoformat(normalise_rfc3339(text))


def parse_datetime(text):
    """Parse an RFC 3339 / ISO 8601 date-time into a timezone-aware ``datetime``.

    A missing offset means UTC. Raises ``ValueError`` when ``text`` is not a
    date-time.
    """
    try:
        value = _fromisoformat(text)
    except (TypeError, ValueError):
        value = _parse_with_dateutil(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    return value


def _parse_with_dateutil(text):
    if not isinstance(text, str):
        raise ValueError('not a date-time string: %r' % (text,))
    from dateutil.parser import isoparse  # type: ignore[import-untyped]  # rarely needed
    try:
        return isoparse(text)
    except (ValueError, OverflowError) as error:
        raise ValueError('not an RFC 3339 date-time: %r' % (text,)) from error


def parse_date(text):
    """Parse an ISO 8601 date (``2021-03-04``) into a ``date``; ``ValueError`` if it is not one."""
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return _parse_with_dateutil(text).date()


def format_datetime(value):
    """RFC 3339 text with an offset; a naive ``datetime`` is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    return value.isoformat()


# ---------------------------------------------------------------------------
# Type strings: "str", "int", "float", "bool", "datetime", "date", "object",
# "list[T]", "dict(str, T)" and model class names.

_LIST_TYPE = re.compile(r'list\[(.+)\]$')
_DICT_TYPE = re.compile(r'dict\(([^,]+), (.+)\)$')
_PRIMITIVES = frozenset(['str', 'int', 'float', 'bool', 'datetime', 'date', 'object'])


_SPLIT_CACHE: Dict[str, Tuple[str, Optional[str]]] = {}


def _split_type(type_string):
    """``('list', T)``, ``('dict', T)``, ``('model', name)`` or ``('primitive', name)``."""
    split = _SPLIT_CACHE.get(type_string)
    if split is None:
        split = _SPLIT_CACHE[type_string] = _split_uncached(type_string)
    return split


def _split_uncached(type_string):
    match = _LIST_TYPE.match(type_string)
    if match:
        return 'list', match.group(1)
    match = _DICT_TYPE.match(type_string)
    if match:
        return 'dict', match.group(2)
    if type_string in _PRIMITIVES or not type_string[:1].isupper():
        return 'primitive', type_string
    return 'model', type_string


def resolve_model(name):
    """The model class called ``name`` (via the lazy ``talon_one.models``), or None."""
    models = sys.modules.get('talon_one.models')
    if models is None:
        models = importlib.import_module('talon_one.models')
    try:
        return getattr(models, name)
    except AttributeError:
        return None


# ---------------------------------------------------------------------------
# Lenient deserialization (responses). Converters are compiled once per type
# string and cached; none of them raises for unexpected data.

_CONVERTERS: Dict[str, Callable[[Any], Any]] = {}


def deserialize_value(type_string, value):
    """Convert the JSON value ``value`` to the Python value for ``type_string``.

    Lenient: a value of an unexpected JSON type is returned as it is.
    """
    if value is None:
        return None
    return _converter(type_string)(value)


def _converter(type_string):
    converter = _CONVERTERS.get(type_string)
    if converter is None:
        converter = _CONVERTERS[type_string] = _compile_converter(type_string)
    return converter


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
    kind, detail = _split_type(type_string)
    if kind == 'list':
        return _list_converter(_converter(detail))
    if kind == 'dict':
        return _dict_converter(_converter(detail))
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


# ---------------------------------------------------------------------------
# Serialization (requests)

def serialize_value(value):
    """A JSON-ready copy of ``value``: models via ``to_wire()``, date-times as RFC 3339."""
    if value is None or value is NULL:
        return None
    if isinstance(value, (str, int, float)):  # bool is an int
        return value
    if isinstance(value, Model):
        return value.to_wire()
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [serialize_value(item) for item in value]
    if isinstance(value, dict):
        return {key: serialize_value(item) for key, item in value.items()}
    return value


def _plain(value, serialize=False):
    """``to_dict()`` form of a value: nested models become dicts."""
    if isinstance(value, Model):
        return value.to_dict(serialize)
    if isinstance(value, (list, tuple)):
        return [_plain(item, serialize) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item, serialize) for key, item in value.items()}
    if value is NULL:
        return None
    return value


# ---------------------------------------------------------------------------
# Validation rules

def _short(value):
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    if isinstance(value, (str, list, tuple)) and len(value) > 20:
        text += ' (length %d)' % len(value)
    return text


def _count(number, noun):
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rule_failure(rules, value):
    """Check ``value`` (not None) against ``rules``.

    Returns None when it passes, else ``(suffix, message)``: ``suffix`` locates
    the offending list item (e.g. ``'[2]'``, usually ``''``) and ``message``
    names the rule and the value. Rules that do not apply to the value's type
    are skipped (``validate()`` reports wrong types).
    """
    enum = rules.get('enum')
    if isinstance(value, str):
        if enum is not None and value not in enum:
            return '', 'must be one of %s, got %s' % (list(enum), _short(value))
        return _length_failure(rules, value)
    if _is_number(value):
        if enum is not None and value not in enum:
            return '', 'must be one of %s, got %s' % (list(enum), _short(value))
        return _range_failure(rules, value)
    if isinstance(value, (list, tuple)):
        if 'min_items' in rules and len(value) < rules['min_items']:
            return '', 'must have at least %s, got %d' % (_count(rules['min_items'], 'item'),
                                                         len(value))
        if 'max_items' in rules and len(value) > rules['max_items']:
            return '', 'must have at most %s, got %d' % (_count(rules['max_items'], 'item'),
                                                        len(value))
        if enum is not None:
            for index, item in enumerate(value):
                if item is not None and item is not NULL and item not in enum:
                    return '[%d]' % index, 'must be one of %s, got %s' % (list(enum), _short(item))
    return None


def _length_failure(rules, value):
    if 'min_length' in rules and len(value) < rules['min_length']:
        return '', 'must be at least %s long, got %s' % (
            _count(rules['min_length'], 'character'), _short(value))
    if 'max_length' in rules and len(value) > rules['max_length']:
        return '', 'must be at most %s long, got %s' % (
            _count(rules['max_length'], 'character'), _short(value))
    pattern = rules.get('pattern')
    if pattern is not None and re.search(pattern, value) is None:
        return '', 'must match the pattern %r, got %s' % (pattern, _short(value))
    return None


def _range_failure(rules, value):
    if 'minimum' in rules:
        low = rules['minimum']
        if rules.get('exclusive_minimum'):
            if value <= low:
                return '', 'must be > %s, got %r' % (low, value)
        elif value < low:
            return '', 'must be >= %s, got %r' % (low, value)
    if 'maximum' in rules:
        high = rules['maximum']
        if rules.get('exclusive_maximum'):
            if value >= high:
                return '', 'must be < %s, got %r' % (high, value)
        elif value > high:
            return '', 'must be <= %s, got %r' % (high, value)
    return None


def check_rules(path, rules, value):
    """Raise ``ApiValueError`` naming ``path`` when ``value`` breaks one of ``rules``."""
    failure = rule_failure(rules, value)
    if failure is not None:
        suffix, message = failure
        raise ApiValueError('%s%s: %s' % (path, suffix, message))


def _type_failure(type_string, value):
    """A message when ``value`` is not of the JSON type ``type_string`` asks for, else None."""
    kind, detail = _split_type(type_string)
    if kind == 'list':
        ok, expected = isinstance(value, (list, tuple)), 'a list'
    elif kind == 'dict':
        ok, expected = isinstance(value, dict), 'a dict'
    elif kind == 'model':
        if isinstance(value, Model):
            if type(value).__name__ == detail:
                return None
            return 'must be %s, got %s' % (detail, type(value).__name__)
        ok, expected = isinstance(value, dict), '%s (or a dict)' % detail
    elif detail == 'str':
        ok, expected = isinstance(value, str), 'a string'
    elif detail == 'int':
        ok, expected = isinstance(value, int) and not isinstance(value, bool), 'an integer'
    elif detail == 'float':
        ok, expected = _is_number(value), 'a number'
    elif detail == 'bool':
        ok, expected = isinstance(value, bool), 'a boolean'
    elif detail == 'datetime':
        ok, expected = _is_datetime(value), 'a datetime (or an RFC 3339 string)'
    elif detail == 'date':
        ok, expected = _is_date(value), 'a date (or an ISO 8601 date string)'
    else:
        return None
    if ok:
        return None
    return 'must be %s, got %s' % (expected, _short(value))


def _is_datetime(value):
    if isinstance(value, datetime.datetime):
        return True
    if isinstance(value, str):
        try:
            parse_datetime(value)
        except ValueError:
            return False
        return True
    return False


def _is_date(value):
    if isinstance(value, datetime.date):
        return True
    if isinstance(value, str):
        try:
            parse_date(value)
        except ValueError:
            return False
        return True
    return False


def _validate_value(path, type_string, value, rules=None):
    """Check one value (not None/NULL) for type and rules, recursing into containers."""
    failure = _type_failure(type_string, value)
    if failure is not None:
        raise ApiValueError('%s: %s' % (path, failure))
    if rules:
        check_rules(path, rules, value)
    kind, detail = _split_type(type_string)
    if kind == 'list':
        for index, item in enumerate(value):
            if item is not None and item is not NULL:
                _validate_value('%s[%d]' % (path, index), detail, item)
    elif kind == 'dict':
        for key, item in value.items():
            if not isinstance(key, str):
                raise ApiValueError('%s: keys must be strings, got %s' % (path, _short(key)))
            if item is not None and item is not NULL:
                _validate_value('%s[%r]' % (path, key), detail, item)
    elif isinstance(value, Model):
        value.validate(path)


# ---------------------------------------------------------------------------
# Client-side validation switch

_Configuration = None


def _default_client_side_validation():
    global _Configuration
    if _Configuration is None:
        from talon_one.configuration import Configuration as _Configuration
    return _Configuration.get_default().client_side_validation


# ---------------------------------------------------------------------------

class Model(object):
    """Base class of the generated models.

    Subclasses declare ``openapi_types`` (attribute -> type string),
    ``attribute_map`` (attribute -> API name), ``required_attributes``,
    ``validations`` (attribute -> rules) and ``aliases`` (extra name ->
    attribute). Attribute values live in the instance ``__dict__``; fields a
    response carried that the spec does not know are kept in ``_extra``.
    """

    openapi_types: ClassVar[Dict[str, str]] = {}
    attribute_map: ClassVar[Dict[str, str]] = {}
    required_attributes: ClassVar[FrozenSet[str]] = frozenset()
    validations: ClassVar[Dict[str, Dict[str, Any]]] = {}
    aliases: ClassVar[Dict[str, str]] = {}

    def __init__(self, local_vars_configuration=None):
        state = self.__dict__
        # Only the switch is kept, never the Configuration; None = ask the default one.
        state['_client_side_validation'] = (
            None if local_vars_configuration is None
            else bool(local_vars_configuration.client_side_validation))
        state['_extra'] = {}

    # -- attribute access ---------------------------------------------------

    def __setattr__(self, name, value):
        cls = type(self)
        if name in cls.openapi_types:
            rules = cls.validations.get(name)
            if (rules is not None and value is not None and value is not NULL
                    and self._validation_enabled()):
                check_rules('%s.%s' % (cls.__name__, name), rules, value)
            self.__dict__[name] = value
        elif name in cls.aliases:
            setattr(self, cls.aliases[name], value)
        else:
            key = self._extra_key(name)
            if key is not None:
                # An unknown response field: the new value must reach the wire too.
                self.__dict__['_extra'][key] = value
            else:
                object.__setattr__(self, name, value)

    def _extra_key(self, name):
        """The API name of an unknown field, given as API name or snake_case; else None."""
        extra = self.__dict__.get('_extra')
        if extra:
            if name in extra:
                return name
            for key in extra:
                if to_snake_case(key) == name:
                    return key
        return None

    def __getattr__(self, name):
        # Only reached when normal lookup failed: aliases, then unknown response fields.
        if name.startswith('__'):
            raise AttributeError(name)
        cls = type(self)
        target = cls.aliases.get(name)
        if target is not None:
            return getattr(self, target)
        key = self._extra_key(name)
        if key is not None:
            return self.__dict__['_extra'][key]
        if name in cls.openapi_types:
            return None
        raise AttributeError('%r object has no attribute %r' % (cls.__name__, name))

    def _validation_enabled(self):
        enabled = self.__dict__.get('_client_side_validation')
        if enabled is None:
            return _default_client_side_validation()
        return enabled

    def _take_alias(self, attr, value, alias, alias_value):
        """Constructor helper: accept ``alias=...`` in place of ``attr=...``."""
        if alias_value is None:
            return value
        if value is not None:
            raise ApiTypeError('%s() got values for both %r and its alias %r'
                               % (type(self).__name__, attr, alias))
        return alias_value

    @property
    def extra_fields(self):
        """Read-only view of the fields the spec does not declare (API name -> JSON value)."""
        return types.MappingProxyType(self.__dict__.get('_extra') or {})

    # -- validation ---------------------------------------------------------

    def validate(self, path=None):
        """Check the whole model before it is sent.

        Required attributes must be set; every value must have the JSON type
        its type string asks for and obey its rules; nested models, lists and
        dicts are checked too. Raises ``ApiValueError`` naming the full path,
        e.g. ``IntegrationRequest.customer_session.cart_items[0].quantity``.
        """
        cls = type(self)
        path = path or cls.__name__
        state = self.__dict__
        for attr, type_string in cls.openapi_types.items():
            value = state.get(attr)
            if value is None:
                if attr in cls.required_attributes:
                    raise ApiValueError('%s.%s: is required, got None' % (path, attr))
                continue
            if value is NULL:
                continue
            _validate_value('%s.%s' % (path, attr), type_string, value, cls.validations.get(attr))

    # -- serialization --------------------------------------------------------

    def to_dict(self, serialize=False):
        """Every declared attribute (None included) by Python name; nested models as dicts.

        With ``serialize=True`` the keys are the API names instead, as in the official SDK.
        """
        state = self.__dict__
        if serialize:
            names = type(self).attribute_map
            return {names.get(attr, attr): _plain(state.get(attr), True)
                    for attr in type(self).openapi_types}
        return {attr: _plain(state.get(attr)) for attr in type(self).openapi_types}

    def to_str(self):
        return pprint.pformat(self.to_dict())

    def __repr__(self):
        return self.to_str()

    def to_wire(self):
        """JSON-ready dict keyed by API names: None left out, NULL as null, unknown fields kept."""
        state = self.__dict__
        wire = {}
        for attr, api_name in type(self).attribute_map.items():
            value = state.get(attr)
            if value is not None:
                wire[api_name] = serialize_value(value)
        extra = state.get('_extra')
        if extra:
            for key, value in extra.items():
                wire.setdefault(key, value)
        return wire

    def to_json(self, **kwargs):
        """``to_wire()`` as JSON text; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_wire(), **kwargs)

    @classmethod
    def from_wire(cls, data):
        """Build a model from a JSON object (dict keyed by API names), leniently.

        Never validates and never fails because of the data's content; fields
        the spec does not declare end up in ``extra_fields``.
        """
        if not isinstance(data, dict):
            raise ApiTypeError('%s.from_wire() needs a dict (a JSON object), got %s'
                               % (cls.__name__, type(data).__name__))
        return cls._from_wire_dict(data)

    from_dict = from_wire

    @classmethod
    def from_json(cls, text):
        return cls.from_wire(json.loads(text))

    @classmethod
    def _wire_plan(cls):
        """``(fields, blank)`` compiled once per class.

        ``fields`` maps each API name (and, for ``from_dict(to_dict())``
        round trips, each attribute name) to ``(attribute, converter)``;
        ``blank`` is the starting ``__dict__`` of a parsed instance.
        """
        plan = cls.__dict__.get('_compiled_wire_plan')
        if plan is None:
            fields = {}
            for attr, type_string in cls.openapi_types.items():
                fields[cls.attribute_map.get(attr, attr)] = (attr, _converter(type_string))
            for attr, type_string in cls.openapi_types.items():
                fields.setdefault(attr, (attr, _converter(type_string)))
            blank = dict.fromkeys(cls.openapi_types)
            blank['_client_side_validation'] = None
            plan = (fields, blank)
            type.__setattr__(cls, '_compiled_wire_plan', plan)
        return plan

    @classmethod
    def _from_wire_dict(cls, data):
        fields, blank = cls._wire_plan()
        obj = cls.__new__(cls)
        state = obj.__dict__
        state.update(blank)
        extra = {}
        for key, value in data.items():
            field = fields.get(key)
            if field is None:
                extra[key] = value
            elif value is not None:
                state[field[0]] = field[1](value)
        state['_extra'] = extra
        return obj

    # -- comparison -----------------------------------------------------------

    def _state(self):
        state = self.__dict__
        return [state.get(attr) for attr in type(self).openapi_types], state.get('_extra') or {}

    def __eq__(self, other):
        if type(other) is not type(self):
            return False
        return self._state() == other._state()

    def __ne__(self, other):
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value
