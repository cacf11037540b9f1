"""Docstrings that carry the facts: model classes and API methods.

A model's class docstring lists every property with its wire name, type, whether it
is required, its rules and default, and the note from generator/notes (what IDEs
show on hover). A method's docstring gives the parameters, the return type (Optional
where ``silent`` or a 204 can make it None), the HTTP statuses and an example that
runs against the in-process sandbox. The same facts feed the Markdown reference.
"""

import re
from typing import Any, List, Optional, Tuple

from generator import descriptions, notes, pyfmt, snippets
from generator.spec import NO_DEFAULT
from generator.typestrings import python_hint

CLASS_INDENT = '    '           # a class docstring
ATTR_INDENT = CLASS_INDENT * 2  # an ``Attributes:`` entry
ATTR_MORE = CLASS_INDENT * 3    # its continuation lines
DOC = '        '                # a method docstring
DOC_MORE = DOC + '    '         # continuation of a :param: line

# Where the Effect objects of responses live (effect-props pages and docstrings say so).
EFFECT_CARRIERS = ('IntegrationStateV2', 'IntegrationCustomerSessionResponse',
                   'ReopenSessionResponse')

_MARKDOWN_CODE = re.compile(r'(?<!`)`([^`]+)`(?!`)')


def rst(text: str) -> str:
    """Markdown inline code (```x```) as reStructuredText literals (````x````)."""
    return _MARKDOWN_CODE.sub(r'``\1``', text)


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith('.') else text + '.'


def literal(value: Any) -> str:
    """A default as the API spells it: ``true``, ``'open'``, ``10``."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return repr(value) if isinstance(value, str) else str(value)


def summary_place(model: Any) -> Optional[Tuple[str, str]]:
    """(effect type, ``EffectsSummary`` attribute) of an effect-props model, else None."""
    from talon_one._summary import SUMMARY_PLACES   # the runtime decides where effects go
    kind = model.effect_type
    if kind is None or kind not in SUMMARY_PLACES:
        return None
    return kind, SUMMARY_PLACES[kind]


# -- properties ---------------------------------------------------------------------

def property_rules(model: Any, prop: Any) -> List[str]:
    """The rules, default and alias of a property, as short Markdown phrases."""
    facts = []
    rules = descriptions.rules(prop.rules)
    if rules:
        facts.append(rules)
    if prop.default is not NO_DEFAULT:
        facts.append('default `%s`' % literal(prop.default))
    for alias, attr in sorted(model.aliases.items()):
        if attr == prop.attr:
            facts.append('alias `%s`' % alias)
    return facts


def property_note(model: Any, prop: Any) -> str:
    return notes.load().prop(model.schema_name, prop.api_name)


def _attribute_entry(model: Any, prop: Any) -> List[str]:
    facts = ['Required' if prop.required else 'Optional', 'wire name ``%s``' % prop.api_name]
    facts += property_rules(model, prop)
    text = '%s (%s): %s.' % (prop.attr, python_hint(prop.type_string), rst('; '.join(facts)))
    note = property_note(model, prop)
    if note:
        text += ' ' + rst(sentence(note))
    return pyfmt.wrap_words(text, ATTR_INDENT, ATTR_MORE)


def effect_sentence(model: Any, code: str = '``') -> str:
    """Where an effect-props class appears, or '' for other models."""
    place = summary_place(model)
    if place is None:
        return ''
    kind, attr = place
    return ('It is the {c}props{c} of an {c}Effect{c} whose {c}effect_type{c} is {c}{kind}{c}: '
            '{c}talon_one.effect_props(effect){c} returns this class, and '
            '{c}talon_one.summarize_effects(state){c} lists the effect in '
            '{c}summary.{attr}{c}.').format(c=code, kind=kind, attr=attr)


def base_sentence(model: Any, code: str = '``') -> str:
    """What a subclass of an earlier response class is for, or ''."""
    if model.base is None:
        return ''
    return ('It extends {c}{base}{c}, the class talon_one 4.0.0 returned here, so code '
            'written for that keeps working.').format(c=code, base=model.base.class_name)


def model_docstring(model: Any) -> List[str]:
    """The class docstring of a model, indented for the class body, and a blank line."""
    first = CLASS_INDENT + '"""Model of the ``%s`` schema of the Integration API.' % (
        model.schema_name)
    if len(first) > pyfmt.WIDTH:
        first = CLASS_INDENT + '"""Model of the ``%s`` schema.' % model.schema_name
    lines = [first, '']
    note = notes.load().model(model.schema_name)
    for paragraph in (note.about if note else '', effect_sentence(model), base_sentence(model)):
        if paragraph:
            lines += pyfmt.wrap_words(rst(paragraph), CLASS_INDENT) + ['']
    if model.props:
        lines.append(CLASS_INDENT + 'Attributes:')
        for prop in model.props:
            lines += _attribute_entry(model, prop)
        lines.append('')
        if any(p.required for p in model.props):
            lines.append(CLASS_INDENT + 'Required attributes are checked by ``validate()`` '
                                        'before a request is sent.')
    else:
        lines.append(CLASS_INDENT + 'No properties.')
    lines.append(CLASS_INDENT + 'Reference page: docs/%s.md.' % model.class_name)
    if any('\\' in line for line in lines):
        # A pattern such as ^[a-zA-Z]\w+$: a raw docstring, or '\w' is an invalid escape
        # (DeprecationWarning on import, SyntaxWarning since Python 3.12).
        lines[0] = lines[0].replace('"""', 'r"""', 1)
    return lines + [CLASS_INDENT + '"""', '']


# -- operations ---------------------------------------------------------------------

def param_note(param: Any) -> str:
    """Description, required-ness, rules and server default of a parameter, in words."""
    words = [descriptions.parameter(param), 'Required.' if param.required else 'Optional keyword.']
    rules = descriptions.rules(param.rules)
    if rules:
        words.append(sentence(rules[:1].upper() + rules[1:]))
    if param.default is not NO_DEFAULT:
        words.append('Server default: %s.' % literal(param.default))
    return ' '.join(word for word in words if word)


def silent_param(op: Any) -> Any:
    for param in op.optional:
        if param.api_name == 'silent':
            return param
    return None


def _body_types(op: Any) -> List[str]:
    return sorted(t for t in set(op.responses.values()) if t is not None)


def return_hint(op: Any) -> str:
    """The documented return type: ``Optional[X]`` when ``silent`` or a 204 can give None."""
    types = _body_types(op)
    if not types:
        return 'None'
    hint = python_hint(types[0]) if len(types) == 1 else 'Any'
    if silent_param(op) is not None or None in op.responses.values():
        return 'Optional[%s]' % hint
    return hint


def return_sentence(op: Any, type_text: str) -> str:
    """What the method returns, with the body type(s) written as ``type_text``."""
    if not _body_types(op):
        return 'None: the server answers 204 without a body.'
    silent = silent_param(op)
    if silent is not None:
        default = ' (the default)' if silent.default == 'yes' else ''
        return ("%s when silent='no'; None when silent='yes'%s, because the server then "
                'answers 204 without a body.' % (type_text, default))
    if None in op.responses.values():
        return '%s, or None when the server answers 204 without a body.' % type_text
    return type_text + '.'


def statuses(op: Any, type_text: Any = str) -> List[Tuple[int, str]]:
    """``[(status, meaning)]``, including the 204 that ``silent`` brings."""
    codes = set(op.statuses)
    silent = silent_param(op)
    if silent is not None:
        codes.add(204)
    found = []
    for status in sorted(codes):
        body = op.responses.get(status)
        if body:
            meaning = '%s; returns %s.' % ('Created' if status == 201 else 'Success',
                                           type_text(body))
        elif status == 204 and silent is not None:
            meaning = "Success with silent='yes': no body, the method returns None."
        else:
            meaning = descriptions.STATUSES.get(status, '')
        found.append((status, meaning))
    return found


def method_docstring(op: Any) -> List[str]:
    """The docstring lines of an API method (indented for a method body)."""
    lines = [DOC + '"""%s' % sentence(op.summary), '']
    route = DOC + '``%s %s``' % (op.http_method, op.path)
    if len(route) > pyfmt.WIDTH:  # the method on a line of its own, then the path
        route = DOC + '``%s``\n%s``%s``' % (op.http_method, DOC, op.path)
    lines += route.split('\n')
    note = notes.load().operation(op.operation_id)
    if note:
        lines += [''] + pyfmt.wrap_words(rst(note), DOC)
    if op.deprecated:
        replacement = descriptions.REPLACEMENTS.get(op.operation_id, 'a newer operation')
        lines.append('')
        lines += pyfmt.wrap_words('Deprecated (a DeprecationWarning is emitted); use ``%s`` '
                                  'instead.' % replacement, DOC)
    lines.append('')
    for param in op.params:
        text = ':param %s %s: %s' % (param.type_string, param.attr, rst(param_note(param)))
        lines += pyfmt.wrap_words(text, DOC, DOC_MORE)
    types = ' or '.join(_body_types(op))
    lines += pyfmt.wrap_words(':return: %s' % return_sentence(op, types), DOC, DOC_MORE)
    lines += pyfmt.wrap_words(':rtype: %s' % return_hint(op), DOC, DOC_MORE)
    lines.append('')
    lines.append(DOC + 'HTTP statuses (errors raise ``ApiException`` subclasses):')
    for code, meaning in statuses(op):
        lines += pyfmt.wrap_words('- %d: %s' % (code, meaning), DOC, DOC + '  ')
    lines = [line.replace('\\', '\\\\') for line in lines]  # as in model docstrings
    example = getattr(op, 'docstring_example', None)
    if example:
        lines += ['', DOC + 'Example (runs as is against the local sandbox)::', '']
        lines += [line.replace('\\', '\\\\') for line in example]
    lines += ['', DOC + 'Official reference:',
              DOC + descriptions.REFERENCE % op.operation_id, DOC + '"""']
    return lines


def docstring_example(spec: Any, op: Any) -> List[str]:
    return snippets.operation_docstring_example(spec, op, DOC + '    ')
