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

from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List, Mapping, Optional

from talon_one._exceptions import ApiValueError
from talon_one._null import NULL
from talon_one._types import resolve_model, split_type
from talon_one._validation import Failure, InvalidModel, Rules

if TYPE_CHECKING:
    from talon_one._model import Model

__all__ = ['compile_checked_encoder', 'compile_new_checker', 'fast_rule_test']

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


def compile_checked_encoder(cls: type) -> CheckedEncoder:
    """The validating encoder of ``cls`` (a Model subclass) as one compiled function."""
    plan, required = cls._encoding_plan()  # type: ignore[attr-defined]
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
        env['P%d' % index], env['C%d' % index], env['R%d' % index] = plain, check, rules
        lines += ['    v = state.get(%r)' % attr, '    if v is not None:']
        checks: List[str] = []
        if plain is not None:  # None: any value ('object')
            test = fast_type_test(cls.openapi_types[attr], 'v', env,  # type: ignore[attr-defined]
                                  'T%d' % index)
            checks += ['            if not (%s):' % test if test is not None
                       else '            if type(v) not in P%d:' % index,
                       '                fail(self, %r, C%d(v, disabled))' % (path, index)]
        if rules is not None:
            checks += _rule_lines(cls.validations[attr], 'v', env, 'K%d' % index,  # type: ignore[attr-defined]
                                  'fail(self, %r, R%d(v, disabled))' % (path, index),
                                  '            ')
        if checks:
            lines += ['        if v is not NULL:'] + checks
        lines.append('        wire[%r] = v' % api_name)
    for attr in required:
        lines += ['    if state.get(%r) is None:' % attr,
                  "        raise InvalidModel(self, (%r, 'is required, got None'))" % ('.' + attr)]
    lines.append('    return wire')
    encode: CheckedEncoder = _compile(lines, env, 'encode', cls, '_checked_wire_items')
    return encode


def compile_new_checker(cls: type, rule_table: Any, default_settings: Callable[[], Any]
                        ) -> NewChecker:
    """The check that ends ``cls.__init__``: the rules of the values just given."""
    env: Dict[str, Any] = {'NULL': NULL, 'refuse': _refuse, 'default_settings': default_settings}
    lines: List[str] = [
        'def check_new(self, values):',
        "    settings = values.get('_validation') or default_settings()",
        '    if not settings.enabled:',
        '        return',
        '    disabled = settings.disabled',
    ]
    for index, (attr, check) in enumerate(rule_table):
        env['R%d' % index] = check
        lines += ['    v = values.get(%r)' % attr, '    if v is not None and v is not NULL:']
        lines += _rule_lines(cls.validations[attr], 'v', env, 'K%d' % index,  # type: ignore[attr-defined]
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
