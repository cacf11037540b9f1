"""Write test/compat/talon_one_12_names.txt: the IntegrationApi surface of talon_one 12.0.0.

Read from the 2026 document as 12.0.0 sees it, with NAMES.md's rules and nothing from the
SDK or its generator (so the test that reads the file checks the SDK against the spec):

- operations: every one 12.0.0 has, i.e. neither ``x-added-in-26.13`` (26.13 only) nor
  ``deprecated`` (the four v1 operations of the merged document that no 2026 SDK has);
  ``name(positional, ... ; keyword, ...)``: the required parameters (path parameters in
  spec order, then ``body``), then the optional ones without ``x-added-in-26.13``;
- classes: every schema reached from those operations or an ``*EffectProps`` schema,
  through properties 12.0.0 has (not ``x-added-in-26.13``; ``x-removed-in-26.13`` ones
  kept), except bare free-form objects and ``x-only-in-26.13`` schemas; named as 12.0.0
  names them (``inline_response_200_4`` -> ``InlineResponse2004``); its attributes in
  12.0.0's constructor order with their ``openapi_types`` strings.

Run: ``python test/compat/make_names_12.py [SPEC] > test/compat/talon_one_12_names.txt``
(``--check`` compares with the committed file instead).
"""

import keyword
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
# the generator's input: ../shared/openapi beside the checkout (generator/__main__.py)
SPEC = os.environ.get('TALON_ONE_SPEC_2026', os.path.join(
    HERE, '..', '..', '..', 'shared', 'openapi', 'talon-one-integration-2026.yaml'))
OUTPUT = os.path.join(HERE, 'talon_one_12_names.txt')
METHODS = ('get', 'put', 'post', 'delete', 'patch')
ADDED = 'x-added-in-26.13'


def snake_case(name):
    name = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    name = re.sub(r'([a-z\d])([A-Z])', r'\1_\2', name)
    return name.replace('-', '_').lower()


def attribute(name):
    name = snake_case(name)
    return '_' + name if keyword.iskeyword(name) else name


def class_name(schema_name):
    if schema_name == 'Return':
        return 'ModelReturn'
    return ''.join(part[:1].upper() + part[1:] for part in schema_name.split('_'))


def ref(schema):
    return schema['$ref'].rsplit('/', 1)[-1] if '$ref' in schema else None


def free_form(schema):
    return (schema.get('type') == 'object' and not schema.get('properties')
            and not isinstance(schema.get('additionalProperties'), dict))


def type_string(schema, schemas):
    name = ref(schema)
    if name:
        return 'object' if free_form(schemas[name]) else class_name(name)
    kind = schema.get('type')
    if kind == 'string':
        return {'date-time': 'datetime', 'date': 'date'}.get(schema.get('format'), 'str')
    if kind in ('integer', 'number', 'boolean'):
        return {'integer': 'int', 'number': 'float', 'boolean': 'bool'}[kind]
    if kind == 'array':
        return 'list[%s]' % type_string(schema.get('items') or {}, schemas)
    extra = schema.get('additionalProperties')
    if isinstance(extra, dict) and extra:
        return 'dict(str, %s)' % type_string(extra, schemas)
    return 'object'


def refs_in(schema):
    """Schema names one schema (not its properties' targets' properties) points at."""
    if not isinstance(schema, dict):
        return
    if '$ref' in schema:
        yield ref(schema)
        return
    for key in ('items', 'additionalProperties'):
        if isinstance(schema.get(key), dict):
            yield from refs_in(schema[key])
    for part in schema.get('allOf', ()) + schema.get('oneOf', ()) + schema.get('anyOf', ()):
        yield from refs_in(part)
    for prop in (schema.get('properties') or {}).values():
        if not prop.get(ADDED):
            yield from refs_in(prop)


def names_12(document):
    schemas = document['components']['schemas']
    operations, roots = [], []
    for item in document['paths'].values():
        for method in METHODS:
            op = item.get(method)
            if not op or op.get(ADDED) or op.get('deprecated'):
                continue
            params = list(item.get('parameters', ())) + list(op.get('parameters', ()))
            positional = [attribute(p['name']) for p in params if p['in'] == 'path']
            keywords = [attribute(p['name']) for p in params
                        if p['in'] != 'path' and not p.get('required') and not p.get(ADDED)]
            assert not [p for p in params if p['in'] != 'path' and p.get('required')]
            body = op.get('requestBody')
            if body:
                positional.append('body')
                roots.extend(refs_in(body['content']['application/json']['schema']))
            for status, response in op.get('responses', {}).items():
                if str(status).startswith('x-'):
                    continue
                for content in (response.get('content') or {}).values():
                    roots.extend(refs_in(content.get('schema') or {}))
            for p in params:
                roots.extend(refs_in(p.get('schema') or {}))
            operations.append((snake_case(op['operationId']), positional, keywords))
    roots.extend(name for name, schema in schemas.items()
                 if name.endswith('EffectProps') and schema.get('properties'))
    reached, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in reached or schemas[name].get('x-only-in-26.13'):
            continue
        reached.add(name)
        todo.extend(refs_in(schemas[name]))
    classes = []
    for name in sorted(reached, key=class_name):
        schema = schemas[name]
        if free_form(schema):
            continue
        attrs = [(attribute(api), type_string(prop, schemas))
                 for api, prop in (schema.get('properties') or {}).items() if not prop.get(ADDED)]
        classes.append((class_name(name), snake_case(class_name(name)), attrs))
    return sorted(operations), classes


def render(document):
    operations, classes = names_12(document)
    lines = ['# talon_one 12.0.0: IntegrationApi operations and model classes (facts from',
             '# talon-one-integration-2026.yaml). Regenerate with test/compat/make_names_12.py.',
             '# operation <method> <positional,...> ; <keyword,...>',
             '# class <Class> <module> <attribute:type|...> (attributes in constructor order)']
    for name, positional, keywords in operations:
        lines.append('operation %s %s ; %s' % (name, ','.join(positional), ','.join(keywords)))
    for cls, module, attrs in classes:
        lines.append('class %s %s %s' % (cls, module,
                                         '|'.join('%s:%s' % pair for pair in attrs)))
    return '\n'.join(lines) + '\n'


def parse(text):
    """``(operations, classes)`` of a rendered file: {name: (positional, keywords)} and
    {class: (module, [(attribute, type), ...])}."""
    operations, classes = {}, {}
    for line in text.splitlines():
        if line.startswith('operation '):
            head, keywords = line.split(' ;', 1)
            _, name, positional = (head + ' ').split(' ', 2)
            operations[name] = ([a for a in positional.strip().split(',') if a],
                                [a for a in keywords.strip().split(',') if a])
        elif line.startswith('class '):
            _, cls, module, attrs = (line + ' ').split(' ', 3)
            classes[cls] = (module, [tuple(pair.split(':', 1))
                                     for pair in attrs.strip().split('|') if pair])
    return operations, classes


def main(argv):
    check = '--check' in argv
    paths = [arg for arg in argv if not arg.startswith('--')]
    with open(paths[0] if paths else SPEC, encoding='utf-8') as handle:
        text = render(yaml.safe_load(handle))
    if check:
        with open(OUTPUT, encoding='utf-8') as handle:
            return 0 if handle.read() == text else 1
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
