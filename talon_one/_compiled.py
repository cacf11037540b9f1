"""Per-class code, written and compiled at run time (as ``dataclasses`` does).

The validating encoder visits every model of every request body; a generic loop over a
table pays for tuple unpacking and lookups at each field. The function compiled here for
one class does only that class's work, field by field, with its checks bound as globals::

    def encode(self, disabled):
        state = self.__dict__
        if '_wire' in state or '_extra' in state:
            return self._checked_wire_items_generic(disabled)
        ...
        v = state.get('quantity')
        if v is not None:
            if v is not NULL:
                if type(v) not in P1:
                    f = C1(v, disabled)
                    if f is not None:
                        raise InvalidModel(self, ('.quantity' + f[0], f[1]))
                if trusted.get('quantity') is not v:
                    f = R1(v, disabled)
                    ...
            wire['quantity'] = v
        ...
        return wire

It gives the same result as ``Model._checked_wire_items_generic`` (test/test_lazy_models.py
and the wire tests pin that); the generic version serves parsed instances and unknown fields.
"""

from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, List

from talon_one._null import NULL
from talon_one._validation import InvalidModel

if TYPE_CHECKING:
    from talon_one._model import Model

__all__ = ['compile_checked_encoder']

CheckedEncoder = Callable[['Model', FrozenSet[str]], Dict[str, Any]]

_NOTHING: Dict[str, Any] = {}


def compile_checked_encoder(cls: type) -> CheckedEncoder:
    """The validating encoder of ``cls`` (a Model subclass) as one compiled function."""
    plan, required = cls._encoding_plan()  # type: ignore[attr-defined]
    env: Dict[str, Any] = {'NULL': NULL, 'NOTHING': _NOTHING, 'InvalidModel': InvalidModel}
    lines: List[str] = [
        'def encode(self, disabled):',
        '    state = self.__dict__',
        "    if '_wire' in state or '_extra' in state:",
        '        return self._checked_wire_items_generic(disabled)',
        "    checked = state.get('_rules_checked')",
        '    trusted = checked[1] if checked is not None and checked[0] is disabled else NOTHING',
        '    wire = {}',
    ]
    for index, (attr, (api_name, plain, check, rules)) in enumerate(plan.items()):
        env['P%d' % index], env['C%d' % index], env['R%d' % index] = plain, check, rules
        lines += ['    v = state.get(%r)' % attr, '    if v is not None:']
        checks: List[str] = []
        if plain is not None:  # None: any value ('object')
            checks += ['            if type(v) not in P%d:' % index,
                       '                f = C%d(v, disabled)' % index,
                       '                if f is not None:',
                       '                    raise InvalidModel(self, (%r + f[0], f[1]))'
                       % ('.' + attr)]
        if rules is not None:
            checks += ['            if trusted.get(%r) is not v:' % attr,
                       '                f = R%d(v, disabled)' % index,
                       '                if f is not None:',
                       '                    raise InvalidModel(self, (%r + f[0], f[1]))'
                       % ('.' + attr)]
        if checks:
            lines += ['        if v is not NULL:'] + checks
        lines.append('        wire[%r] = v' % api_name)
    for attr in required:
        lines += ['    if state.get(%r) is None:' % attr,
                  "        raise InvalidModel(self, (%r, 'is required, got None'))" % ('.' + attr)]
    lines.append('    return wire')
    source = '\n'.join(lines) + '\n'
    exec(compile(source, '<talon_one encoder of %s>' % cls.__name__, 'exec'), env)
    encode: CheckedEncoder = env['encode']
    encode.__qualname__ = '%s._checked_wire_items' % cls.__name__
    return encode
