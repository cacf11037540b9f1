"""Client-side checks of request values: the spec's rules and basic JSON types.

``rule_failure`` / ``check_rules`` apply one attribute's ``validations`` entry
(see docs/design.md); ``type_failure`` says whether a value has the JSON type
its type string asks for. Walking models is ``Model.validate``'s job.
"""

import datetime
import re

from talon_one.datetimes import parse_date, parse_datetime
from talon_one.exceptions import ApiValueError
from talon_one.null import NULL
from talon_one.type_strings import split_type

__all__ = ['check_rules', 'is_number', 'rule_failure', 'short_repr', 'type_failure']


def short_repr(value):
    """``repr(value)`` cut to fit in an error message, with the length of long values."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + '...'
    if isinstance(value, (str, list, tuple)) and len(value) > 20:
        text += ' (length %d)' % len(value)
    return text


def _count(number, noun):
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


def is_number(value):
    """True for int and float, not bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def rule_failure(rules, value):
    """Check ``value`` (not None) against ``rules``.

    Returns None when it passes, else ``(suffix, message)``: ``suffix`` locates
    the offending list item (e.g. ``'[2]'``, usually ``''``) and ``message``
    names the rule and the value. Rules that do not apply to the value's type
    are skipped (``validate()`` reports wrong types).
    """
    enum = rules.get('enum')
    is_text = isinstance(value, str)
    if is_text or is_number(value):
        if enum is not None and value not in enum:
            return '', 'must be one of %s, got %s' % (list(enum), short_repr(value))
        return _length_failure(rules, value) if is_text else _range_failure(rules, value)
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
                    return '[%d]' % index, 'must be one of %s, got %s' % (
                        list(enum), short_repr(item))
        item_rules = rules.get('items')
        if item_rules:
            for index, item in enumerate(value):
                if item is not None and item is not NULL:
                    failure = rule_failure(item_rules, item)
                    if failure is not None:
                        return '[%d]%s' % (index, failure[0]), failure[1]
    return None


def _length_failure(rules, value):
    if 'min_length' in rules and len(value) < rules['min_length']:
        return '', 'must be at least %s long, got %s' % (
            _count(rules['min_length'], 'character'), short_repr(value))
    if 'max_length' in rules and len(value) > rules['max_length']:
        return '', 'must be at most %s long, got %s' % (
            _count(rules['max_length'], 'character'), short_repr(value))
    pattern = rules.get('pattern')
    if pattern is not None and re.search(pattern, value) is None:
        return '', 'must match the pattern %r, got %s' % (pattern, short_repr(value))
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


def type_failure(type_string, value):
    """A message when ``value`` is not of the JSON type ``type_string`` asks for, else None.

    For a model type string only the dict form is accepted here; model
    instances are recognised by the caller (``talon_one.model_base``).
    """
    kind, detail = split_type(type_string)
    if kind == 'list':
        ok, expected = isinstance(value, (list, tuple)), 'a list'
    elif kind == 'dict':
        ok, expected = isinstance(value, dict), 'a dict'
    elif kind == 'model':
        ok, expected = isinstance(value, dict), '%s (or a dict)' % detail
    elif detail == 'str':
        ok, expected = isinstance(value, str), 'a string'
    elif detail == 'int':
        ok, expected = isinstance(value, int) and not isinstance(value, bool), 'an integer'
    elif detail == 'float':
        ok, expected = is_number(value), 'a number'
    elif detail == 'bool':
        ok, expected = isinstance(value, bool), 'a boolean'
    elif detail == 'datetime':
        ok = _is_temporal(value, datetime.datetime, parse_datetime)
        expected = 'a datetime (or an RFC 3339 string)'
    elif detail == 'date':
        ok = _is_temporal(value, datetime.date, parse_date)
        expected = 'a date (or an ISO 8601 date string)'
    else:
        return None
    if ok:
        return None
    return 'must be %s, got %s' % (expected, short_repr(value))


def _is_temporal(value, cls, parse):
    """True for an instance of ``cls`` or a string that ``parse`` accepts."""
    if isinstance(value, cls):
        return True
    if not isinstance(value, str):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True
