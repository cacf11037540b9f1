"""The base class of every generated model.

Generated model classes only declare data (type strings, API names, required
attributes, validation rules); all behaviour lives here, once:

- setting an attribute checks its rules (when client-side validation is on);
- ``validate()`` checks a whole request body before it is sent;
- ``to_dict()`` / ``to_wire()`` / ``to_json()`` serialize, ``from_wire()`` /
  ``from_json()`` parse leniently (responses never fail to parse because of
  unexpected data: odd values are kept as they came).

The model-free helpers live in their own modules and are re-exported here
for code that imports them from this module:
``talon_one.null`` (``NULL``), ``talon_one.naming`` (``to_snake_case``),
``talon_one.datetimes`` (``parse_datetime``, ``parse_date``,
``format_datetime``, ``normalise_rfc3339``), ``talon_one.type_strings``
(``resolve_model``), ``talon_one.conversion`` (``deserialize_value``) and
``talon_one.validation`` (``check_rules``, ``rule_failure``). What needs to
know ``Model`` itself stays here: ``serialize_value`` and the recursive
value check behind ``validate()``.
"""

import datetime
import functools
import json
import pprint
import types

from typing import Any, ClassVar, Dict, FrozenSet

from talon_one.configuration import Configuration
from talon_one.conversion import converter as _converter
from talon_one.conversion import deserialize_value
from talon_one.datetimes import format_datetime, normalise_rfc3339, parse_date, parse_datetime
from talon_one.exceptions import ApiTypeError, ApiValueError
from talon_one.naming import to_snake_case
from talon_one.null import NULL
from talon_one.type_strings import resolve_model, split_type
from talon_one.validation import check_rules, rule_failure, short_repr, type_failure

__all__ = [
    'Model', 'NULL', 'deserialize_value', 'serialize_value', 'format_datetime',
    'parse_datetime', 'parse_date', 'rule_failure', 'to_snake_case',
    # Re-exported from their own modules for code that imports them from here.
    'check_rules', 'normalise_rfc3339', 'resolve_model',
]


# ---------------------------------------------------------------------------
# Serialization (requests)

_JSON_SCALARS = frozenset([str, int, float, bool])


def serialize_value(value):
    """A JSON-ready copy of ``value``: models via ``to_wire()``, date-times as RFC 3339."""
    if type(value) in _JSON_SCALARS:  # the common case first, by exact type
        return value
    if value is None or value is NULL:
        return None
    if isinstance(value, (str, int, float)):  # subclasses, bool among them
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
# Validation of values that may hold models

def _type_failure(type_string, value):
    """Like ``validation.type_failure``, also accepting a model instance of the named class."""
    if isinstance(value, Model):
        kind, detail = split_type(type_string)
        if kind == 'model':
            if type(value).__name__ == detail:
                return None
            return 'must be %s, got %s' % (detail, type(value).__name__)
    return type_failure(type_string, value)


# A checker takes a value (not None/NULL) and returns None, or (path suffix, message) for the
# first problem. Paths are only built on failure: checking a valid request stays cheap.

@functools.lru_cache(maxsize=None)
def _checker(type_string):
    """The compiled checker of a type string (type, then contents)."""
    kind, detail = split_type(type_string)
    if kind == 'list':
        return _list_checker(type_string, _checker(detail))
    if kind == 'dict':
        return _dict_checker(type_string, _checker(detail))
    if kind == 'model':
        return _model_checker(type_string, detail)
    return _leaf_checker(type_string)


def _leaf_checker(type_string):
    def check(value):
        failure = type_failure(type_string, value)
        return None if failure is None else ('', failure)
    return check


def _list_checker(type_string, item_check):
    def check(value):
        if not isinstance(value, (list, tuple)):
            return '', type_failure(type_string, value)
        for index, item in enumerate(value):
            if item is not None and item is not NULL:
                failure = item_check(item)
                if failure is not None:
                    return '[%d]%s' % (index, failure[0]), failure[1]
        return None
    return check


def _dict_checker(type_string, item_check):
    def check(value):
        if not isinstance(value, dict):
            return '', type_failure(type_string, value)
        for key, item in value.items():
            if not isinstance(key, str):
                return '', 'keys must be strings, got %s' % short_repr(key)
            if item is not None and item is not NULL:
                failure = item_check(item)
                if failure is not None:
                    return '[%r]%s' % (key, failure[0]), failure[1]
        return None
    return check


def _model_checker(type_string, class_name):
    def check(value):
        if type(value).__name__ == class_name and isinstance(value, Model):
            return value._first_failure()
        failure = _type_failure(type_string, value)
        return None if failure is None else ('', failure)
    return check


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
            return Configuration.get_default().client_side_validation
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
        failure = self._first_failure()
        if failure is not None:
            raise ApiValueError('%s%s: %s' % (path or type(self).__name__, failure[0], failure[1]))

    def _first_failure(self):
        """(path suffix, message) of the first problem found, or None."""
        state = self.__dict__
        for attr, check, rules, required in type(self)._validation_plan():
            value = state.get(attr)
            if value is None:
                if required:
                    return '.' + attr, 'is required, got None'
                continue
            if value is NULL:
                continue
            failure = check(value)
            if failure is None and rules:
                # Rules apply once the type is right (a length needs a string or a list).
                failure = rule_failure(rules, value)
            if failure is not None:
                return '.%s%s' % (attr, failure[0]), failure[1]
        return None

    @classmethod
    def _validation_plan(cls):
        """Per class, once: (attr, checker, rules, required) for every declared attribute."""
        plan = cls.__dict__.get('_plan')
        if plan is None:
            plan = tuple((attr, _checker(type_string), cls.validations.get(attr),
                          attr in cls.required_attributes)
                         for attr, type_string in cls.openapi_types.items())
            cls._plan = plan
        return plan

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
            entries = {attr: (attr, _converter(type_string))
                       for attr, type_string in cls.openapi_types.items()}
            fields = {cls.attribute_map.get(attr, attr): entry for attr, entry in entries.items()}
            for attr, entry in entries.items():
                fields.setdefault(attr, entry)  # an API name wins over an equal attribute name
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
