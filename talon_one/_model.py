"""The base class of every generated model.

A generated model class declares data (``openapi_types``, ``attribute_map``,
``required_attributes``, ``validations``, ``aliases``), annotations for type checkers
and a constructor that fills the instance directly. Everything else lives here, once:

- each declared property is a :class:`Field` on the class; an instance parsed from JSON
  (``from_wire()``, or a response) keeps the JSON object and converts a field the first
  time it is read, so a large response costs little more than ``json.loads``;
- setting a property checks its rules (when client-side validation is on);
- ``validate()`` checks a whole request body; ``to_dict()`` / ``to_wire()`` /
  ``to_json()`` serialize through the codec (``talon_one._codec``).

Instance state (``__dict__``): the declared properties once set or read; ``_wire``, the
JSON object of a parsed instance; ``_extra``, the fields the spec does not declare (API
name -> JSON value, derived from ``_wire`` on first need); ``_validation``, the
ValidationSettings of the ``local_vars_configuration`` given to the constructor (absent:
the default configuration's); ``_known_only`` when unknown fields are discarded.
"""

import json
import pprint
import types
from typing import (TYPE_CHECKING, Any, Callable, ClassVar, Dict, FrozenSet, List, Mapping,
                    Optional, Sequence, Tuple, Type, TypeVar, cast)

from talon_one._codec import decoder, encode, keep, plain
from talon_one._compiled import class_encoder, compile_new_checker
from talon_one._configuration import Configuration
from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._naming import to_snake_case
from talon_one._null import NULL
from talon_one._types import split_type
from talon_one._validation import (EncodingPlan, InvalidModel, PlanEntry, ValidationSettings,
                                   check_rules, encoding_plan, model_failure, rule_table,
                                   validation_plan)

__all__ = ['Field', 'Model', 'NULL']

M = TypeVar('M', bound='Model')

_new = object.__new__
_set = object.__setattr__



class Field(object):
    # A declared property, on the class. A non-data descriptor: once a value is in the
    # instance's __dict__ (set by the constructor, by assignment or by the first read),
    # attribute reads find it there directly and never come back here.

    __slots__ = ('name', 'api_name', 'type_string', 'required', 'empty', 'other_name',
                 'earlier_name', 'holds_models', '_decode')

    def __init__(self, name: str, api_name: str, type_string: str, required: bool,
                 earlier_name: Optional[str] = None) -> None:
        self.name = name
        self.api_name = api_name
        self.type_string = type_string
        self.required = required
        # A required list or map that a response leaves out reads as an empty one.
        kind, detail = split_type(type_string)
        self.empty: Optional[Callable[[], Any]] = (
            (list if kind == 'list' else dict if kind == 'dict' else None) if required else None)
        # The attribute name is understood in a JSON object too (from_dict(to_dict())).
        self.other_name = name if name != api_name else None
        # Another API name the property had in an earlier release (read, never written).
        self.earlier_name = earlier_name
        self.holds_models = kind == 'model' or (kind != 'primitive'
                                                and split_type(detail)[0] != 'primitive')
        self._decode: Optional[Callable[[Any], Any]] = None

    def __get__(self, obj: Optional['Model'], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__
        wire = state.get('_wire')
        if wire is None:  # built, not parsed: a property never set is None
            return state.setdefault(self.name, None)
        raw = wire.get(self.api_name)
        if raw is None and self.other_name is not None:
            raw = wire.get(self.other_name)
        if raw is None and self.earlier_name is not None:
            raw = wire.get(self.earlier_name)
        if raw is None:
            value = None if self.empty is None else self.empty()
        else:
            convert = self._decode
            if convert is None:
                convert = self._decode = decoder(self.type_string)
            value = raw if convert is keep else convert(raw)
            if self.holds_models and '_known_only' in state:
                _discard_unknown(value)
        # setdefault: threads reading a field for the first time at once all get one value.
        return state.setdefault(self.name, value)

    @property
    def __doc__(self) -> str:  # type: ignore[override]
        return '%s: ``%s`` (API name ``%s``)%s.' % (
            self.name, self.type_string, self.api_name, ', required' if self.required else '')

    def __repr__(self) -> str:
        return 'Field(%r, %r, %r)' % (self.name, self.api_name, self.type_string)


def _default_settings() -> ValidationSettings:
    """The validation settings of the default configuration (no copy is made)."""
    default = Configuration._default
    return (default if default is not None else Configuration.get_default())._validation_settings


def _discard_unknown(value: Any) -> None:
    """Mark parsed models (also inside lists and dicts) to drop their unknown fields."""
    if isinstance(value, Model):
        value.__dict__['_known_only'] = True
        value.__dict__['_extra'] = {}
    elif isinstance(value, list):
        for item in cast('Sequence[Any]', value):
            _discard_unknown(item)
    elif isinstance(value, dict):
        for item in cast('Mapping[Any, Any]', value).values():
            _discard_unknown(item)


class Model(object):
    """Base class of the generated models.

    Subclasses declare ``openapi_types`` (attribute -> type string), ``attribute_map``
    (attribute -> API name), ``required_attributes``, ``validations`` (attribute ->
    rules), ``aliases`` (extra name -> attribute) and ``wire_aliases`` (attribute ->
    the API name an earlier release used, read from responses too).
    """

    openapi_types: ClassVar[Dict[str, str]] = {}
    attribute_map: ClassVar[Dict[str, str]] = {}
    required_attributes: ClassVar[FrozenSet[str]] = frozenset()
    validations: ClassVar[Dict[str, Dict[str, Any]]] = {}
    aliases: ClassVar[Dict[str, str]] = {}
    wire_aliases: ClassVar[Dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if 'openapi_types' not in cls.__dict__:
            return  # a user's subclass: the fields are inherited
        names = cls.attribute_map
        for attr, type_string in cls.openapi_types.items():
            field = Field(attr, names.get(attr, attr), type_string,
                          attr in cls.required_attributes, cls.wire_aliases.get(attr))
            type.__setattr__(cls, attr, field)
        type.__setattr__(cls, '_rules', rule_table(cls.validations))

    def __init__(self, local_vars_configuration: Optional[Configuration] = None) -> None:
        if local_vars_configuration is not None:
            self._use_configuration(local_vars_configuration)

    def _use_configuration(self, configuration: Configuration) -> None:
        """Constructor helper: check this instance by ``configuration``'s validation settings
        (a generated constructor fills the instance dict itself and calls this only when a
        ``local_vars_configuration`` is given)."""
        self.__dict__['_validation'] = configuration._validation_settings

    def _checked(self, attr: str, value: Any) -> Any:
        """``value`` after checking the rules of ``attr`` (None and NULL are not checked)."""
        if value is None or value is NULL:
            return value
        rules = type(self).validations.get(attr)
        if rules is not None:
            settings = self._settings()
            if settings.enabled:
                check_rules('%s.%s' % (type(self).__name__, attr), rules, value,
                            settings.disabled)
        return value

    _rules: ClassVar[Tuple[Tuple[str, Any], ...]] = ()

    def _check_new(self, values: Dict[str, Any]) -> None:
        """Constructor helper: check the rules of the values just set (when validation is
        on), as assigning them one by one would.

        The first call compiles the class's own check (``talon_one._compiled``) and puts it
        on the class, where later calls find it directly.
        """
        cls = type(self)
        checker = compile_new_checker(cls, cls._rules)
        if 'openapi_types' in cls.__dict__:
            type.__setattr__(cls, '_check_new', checker)
        checker(self, values)

    def _settings(self) -> ValidationSettings:
        settings: Optional[ValidationSettings] = self.__dict__.get('_validation')
        return settings or _default_settings()

    def _take_alias(self, attr: str, value: Any, alias: str, alias_value: Any) -> Any:
        """Constructor helper: accept ``alias=...`` in place of ``attr=...``."""
        if alias_value is None:
            return value
        if value is not None:
            raise ApiTypeError('%s() got values for both %r and its alias %r'
                               % (type(self).__name__, attr, alias))
        return alias_value

    # -- attribute access ------------------------------------------------------------
    # Hidden from type checkers, so that a misspelt attribute is an error there.

    if not TYPE_CHECKING:
        def __setattr__(self, name, value):
            cls = type(self)
            if name in cls.openapi_types:
                self.__dict__[name] = self._checked(name, value)
            elif name in cls.aliases:
                setattr(self, cls.aliases[name], value)
            else:
                key = self._extra_key(name)
                if key is not None:
                    # An unknown response field: the new value must reach the wire too.
                    self._extras()[key] = value
                else:
                    object.__setattr__(self, name, value)

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
                return self._extras()[key]
            raise AttributeError('%r object has no attribute %r' % (cls.__name__, name))

    def _extras(self) -> Dict[str, Any]:
        """The unknown fields (API name -> JSON value), derived from ``_wire`` once."""
        state = self.__dict__
        extra: Optional[Dict[str, Any]] = state.get('_extra')
        if extra is None:
            wire = state.get('_wire')
            if wire is None or '_known_only' in state:
                extra = {}
            else:
                known = type(self)._known_keys()
                extra = {key: value for key, value in wire.items() if key not in known}
            # Another thread may have stored its dict first: every caller gets the same one.
            stored: Dict[str, Any] = state.setdefault('_extra', extra)
            return stored
        return extra

    @classmethod
    def _known_keys(cls) -> FrozenSet[str]:
        known: Optional[FrozenSet[str]] = cls.__dict__.get('_known')
        if known is None:
            known = (frozenset(cls.attribute_map.values()) | frozenset(cls.openapi_types)
                     | frozenset(cls.wire_aliases.values()))
            type.__setattr__(cls, '_known', known)
        return known

    def _extra_key(self, name: str) -> Optional[str]:
        """The API name of an unknown field, given as API name or snake_case; else None."""
        state = self.__dict__
        if '_extra' not in state and '_wire' not in state:
            return None
        extra = self._extras()
        if name in extra:
            return name
        for key in extra:
            if to_snake_case(key) == name:
                return key
        return None

    @property
    def extra_fields(self) -> Mapping[str, Any]:
        """Read-only view of the fields the spec does not declare (API name -> JSON value)."""
        return types.MappingProxyType(self._extras())

    # -- validation ------------------------------------------------------------------

    def validate(self, path: Optional[str] = None) -> None:
        """Check the whole model before it is sent.

        Required attributes must be set; every value must have the JSON type its type
        string asks for and obey its rules (except the JSON Schema keywords that
        ``disabled_client_side_validations`` turns off); nested models, lists and dicts
        are checked too. Raises ``ApiValueError`` naming the full path, e.g.
        ``IntegrationRequest.customer_session.cart_items[0].quantity``.
        """
        self._raise_first_failure(path, self._settings().disabled)

    def _raise_first_failure(self, path: Optional[str], disabled: FrozenSet[str]) -> None:
        failure = model_failure(self, disabled)
        if failure is not None:
            raise ApiValueError('%s%s: %s' % (path or type(self).__name__, failure[0],
                                              failure[1]))

    @classmethod
    def _validation_plan(cls) -> Tuple[PlanEntry, ...]:
        """Per class, once: (attr, checker, rules, required) for every declared attribute."""
        plan: Optional[Tuple[PlanEntry, ...]] = cls.__dict__.get('_plan')
        if plan is None:
            plan = validation_plan(cls.openapi_types, cls.validations, cls.required_attributes)
            type.__setattr__(cls, '_plan', plan)
        return plan

    # -- serialization ---------------------------------------------------------------

    def _wire_items(self) -> Dict[str, Any]:
        """``{API name: value}`` of the set fields and the unknown ones (the codec's view)."""
        state = self.__dict__
        if '_wire' in state:
            self._read_all()
        names = type(self).attribute_map
        wire: Dict[str, Any] = {}
        for attr, value in state.items():
            if value is not None:
                api_name = names.get(attr)
                if api_name is not None:
                    wire[api_name] = value
        return self._add_extras(wire)

    def _checked_wire_items(self, disabled: FrozenSet[str]) -> Dict[str, Any]:
        """``_wire_items()``, checking each field on the way (the validating encoder's view).

        The first call compiles the class's own version (``talon_one._compiled``) and puts
        it on the class, where later calls find it directly.
        """
        cls = type(self)
        if '_checked_wire_items' not in cls.__dict__ and 'openapi_types' in cls.__dict__:
            return class_encoder(cls)(self, disabled)
        return self._checked_wire_items_generic(disabled)

    def _checked_wire_items_generic(self, disabled: FrozenSet[str]) -> Dict[str, Any]:
        """``_checked_wire_items`` for any instance (parsed ones, unknown fields) by a table.

        Required fields, JSON types and rules are checked here; nested models are checked
        when the encoder reaches them. Raises ``InvalidModel`` at the first problem. Only
        the properties that were set are visited (in the order they were set).
        """
        state = self.__dict__
        if '_wire' in state:
            self._read_all()
        cls = type(self)
        plan, required = cls.__dict__.get('_encoding') or cls._encoding_plan()
        wire: Dict[str, Any] = {}
        for attr, value in state.items():
            if value is None:
                continue
            entry = plan.get(attr)
            if entry is None:
                continue  # private state (_validation, _extra...)
            api_name, plain, check, rules = entry
            if value is not NULL:
                failure = None if plain is None or type(value) in plain else check(value,
                                                                                   disabled)
                if failure is None and rules is not None:
                    failure = rules(value, disabled)
                if failure is not None:
                    raise InvalidModel(self, ('.%s%s' % (attr, failure[0]), failure[1]))
            wire[api_name] = value
        for attr in required:
            if state.get(attr) is None:
                raise InvalidModel(self, ('.' + attr, 'is required, got None'))
        return self._add_extras(wire)

    def _read_all(self) -> None:
        """Convert every field of a parsed instance (each read once, then kept)."""
        for attr in type(self).openapi_types:
            getattr(self, attr)

    def _add_extras(self, wire: Dict[str, Any]) -> Dict[str, Any]:
        state = self.__dict__
        if '_extra' in state or '_wire' in state:
            for key, value in self._extras().items():
                wire.setdefault(key, value)
        return wire

    @classmethod
    def _encoding_plan(cls) -> EncodingPlan:
        plan: Optional[EncodingPlan] = cls.__dict__.get('_encoding')
        if plan is None:
            plan = encoding_plan(cls.openapi_types, cls.attribute_map, cls.validations,
                                 cls.required_attributes)
            type.__setattr__(cls, '_encoding', plan)
        return plan

    def to_dict(self, serialize: bool = False) -> Dict[str, Any]:
        """Every declared attribute (None included) by Python name; nested models as dicts.

        With ``serialize=True`` the keys are the API names instead, as in the official SDK.
        """
        if serialize:
            names = type(self).attribute_map
            return {names.get(attr, attr): plain(getattr(self, attr), True)
                    for attr in type(self).openapi_types}
        return {attr: plain(getattr(self, attr)) for attr in type(self).openapi_types}

    def to_str(self) -> str:
        """``to_dict()`` pretty-printed."""
        return pprint.pformat(self.to_dict())

    def __repr__(self) -> str:
        return self.to_str()

    def to_wire(self) -> Dict[str, Any]:
        """JSON-ready dict keyed by API names: None left out, NULL as null, unknown fields kept."""
        wire: Dict[str, Any] = encode(self._wire_items())
        return wire

    def to_json(self, **kwargs: Any) -> str:
        """``to_wire()`` as JSON text; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_wire(), **kwargs)

    @classmethod
    def from_wire(cls: Type[M], data: Mapping[str, Any]) -> M:
        """A model of the JSON object ``data`` (a dict keyed by API names), parsed leniently.

        Never validates and never fails because of the data's content; fields the spec
        does not declare end up in ``extra_fields``. Fields are converted when first
        read, so ``data`` is kept: do not change it afterwards.
        """
        if not isinstance(data, dict):
            raise ApiTypeError('%s.from_wire() needs a dict (a JSON object), got %s'
                               % (cls.__name__, type(data).__name__))
        return cls._wrap(data)

    @classmethod
    def from_dict(cls: Type[M], data: Mapping[str, Any]) -> M:
        """Same as :meth:`from_wire` (API names or attribute names are both understood)."""
        return cls.from_wire(data)

    @classmethod
    def from_json(cls: Type[M], text: str) -> M:
        """A model of the JSON text ``text``."""
        return cls.from_wire(json.loads(text))

    @classmethod
    def _wrap(cls: Type[M], data: Dict[str, Any]) -> M:
        """An instance over the decoded JSON object ``data`` (no copy, no checks)."""
        obj = _new(cls)
        # Not obj.__dict__[...]: on CPython 3.11+ that builds the instance dict now, one more
        # allocation per model, which a large response pays hundreds of times in GC passes.
        _set(obj, '_wire', data)
        return obj

    # -- comparison ------------------------------------------------------------------

    def _state(self) -> Tuple[List[Any], Dict[str, Any]]:
        return [getattr(self, attr) for attr in type(self).openapi_types], self._extras()

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return False
        return self._state() == other._state()

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value
