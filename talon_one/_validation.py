"""Client-side checks of request values: the spec's rules and the JSON type of each value.

Three things live here, once:

- :class:`ValidationSettings`, the switch (``Configuration.client_side_validation``) and
  the JSON Schema keywords turned off (``Configuration.disabled_client_side_validations``);
- :func:`rule_failure` / :func:`check_rules`, one attribute's ``validations`` entry
  (see docs/design.md);
- :func:`checker`, compiled once per type string: the value's JSON type, then its contents,
  recursing into models (``model_failure``), lists and dicts.

Failures are ``(path suffix, message)`` pairs; paths are only built when something fails,
so checking a valid request stays cheap.
"""

import datetime
import functools
import re
from collections import abc
from typing import (TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Iterable, Mapping, Optional,
                    Sequence, Tuple, cast)

from talon_one._datetimes import parse_date, parse_datetime
from talon_one._exceptions import ApiValueError
from talon_one._null import NULL
from talon_one._types import split_type

if TYPE_CHECKING:
    from talon_one._model import Model

__all__ = [
    'JSON_SCHEMA_VALIDATION_KEYWORDS', 'InvalidModel', 'ValidationSettings', 'check_rules',
    'checker', 'compile_rules', 'encoding_plan', 'model_failure', 'rule_failure', 'rule_table',
    'short_repr',
]

Failure = Tuple[str, str]
Rules = Mapping[str, Any]
Checker = Callable[[Any, FrozenSet[str]], Optional[Failure]]

#: The keywords ``Configuration.disabled_client_side_validations`` may name.
JSON_SCHEMA_VALIDATION_KEYWORDS = frozenset((
    'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
    'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems',
))

_NOTHING_DISABLED: FrozenSet[str] = frozenset()

# ``type`` itself, typed for the checks of values of any type: pyright calls ``type(value)`` of
# an ``Any`` value ``type[Unknown]``, and a ``cast`` would cost a call on every value checked.
_type_of: Callable[[object], type] = type


class ValidationSettings(object):
    """Whether requests are checked, and which JSON Schema keywords are not.

    One instance belongs to each Configuration; models built with
    ``local_vars_configuration`` refer to it, so later changes apply to them too.
    """

    __slots__ = ('enabled', 'disabled')

    def __init__(self, enabled: bool = True,
                 disabled: FrozenSet[str] = _NOTHING_DISABLED) -> None:
        self.enabled = enabled
        self.disabled = disabled

    @staticmethod
    def parse_disabled(value: object) -> FrozenSet[str]:
        """The keywords of a comma separated string (or an iterable); ApiValueError if unknown."""
        if value is None or value == '':
            return _NOTHING_DISABLED
        if isinstance(value, str):
            parts: Iterable[object] = value.split(',')
        elif isinstance(value, abc.Iterable):
            parts = cast('Iterable[object]', value)
        else:
            raise ApiValueError('Configuration.disabled_client_side_validations must be a comma '
                                'separated string of keywords, got %r' % (value,))
        names = frozenset(str(part).strip() for part in parts if str(part).strip())
        unknown = names - JSON_SCHEMA_VALIDATION_KEYWORDS
        if unknown:
            raise ApiValueError(
                'Configuration.disabled_client_side_validations: unknown keyword(s) %s; '
                'allowed: %s' % (', '.join(sorted(unknown)),
                                 ', '.join(sorted(JSON_SCHEMA_VALIDATION_KEYWORDS))))
        return names

    def __getstate__(self) -> Tuple[bool, FrozenSet[str]]:
        return self.enabled, self.disabled

    def __setstate__(self, state: Tuple[bool, FrozenSet[str]]) -> None:
        self.enabled, self.disabled = state

    def __repr__(self) -> str:
        return 'ValidationSettings(enabled=%r, disabled=%r)' % (self.enabled,
                                                                sorted(self.disabled))


# -- rules -------------------------------------------------------------------------------

def short_repr(value: object) -> str:
    """``repr(value)`` cut to fit in an error message, with the length of long values."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    if isinstance(value, (str, list, tuple)):
        length = len(cast('Sequence[object]', value))
        if length > 20:
            text += ' (length %d)' % length
    return text


def _count(number: int, noun: str) -> str:
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rule_failure(rules: Rules, value: Any,
                 disabled: FrozenSet[str] = _NOTHING_DISABLED) -> Optional[Failure]:
    """Check ``value`` (not None) against ``rules``, skipping the ``disabled`` keywords.

    Returns None when it passes, else ``(suffix, message)``: ``suffix`` locates
    the offending list item (e.g. ``'[2]'``, usually ``''``) and ``message``
    names the rule and the value. Rules that do not apply to the value's type
    are skipped (the type check reports wrong types).
    """
    enum = rules.get('enum')
    is_text = isinstance(value, str)
    if is_text or _is_number(value):
        if enum is not None and value not in enum:
            return '', 'must be one of %s, got %s' % (list(enum), short_repr(value))
        if is_text:
            return _length_failure(rules, value, disabled)
        return _range_failure(rules, value, disabled)
    if isinstance(value, (list, tuple)):
        return _items_failure(rules, value, disabled)
    return None


def _items_failure(rules: Rules, value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
    if 'min_items' in rules and 'minItems' not in disabled and len(value) < rules['min_items']:
        return '', 'must have at least %s, got %d' % (_count(rules['min_items'], 'item'),
                                                     len(value))
    if 'max_items' in rules and 'maxItems' not in disabled and len(value) > rules['max_items']:
        return '', 'must have at most %s, got %d' % (_count(rules['max_items'], 'item'),
                                                    len(value))
    enum = rules.get('enum')
    if enum is not None:
        for index, item in enumerate(value):
            if item is not None and item is not NULL and item not in enum:
                return '[%d]' % index, 'must be one of %s, got %s' % (
                    list(enum), short_repr(item))
    item_rules = rules.get('items')
    if item_rules:
        for index, item in enumerate(value):
            if item is not None and item is not NULL:
                failure = rule_failure(item_rules, item, disabled)
                if failure is not None:
                    return '[%d]%s' % (index, failure[0]), failure[1]
    return None


def _length_failure(rules: Rules, value: str, disabled: FrozenSet[str]) -> Optional[Failure]:
    if 'min_length' in rules and 'minLength' not in disabled and len(value) < rules['min_length']:
        return '', 'must be at least %s long, got %s' % (
            _count(rules['min_length'], 'character'), short_repr(value))
    if 'max_length' in rules and 'maxLength' not in disabled and len(value) > rules['max_length']:
        return '', 'must be at most %s long, got %s' % (
            _count(rules['max_length'], 'character'), short_repr(value))
    pattern = rules.get('pattern')
    if pattern is not None and 'pattern' not in disabled and re.search(pattern, value) is None:
        return '', 'must match the pattern %r, got %s' % (pattern, short_repr(value))
    return None


def _range_failure(rules: Rules, value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
    # An exclusive bound is the keyword exclusiveMinimum/-Maximum; disabling it skips that
    # bound, as disabling minimum/maximum skips an inclusive one.
    if 'minimum' in rules:
        low = rules['minimum']
        if rules.get('exclusive_minimum'):
            if 'exclusiveMinimum' not in disabled and value <= low:
                return '', 'must be > %s, got %r' % (low, value)
        elif 'minimum' not in disabled and value < low:
            return '', 'must be >= %s, got %r' % (low, value)
    if 'maximum' in rules:
        high = rules['maximum']
        if rules.get('exclusive_maximum'):
            if 'exclusiveMaximum' not in disabled and value >= high:
                return '', 'must be < %s, got %r' % (high, value)
        elif 'maximum' not in disabled and value > high:
            return '', 'must be <= %s, got %r' % (high, value)
    multiple = rules.get('multiple_of')
    if multiple and 'multipleOf' not in disabled and (value / multiple) % 1:
        return '', 'must be a multiple of %s, got %r' % (multiple, value)
    return None


RuleCheck = Callable[[Any, FrozenSet[str]], Optional[Failure]]


def compile_rules(rules: Rules) -> RuleCheck:
    """``rule_failure`` for one attribute's rules, with the common cases decided inline.

    A string or a number that passes every bound returns at once, without looking up the
    disabled keywords (they matter only for a value that breaks a rule); anything else
    goes through ``rule_failure``.
    """
    enum = rules.get('enum')
    min_length, max_length = rules.get('min_length'), rules.get('max_length')
    pattern = rules.get('pattern')
    minimum, maximum = rules.get('minimum'), rules.get('maximum')
    exclusive_min, exclusive_max = rules.get('exclusive_minimum'), rules.get('exclusive_maximum')
    multiple = rules.get('multiple_of')
    length_only = pattern is None and enum is None
    range_only = enum is None and multiple is None

    def check(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
        kind = _type_of(value)
        if kind is str and length_only:
            size = len(value)
            if ((min_length is None or size >= min_length)
                    and (max_length is None or size <= max_length)):
                return None
        elif (kind is int or kind is float) and range_only:  # noqa: SIM102 (one rule per test)
            if ((minimum is None or (value > minimum if exclusive_min else value >= minimum))
                    and (maximum is None or (value < maximum if exclusive_max
                                             else value <= maximum))):
                return None
        return rule_failure(rules, value, disabled)
    return check


def check_rules(path: str, rules: Rules, value: Any,
                disabled: FrozenSet[str] = _NOTHING_DISABLED) -> None:
    """Raise ``ApiValueError`` naming ``path`` when ``value`` breaks one of ``rules``."""
    failure = rule_failure(rules, value, disabled)
    if failure is not None:
        suffix, message = failure
        raise ApiValueError('%s%s: %s' % (path, suffix, message))


# -- types -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def checker(type_string: str, deep: bool = True) -> Checker:
    """The compiled check of a type string: JSON type first, then the contents.

    ``deep=False`` checks that a nested model has the right class without looking inside it
    (the encoder checks each model when it writes it).
    """
    kind, detail = split_type(type_string)
    if kind == 'list':
        return _list_checker(type_string, checker(detail, deep))
    if kind == 'dict':
        return _dict_checker(type_string, checker(detail, deep))
    if kind == 'model':
        return _model_checker(detail, deep)
    test = _PRIMITIVE_TESTS.get(detail)
    if test is None:  # 'object': anything goes
        return _accept
    return _primitive_checker(*test)


def _accept(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
    return None


def _primitive_checker(test: Callable[[Any], bool], expected: str) -> Checker:
    def check(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
        if test(value):
            return None
        return '', 'must be %s, got %s' % (expected, short_repr(value))
    return check


def _temporal(cls: type, parse: Callable[[str], Any]) -> Callable[[Any], bool]:
    """True for an instance of ``cls`` or a string that ``parse`` accepts."""
    def test(value: Any) -> bool:
        if isinstance(value, cls):
            return True
        if not isinstance(value, str):
            return False
        try:
            parse(value)
        except ValueError:
            return False
        return True
    return test


_PRIMITIVE_TESTS: Dict[str, Tuple[Callable[[Any], bool], str]] = {
    'str': (lambda value: isinstance(value, str), 'a string'),
    'int': (lambda value: isinstance(value, int) and not isinstance(value, bool), 'an integer'),
    'float': (_is_number, 'a number'),
    'bool': (lambda value: isinstance(value, bool), 'a boolean'),
    'datetime': (_temporal(datetime.datetime, parse_datetime),
                 'a datetime (or an RFC 3339 string)'),
    'date': (_temporal(datetime.date, parse_date), 'a date (or an ISO 8601 date string)'),
}


def _list_checker(type_string: str, item_check: Checker) -> Checker:
    def check(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
        if not isinstance(value, (list, tuple)):
            return '', 'must be a list, got %s' % short_repr(value)
        for index, item in enumerate(cast('Sequence[Any]', value)):  # the caller's items
            if item is not None and item is not NULL:
                failure = item_check(item, disabled)
                if failure is not None:
                    return '[%d]%s' % (index, failure[0]), failure[1]
        return None
    return check


def _dict_checker(type_string: str, item_check: Checker) -> Checker:
    def check(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
        if not isinstance(value, dict):
            return '', 'must be a dict, got %s' % short_repr(value)
        for key, item in cast('Mapping[Any, Any]', value).items():  # the caller's keys and items
            if not isinstance(key, str):
                return '', 'keys must be strings, got %s' % short_repr(key)
            if item is not None and item is not NULL:
                failure = item_check(item, disabled)
                if failure is not None:
                    return '[%r]%s' % (key, failure[0]), failure[1]
        return None
    return check


def _model_checker(class_name: str, deep: bool) -> Checker:
    def check(value: Any, disabled: FrozenSet[str]) -> Optional[Failure]:
        plan = getattr(_type_of(value), '_validation_plan', None)
        if plan is not None:  # a model instance
            if type(value).__name__ != class_name:
                return '', 'must be %s, got %s' % (class_name, type(value).__name__)
            return model_failure(value, disabled) if deep else None
        if isinstance(value, dict):
            return None  # a plain dict is sent as given
        return '', 'must be %s (or a dict), got %s' % (class_name, short_repr(value))
    return check


# -- models ------------------------------------------------------------------------------

PlanEntry = Tuple[str, Checker, Optional[RuleCheck], bool]
EncodingEntry = Tuple[str, Optional[FrozenSet[type]], Checker, Optional[RuleCheck]]
# {attr: (API name, plain types, shallow checker, compiled rules)}, required attributes
EncodingPlan = Tuple[Dict[str, EncodingEntry], Tuple[str, ...]]

# Exact types a value of a primitive type string may have without any further check
# (None: any value, for 'object').
_PLAIN_TYPES: Dict[str, Optional[FrozenSet[type]]] = {
    'object': None,
    'str': frozenset([str]), 'int': frozenset([int]), 'float': frozenset([float, int]),
    'bool': frozenset([bool]), 'datetime': frozenset([datetime.datetime]),
    'date': frozenset([datetime.date]),
}
_NO_TYPES: FrozenSet[type] = frozenset()


def validation_plan(openapi_types: Mapping[str, str], validations: Mapping[str, Rules],
                    required: FrozenSet[str]) -> Tuple[PlanEntry, ...]:
    """(attr, checker, compiled rules, required) for every declared attribute of a class."""
    return tuple((attr, checker(type_string), _compiled(validations.get(attr)),
                  attr in required)
                 for attr, type_string in openapi_types.items())


def encoding_plan(openapi_types: Mapping[str, str], attribute_map: Mapping[str, str],
                  validations: Mapping[str, Rules], required: FrozenSet[str]) -> EncodingPlan:
    """What checking while encoding needs: per attribute (API name, plain types, shallow
    checker, compiled rules) -- a value whose exact type is among the plain types (any value
    when they are None) needs no type check -- and the required attributes."""
    entries = {attr: (attribute_map.get(attr, attr), _PLAIN_TYPES.get(type_string, _NO_TYPES),
                      checker(type_string, False), _compiled(validations.get(attr)))
               for attr, type_string in openapi_types.items()}
    return entries, tuple(attr for attr in openapi_types if attr in required)


def rule_table(validations: Mapping[str, Rules]) -> Tuple[Tuple[str, RuleCheck], ...]:
    """(attr, compiled rules) of the attributes that have rules, in declaration order."""
    return tuple((attr, compile_rules(rules)) for attr, rules in validations.items())


def _compiled(rules: Optional[Rules]) -> Optional[RuleCheck]:
    return None if not rules else compile_rules(rules)


class InvalidModel(Exception):
    """Raised inside the encoder by a model that fails its checks (the caller then finds
    the full path of the problem, which only a walk from the body's root can name)."""

    def __init__(self, model: 'Model', failure: Failure) -> None:
        super().__init__(failure[1])
        self.model = model
        self.failure = failure


def model_failure(obj: 'Model', disabled: FrozenSet[str]) -> Optional[Failure]:
    """(path suffix, message) of the first problem of a whole model, or None."""
    for attr, check, rules, required in type(obj)._validation_plan():
        value = getattr(obj, attr)
        if value is None:
            if required:
                return '.' + attr, 'is required, got None'
            continue
        if value is NULL:
            continue
        failure = check(value, disabled)
        if failure is None and rules is not None:
            # Rules apply once the type is right (a length needs a string or a list).
            failure = rules(value, disabled)
        if failure is not None:
            return '.%s%s' % (attr, failure[0]), failure[1]
    return None
