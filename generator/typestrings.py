"""Type strings (``openapi_types`` values), type hints and validation rules of schemas."""

import importlib.util
import os

from generator import naming


def _runtime_type_strings():
    """The SDK's own ``talon_one/_types.py``, loaded from its file.

    Loaded by path, not imported, so the generator runs even when the generated package
    does not import (for example while it is being regenerated after a change).
    """
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        'talon_one', '_types.py')
    spec = importlib.util.spec_from_file_location('_talon_one_types', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


split_type = _runtime_type_strings().split_type

_PRIMITIVE = {'integer': 'int', 'number': 'float', 'boolean': 'bool'}
_STRING_FORMATS = {'date-time': 'datetime', 'date': 'date'}

# Order of the keys in a generated ``validations`` entry.
RULE_KEYS = ('enum', 'min_length', 'max_length', 'pattern', 'minimum', 'exclusive_minimum',
             'maximum', 'exclusive_maximum', 'min_items', 'max_items', 'items')
_SPEC_RULES = {
    'minLength': 'min_length', 'maxLength': 'max_length', 'pattern': 'pattern',
    'minimum': 'minimum', 'exclusiveMinimum': 'exclusive_minimum',
    'maximum': 'maximum', 'exclusiveMaximum': 'exclusive_maximum',
    'minItems': 'min_items', 'maxItems': 'max_items',
}


def ref_name(schema):
    """Schema name a ``$ref`` points at, or None."""
    ref = schema.get('$ref')
    return ref.rsplit('/', 1)[-1] if ref else None


def type_string(schema, names=None):
    """The NAMES.md type string of a (property, parameter or body) schema.

    ``names`` maps schema names to their class (``'object'`` for a free-form schema);
    a schema it does not name gets the class of the naming rules.
    """
    name = ref_name(schema)
    if name is not None:
        return (names or {}).get(name) or naming.class_name(name)
    kind = schema.get('type')
    if kind == 'string':
        return _STRING_FORMATS.get(schema.get('format'), 'str')
    if kind in _PRIMITIVE:
        return _PRIMITIVE[kind]
    if kind == 'array':
        return 'list[%s]' % type_string(schema.get('items') or {}, names)
    values = schema.get('additionalProperties')
    if kind in ('object', None) and isinstance(values, dict) and values:
        return 'dict(str, %s)' % type_string(values, names)
    return 'object'


def rules_of(schema):
    """Validation rules of a schema, keys in ``RULE_KEYS`` order.

    An ``enum`` on the items of an array applies to each item; the items' other
    limits go under ``'items'``.
    """
    rules = {}
    enum = schema.get('enum')
    if enum is None and schema.get('type') == 'array':
        enum = (schema.get('items') or {}).get('enum')
    if enum is not None:
        rules['enum'] = tuple(enum)
    for spec_key, rule_key in _SPEC_RULES.items():
        if spec_key in schema:
            rules[rule_key] = schema[spec_key]
    for key in ('exclusive_minimum', 'exclusive_maximum'):
        if key in rules and not rules[key]:
            del rules[key]
    if schema.get('type') == 'array':
        # Length and range limits of the items (their enum is hoisted above).
        item_rules = rules_of(dict(schema.get('items') or {}, enum=None))
        item_rules.pop('enum', None)
        if item_rules:
            rules['items'] = item_rules
    return {key: rules[key] for key in RULE_KEYS if key in rules}


def split(type_str):
    """``('list', T)``, ``('dict', T)``, ``('model', Name)`` or ``('primitive', name)``.

    The runtime's own reader, so what the generator writes and what the SDK reads
    cannot drift apart.
    """
    return split_type(type_str)


def model_names(type_str):
    """Class names a type string mentions."""
    kind, detail = split(type_str)
    if kind in ('list', 'dict'):
        return model_names(detail)
    return [detail] if kind == 'model' else []


def python_hint(type_str):
    """The annotation for a type string: ``list[CartItem]``, ``dict[str, float]``, ``Any``..."""
    kind, detail = split(type_str)
    if kind == 'list':
        return 'list[%s]' % python_hint(detail)
    if kind == 'dict':
        return 'dict[str, %s]' % python_hint(detail)
    if detail == 'object':
        return 'Any'
    return detail


def leaf(type_str):
    """The innermost type of a type string: ``list[dict(str, X)]`` -> ``X``."""
    kind, detail = split(type_str)
    return leaf(detail) if kind in ('list', 'dict') else detail
