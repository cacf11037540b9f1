"""Responses checked against the 2026 spec's schemas: every required field present, every
field of the right JSON type (enums included), through $refs, arrays and maps. A sandbox
answer that passes is one the newest official SDK parses."""

import functools
import os

SPEC = os.path.join('/work/shared/openapi', 'talon-one-integration-2026.yaml')


@functools.lru_cache(maxsize=1)
def _spec():
    import yaml     # only when a test reads the spec: collection stays light
    with open(SPEC, encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def _schemas():
    return _spec()['components']['schemas']


def available():
    return os.path.exists(SPEC)


_TYPES = {'string': (str,), 'integer': (int,), 'number': (int, float), 'boolean': (bool,),
          'object': (dict,), 'array': (list,)}


def problems(value, schema, where='$'):
    """The list of mismatches of ``value`` against ``schema`` (a dict or a schema name)."""
    if isinstance(schema, str):
        schema = {'$ref': '#/components/schemas/' + schema}
    if '$ref' in schema:
        schema = _schemas()[schema['$ref'].rsplit('/', 1)[1]]
    if value is None:
        return []     # optional fields may be null
    found = []
    kind = schema.get('type')
    if kind in _TYPES:
        ok = isinstance(value, _TYPES[kind]) and not (
            isinstance(value, bool) and kind in ('integer', 'number'))
        if not ok:
            return ['%s: %r is not %s' % (where, value, kind)]
    if 'enum' in schema and value not in schema['enum']:
        found.append('%s: %r not in %s' % (where, value, schema['enum']))
    if isinstance(value, dict):
        for name in schema.get('required', []):
            if name not in value:
                found.append('%s: required %s missing' % (where, name))
        props = schema.get('properties', {})
        for name, item in value.items():
            if name in props:
                found += problems(item, props[name], '%s.%s' % (where, name))
            elif isinstance(schema.get('additionalProperties'), dict):
                found += problems(item, schema['additionalProperties'], '%s.%s' % (where, name))
    if isinstance(value, list) and 'items' in schema:
        for index, item in enumerate(value):
            found += problems(item, schema['items'], '%s[%d]' % (where, index))
    return found


def effect_problems(effects):
    """Each effect's props against its *EffectProps schema (the spec's x-effect-types)."""
    table = _spec().get('x-effect-types', {})
    found = []
    for index, effect in enumerate(effects):
        name = table.get(effect['effectType'])
        target = name.rsplit('/', 1)[-1] if isinstance(name, str) else None
        if target:
            found += problems(effect['props'], target, 'effects[%d].props' % index)
    return found


def assert_shape(value, schema):
    found = problems(value, schema)
    assert not found, '\n'.join(found[:20])
