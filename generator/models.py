"""Render ``talon_one/models/<module>.py`` and ``talon_one/models/__init__.py``."""

from generator import PY_HEADER, docstrings, pyfmt
from generator.naming import module_name
from generator.spec import NO_DEFAULT
from generator.typestrings import leaf, model_names, python_hint


def render_model(model):
    """Source of the module holding one model class."""
    lines = [PY_HEADER, '"""The ``%s`` model."""' % model.class_name, '',
             'from __future__ import annotations', '']
    hints = [python_hint(prop.type_string) for prop in model.props]
    uses_any = any('Any' in hint for hint in hints)
    typing_names = ['TYPE_CHECKING'] + (['Any'] if uses_any else []) + ['Optional']
    lines.append('from typing import %s' % ', '.join(typing_names))
    if model.base is None:
        lines += ['', 'from talon_one._model import Model', '']
    else:
        lines += [''] + pyfmt.import_from('talon_one.models.%s' % model.base.module,
                                          model.base.class_name, '') + ['']
    lines += _type_checking_imports(model)
    base = 'Model' if model.base is None else model.base.class_name
    lines += ['', '', 'class %s(%s):' % (model.class_name, base)]
    lines += _docstring(model)
    lines += _class_data(model)
    lines += _annotations(model, hints)
    lines += _constructor(model, hints)
    return '\n'.join(lines) + '\n'


def _type_checking_imports(model):
    lines = ['if TYPE_CHECKING:']
    datetime_names = sorted({leaf(p.type_string) for p in model.props} & {'date', 'datetime'})
    if datetime_names:
        lines.append('    from datetime import %s' % ', '.join(datetime_names))
        lines.append('')
    lines.append('    from talon_one.configuration import Configuration')
    referenced = set()
    for prop in model.props:
        referenced.update(model_names(prop.type_string))
    referenced.discard(model.class_name)
    if model.base is not None:
        referenced.discard(model.base.class_name)
    for name in sorted(referenced, key=module_name):
        lines += pyfmt.import_from('talon_one.models.%s' % module_name(name), name, '    ')
    return lines


def _docstring(model):
    return docstrings.model_docstring(model)


def _class_data(model):
    indent = '    '
    items = [
        ('openapi_types', {p.attr: p.type_string for p in model.props}),
        ('attribute_map', {p.attr: p.api_name for p in model.props}),
        ('required_attributes', pyfmt.FrozenSet(p.attr for p in model.props if p.required)),
    ]
    validations = {p.attr: p.rules for p in model.props if p.rules}
    if validations:
        items.append(('validations', validations))
    if model.aliases:
        items.append(('aliases', dict(sorted(model.aliases.items()))))
    # The wire name 12.0.0 used where 2026 spells the property otherwise: read it too.
    earlier = {p.attr: p.schema['x-wire-name-in-12.0.0'] for p in model.props
               if 'x-wire-name-in-12.0.0' in p.schema}
    if earlier:
        items.append(('wire_aliases', earlier))
    lines = []
    for name, value in items:
        head = '%s%s = ' % (indent, name)
        lines.append(head + pyfmt.render(value, indent, len(head)))
    lines.append('')
    return lines


def annotation(model, prop, hint):
    """The type of a property for type checkers.

    Optional, except for what the spec requires in models that only responses carry (a
    missing required list or map parses as an empty one there).
    """
    if prop.required and not model.in_requests:
        return hint
    return 'Optional[%s]' % hint


def _annotations(model, hints):
    if model.base is None:
        lines = ['    %s: %s' % (p.attr, annotation(model, p, hint))
                 for p, hint in zip(model.props, hints)]
        return lines + ['']
    # A subclass declares only what differs from its base. A narrower type (a subclass of
    # the base's model) is what 2026 sends; mypy accepts that for attributes, pyright does
    # not. Containers are invariant and a wider type is unsafe: both checkers object.
    base_types = {p.attr: annotation(model.base, p, python_hint(p.type_string))
                  for p in model.base.props}
    lines = []
    for prop, hint in zip(model.props, hints):
        own = annotation(model, prop, hint)
        earlier = base_types.get(prop.attr)
        if prop.attr in model.inherited or own == earlier:
            continue
        if earlier is None:
            lines.append('    %s: %s' % (prop.attr, own))
        elif own == 'Optional[%s]' % earlier or 'dict[' in own or 'list[' in own:
            lines.append('    %s: %s  # type: ignore[assignment]' % (prop.attr, own))
        else:
            ignore = '# pyright: ignore[reportIncompatibleVariableOverride]'
            line = '    %s: %s  %s' % (prop.attr, own, ignore)
            if len(line) > pyfmt.WIDTH and own.startswith('Optional['):
                # The checker reports the override at the name: the comment stays on its line.
                line = '    %s: Optional[  %s\n        %s]' % (prop.attr, ignore,
                                                              own[len('Optional['):-1])
            lines.append(line)
    return lines + ['']


def _constructor(model, hints):
    params = []
    later = []   # attributes of the base class only: after local_vars_configuration
    for prop, hint in zip(model.props, hints):
        default = 'None' if prop.default is NO_DEFAULT else repr(prop.default)
        param = '%s: Optional[%s] = %s' % (prop.attr, hint, default)
        (later if prop.attr in model.inherited else params).append(param)
    params.append('local_vars_configuration: Optional[Configuration] = None')
    params += later
    for alias, attr in sorted(model.aliases.items()):
        hint = hints[[p.attr for p in model.props].index(attr)]
        params.append('%s: Optional[%s] = None' % (alias, hint))
    lines = ['    def __init__(', '        self,']
    lines += ['        %s,' % param for param in params]
    # The instance dict is filled directly (this runs for every model a request builds).
    lines += ['    ) -> None:', '        values = self.__dict__',
              '        if local_vars_configuration is not None:',
              '            self._use_configuration(local_vars_configuration)']
    alias_of = {attr: alias for alias, attr in model.aliases.items()}
    for prop in model.props:
        value = prop.attr
        alias = alias_of.get(prop.attr)
        if alias:
            # The alias is resolved first, so that its value is checked like the property's.
            lines.append('        %s = self._take_alias(' % prop.attr)
            lines.append("            '%s', %s, '%s', %s)" % (prop.attr, prop.attr, alias, alias))
        # Only what is given is stored: a property never set reads as None, and the encoder
        # then walks just the properties that have a value.
        lines.append('        if %s is not None:' % value)
        store = "            values['%s'] = %s" % (prop.attr, value)
        if len(store) > pyfmt.WIDTH:
            store = "            values['%s'] = (\n                %s)" % (prop.attr, value)
        lines.append(store)
    if any(prop.rules for prop in model.props):
        lines.append('        self._check_new(values)')
    return lines


def render_alias_module(alias, model):
    """Source of the module of a second name for ``model`` (compat.LATER_ALIASES)."""
    return '\n'.join([
        PY_HEADER,
        '"""``%s``: the name talon_one 12.0.0 gives :class:`%s`."""' % (alias, model.class_name),
        '',
        'from talon_one.models.%s import %s' % (model.module, model.class_name),
        '',
        "__all__ = ['%s']" % alias,
        '',
        '%s = %s' % (alias, model.class_name),
    ]) + '\n'


def render_models_init(models, aliases=()):
    """Source of ``talon_one/models/__init__.py``: lazy loading plus imports for type checkers.

    ``aliases``: (alias, module) pairs of the second names of some classes.
    """
    ordered = sorted([(m.class_name, m.module) for m in models] + list(aliases))
    effect_models = sorted(models, key=lambda m: m.class_name)
    lines = [
        PY_HEADER,
        '"""Every model class, each imported from its own module on first use.',
        '',
        '``talon_one.models.CartItem`` loads ``talon_one/models/cart_item.py`` the first time',
        'it is asked for, which keeps ``import talon_one`` fast. Type checkers and IDEs read',
        'the imports under ``TYPE_CHECKING``.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        'import importlib',
        'from typing import TYPE_CHECKING, Any, List',
        '',
        'if TYPE_CHECKING:',
    ]
    for name, module in ordered:
        lines += pyfmt.import_from('talon_one.models.%s' % module, name, '    ')
    lines += ['', '# Class name -> module name.', '_MODULES = {']
    for name, module in ordered:
        line = "    '%s': '%s'," % (name, module)
        if len(line) > pyfmt.WIDTH:
            line = "    '%s':\n        '%s'," % (name, module)
        lines.append(line)
    lines += ['}', '', '__all__ = [']
    lines += ["    '%s'," % name for name, _ in ordered]
    lines += [']', '']
    lines += _effect_props_classes(effect_models)
    lines += [
        '',
        '_SUBMODULES = frozenset(_MODULES.values())',
        '',
        '',
        'def __getattr__(name: str) -> Any:',
        '    module = _MODULES.get(name)',
        '    if module is not None:',
        "        value = getattr(importlib.import_module('%s.%s' % (__name__, module)), name)",
        '    elif name in _SUBMODULES:  # talon_one.models.cart_item without importing it first',
        "        value = importlib.import_module('%s.%s' % (__name__, name))",
        '    else:',
        "        raise AttributeError('module %r has no attribute %r' % (__name__, name))",
        '    globals()[name] = value  # later lookups no longer come here',
        '    return value',
        '',
        '',
        'def __dir__() -> List[str]:',
        '    return sorted(set(globals()) | set(_MODULES))',
    ]
    return '\n'.join(lines) + '\n'


def _effect_props_classes(ordered):
    """``EFFECT_PROPS_CLASSES``: effect type -> name of the class describing its ``props``."""
    pairs = sorted((m.effect_type, m.class_name) for m in ordered if m.effect_type is not None)
    lines = ["# Effect type -> class of its props (``talon_one.effect_props`` uses it).",
             'EFFECT_PROPS_CLASSES = {']
    for effect, cls in pairs:
        line = "    '%s': '%s'," % (effect, cls)
        if len(line) > pyfmt.WIDTH:
            line = "    '%s':\n        '%s'," % (effect, cls)
        lines.append(line)
    lines.append('}')
    return lines
