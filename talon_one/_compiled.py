"""Per-class code, written and compiled at run time (as ``dataclasses`` does).

Two functions are made for each model class, on first use:

- its validating encoder (``Model._checked_wire_items``), which the request encoder calls for
  every model of a body;
- its constructor check (``Model._check_new``), which every ``__init__`` with rules ends with.

A generic loop over a table pays for tuple unpacking and lookups at each field; the code
compiled here does only its class's work, field by field. Where a rule has a cheap exact
test (a string's length, a number's range, an enum), the test is written inline and the
full check (``talon_one._validation``, which knows the disabled keywords and words the
error) runs only when that test fails. For ``CartItem`` the encoder reads::

    def encode(self, disabled):
        state = self.__dict__
        if '_wire' in state or '_extra' in state:
            return self._checked_wire_items_generic(disabled)
        wire = {}
        ...
        v = state.get('quantity')
        if v is not None:
            if v is not NULL:
                if type(v) not in P2:
                    fail(self, '.quantity', C2(v, disabled))
                if not (type(v) is int and v >= 1):
                    fail(self, '.quantity', R2(v, disabled))
            wire['quantity'] = v
        ...
        return wire

The results are those of the generic versions (``Model._checked_wire_items_generic``,
``talon_one._validation.rule_failure``); the wire and validation tests pin them.
"""

from typing import (TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Set,
                    Tuple, Type, cast)

from talon_one._configuration import Configuration
from talon_one._exceptions import ApiValueError
from talon_one._null import NULL
from talon_one._types import resolve_model, split_type
from talon_one._validation import Failure, InvalidModel

if TYPE_CHECKING:
    from talon_one._model import Model

__all__ = ['class_encoder', 'compile_checked_encoder', 'compile_new_checker', 'fast_rule_test']

CheckedEncoder = Callable[['Model', FrozenSet[str]], Dict[str, Any]]
NewChecker = Callable[['Model', Dict[str, Any]], None]


def _fail(model: 'Model', path: str, failure: Optional[Failure]) -> None:
    if failure is not None:
        raise InvalidModel(model, (path + failure[0], failure[1]))


def _refuse(where: str, failure: Optional[Failure]) -> None:
    if failure is not None:
        raise ApiValueError('%s%s: %s' % (where, failure[0], failure[1]))


def fast_rule_test(rules: Mapping[str, Any], var: str, env: Dict[str, Any],
                   key: str) -> Optional[str]:
    """A Python expression that is true when ``var`` surely passes ``rules``, or None.

    Only rules with a cheap exact test get one (string lengths, number ranges, enums of
    strings); constants go into ``env`` under names starting with ``key``.
    """
    keys = set(rules)
    if keys and keys <= {'min_items', 'max_items', 'items'}:  # a list, maybe of strings
        parts = ['type(%s) is list' % var]
        if 'min_items' in rules:
            parts.append('len(%s) >= %d' % (var, rules['min_items']))
        if 'max_items' in rules:
            parts.append('len(%s) <= %d' % (var, rules['max_items']))
        if 'items' in rules:
            item = fast_rule_test(rules['items'], 'x', env, key + 'I')
            if item is None:
                return None
            parts.append('all(%s for x in %s)' % (item, var))
        return ' and '.join(parts)
    if keys <= {'min_length', 'max_length', 'enum'}:
        parts = ['type(%s) is str' % var]
        if 'enum' in rules:
            if not all(isinstance(value, str) for value in rules['enum']):
                return None
            env[key + 'E'] = frozenset(rules['enum'])
            parts.append('%s in %sE' % (var, key))
        if 'min_length' in rules:
            parts.append('len(%s) >= %d' % (var, rules['min_length']))
        if 'max_length' in rules:
            parts.append('len(%s) <= %d' % (var, rules['max_length']))
        return ' and '.join(parts)
    if keys <= {'minimum', 'maximum', 'exclusive_minimum', 'exclusive_maximum'}:
        parts = ['(type(%s) is int or type(%s) is float)' % (var, var)]
        if 'minimum' in rules:
            env[key + 'L'] = rules['minimum']
            parts.append('%s %s %sL' % (var, '>' if rules.get('exclusive_minimum') else '>=',
                                        key))
        if 'maximum' in rules:
            env[key + 'H'] = rules['maximum']
            parts.append('%s %s %sH' % (var, '<' if rules.get('exclusive_maximum') else '<=',
                                        key))
        return ' and '.join(parts)
    return None


_EXACT_TYPES = {'str': 'str', 'int': 'int', 'bool': 'bool'}


def fast_type_test(type_string: str, var: str, env: Dict[str, Any],
                   key: str) -> Optional[str]:
    """A Python expression that is true when ``var`` surely has the JSON type of
    ``type_string`` (scalars, models, lists of them), or None when there is no cheap one."""
    kind, detail = split_type(type_string)
    if kind == 'primitive':
        if detail in _EXACT_TYPES:
            return 'type(%s) is %s' % (var, _EXACT_TYPES[detail])
        if detail == 'float':
            return '(type(%s) is float or type(%s) is int)' % (var, var)
        return None
    if kind == 'model':
        cls = resolve_model(detail)
        if cls is None:
            return None
        env[key] = cls
        return 'type(%s) is %s' % (var, key)
    if kind == 'list':
        item = fast_type_test(detail, 'x', env, key + 'I')
        if item is None:
            return None
        return 'type(%s) is list and all(%s for x in %s)' % (var, item, var)
    return None


def _rule_lines(rules: Mapping[str, Any], var: str, env: Dict[str, Any], key: str,
                call: str, indent: str) -> List[str]:
    """Lines checking ``var`` against ``rules``: the fast test, then ``call`` if it fails."""
    test = fast_rule_test(rules, var, env, key)
    if test is None:
        return [indent + call]
    return [indent + 'if not (%s):' % test, indent + '    ' + call]


def class_encoder(cls: 'Type[Model]') -> CheckedEncoder:
    """The validating encoder of the generated class ``cls``, compiled on first need and
    kept on the class (as ``_checked_wire_items``), where later calls find it directly."""
    encode: Optional[CheckedEncoder] = cls.__dict__.get('_checked_wire_items')
    if encode is None:
        encode = compile_checked_encoder(cls)
        type.__setattr__(cls, '_checked_wire_items', encode)
    return encode


_compiling: Set[type] = set()   # classes whose encoder is being written (a model may nest itself)


def _nested_encoder(type_string: str) -> Tuple[str, Optional[CheckedEncoder]]:
    """('model' or 'list', the encoder of the nested class) for a property holding generated
    models or a list of them, whose encoding the parent then does inline; else ('', None)."""
    kind, detail = split_type(type_string)
    if kind == 'list':
        item_kind, detail = split_type(detail)
        if item_kind != 'model':
            return '', None
    elif kind != 'model':
        return '', None
    cls = resolve_model(detail)
    if cls is None or 'openapi_types' not in cls.__dict__ or cls in _compiling:
        return '', None
    return kind, class_encoder(cast('Type[Model]', cls))  # a generated model class


def compile_checked_encoder(cls: 'Type[Model]') -> CheckedEncoder:
    """The validating encoder of ``cls`` (a Model subclass) as one compiled function.

    Nested models of the exact declared class (alone or in a list) are encoded inline by
    their own compiled encoders, so the JSON encoder's ``default=`` hook, one more Python
    call per model, runs only for what is left (parsed or user-subclassed models, dates).
    """
    _compiling.add(cls)
    try:
        return _write_checked_encoder(cls)
    finally:
        _compiling.discard(cls)


def _write_checked_encoder(cls: 'Type[Model]') -> CheckedEncoder:
    plan, required = cls._encoding_plan()
    env: Dict[str, Any] = {'NULL': NULL, 'fail': _fail, 'InvalidModel': InvalidModel}
    lines: List[str] = [
        'def encode(self, disabled):',
        '    state = self.__dict__',
        "    if '_wire' in state or '_extra' in state:",
        '        return self._checked_wire_items_generic(disabled)',
        '    wire = {}',
    ]
    for index, (attr, (api_name, plain, check, rules)) in enumerate(plan.items()):
        path = '.' + attr
        type_string = cls.openapi_types[attr]
        env['P%d' % index], env['C%d' % index], env['R%d' % index] = plain, check, rules
        lines += ['    v = state.get(%r)' % attr, '    if v is not None:']
        checks: List[str] = []
        nested, nested_encoder = _nested_encoder(type_string)
        if plain is not None:  # None: any value ('object')
            test = fast_type_test(type_string, 'v', env, 'T%d' % index)
            if test is None:
                nested = ''
                checks.append('            if type(v) not in P%d:' % index)
            elif nested:
                checks += ['            fast = %s' % test, '            if not fast:']
            else:
                checks.append('            if not (%s):' % test)
            checks.append('                fail(self, %r, C%d(v, disabled))' % (path, index))
        if rules is not None:
            checks += _rule_lines(cls.validations[attr], 'v', env, 'K%d' % index,
                                  'fail(self, %r, R%d(v, disabled))' % (path, index),
                                  '            ')
        if nested:  # after the rules, which look at the models themselves
            env['E%d' % index] = nested_encoder
            checks += ['            if fast:',
                       '                v = E%d(v, disabled)' % index if nested == 'model' else
                       '                v = [E%d(x, disabled) for x in v]' % index]
        if checks:
            lines += ['        if v is not NULL:'] + checks
        lines.append('        wire[%r] = v' % api_name)
    for attr in required:
        lines += ['    if state.get(%r) is None:' % attr,
                  "        raise InvalidModel(self, (%r, 'is required, got None'))" % ('.' + attr)]
    lines.append('    return wire')
    encode: CheckedEncoder = _compile(lines, env, 'encode', cls, '_checked_wire_items')
    return encode


def compile_new_checker(cls: 'Type[Model]', rule_table: Any) -> NewChecker:
    """The check that ends ``cls.__init__``: the rules of the values just given."""
    env: Dict[str, Any] = {'NULL': NULL, 'refuse': _refuse, 'Configuration': Configuration}
    lines: List[str] = [
        'def check_new(self, values):',
        # No local_vars_configuration: the default configuration's settings, read each time.
        "    settings = values.get('_validation') or (Configuration._default or",
        "                                             Configuration.get_default()"
        ")._validation_settings",
        '    if not settings.enabled:',
        '        return',
        '    disabled = settings.disabled',
    ]
    for index, (attr, check) in enumerate(rule_table):
        env['R%d' % index] = check
        lines += ['    v = values.get(%r)' % attr, '    if v is not None and v is not NULL:']
        lines += _rule_lines(cls.validations[attr], 'v', env, 'K%d' % index,
                             'refuse(%r, R%d(v, disabled))' % ('%s.%s' % (cls.__name__, attr),
                                                               index),
                             '        ')
    checker: NewChecker = _compile(lines, env, 'check_new', cls, '_check_new')
    return checker


def _compile(lines: List[str], env: Dict[str, Any], name: str, cls: type, method: str) -> Any:
    source = '\n'.join(lines) + '\n'
    exec(compile(source, '<talon_one %s of %s>' % (name, cls.__name__), 'exec'), env)
    function = env[name]
    function.__qualname__ = '%s.%s' % (cls.__name__, method)
    return function
