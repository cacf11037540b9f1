"""Render Python literals and constructor calls as source, wrapped to a line width.

A value that fits on the rest of its line is written flat; otherwise each item
goes on its own line, one indent level deeper, with a trailing comma (the
layout a careful person or an auto-formatter would choose).
"""

WIDTH = 99
INDENT = '    '


class Call(object):
    """``name(arg, ..., key=value, ...)``; ``args`` and ``kwargs`` are lists."""

    def __init__(self, name, kwargs=(), args=()):
        self.name = name
        self.args = list(args)
        self.kwargs = list(kwargs)


class Raw(object):
    """Source text written as is."""

    def __init__(self, text):
        self.text = text


class FrozenSet(object):
    """``frozenset({...})`` with the items in the given order (reprs of sets are unordered)."""

    def __init__(self, items):
        self.items = list(items)


def render(value, indent='', used=0, width=WIDTH):
    """Source for ``value``.

    ``indent`` is the indent of the current line, ``used`` the columns already taken on it.
    """
    flat = _flat(value)
    if used + len(flat) + 1 <= width or not _breakable(value):
        return flat
    inner = indent + INDENT
    if isinstance(value, Call):
        parts = [render(item, inner, len(inner)) for item in value.args]
        parts += ['%s=%s' % (key, render(item, inner, len(inner) + len(key) + 1))
                  for key, item in value.kwargs]
        return _block(value.name + '(', parts, ')', indent)
    if isinstance(value, FrozenSet):
        return _packed('frozenset({', [_flat(item) for item in value.items], '})', indent, width)
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            head = '%r: ' % (key,)
            parts.append(head + render(item, inner, len(inner) + len(head)))
        return _block('{', parts, '}', indent)
    opener, closer = ('[', ']') if isinstance(value, list) else ('(', ')')
    if all(isinstance(item, _SCALARS) for item in value):
        return _packed(opener, [_flat(item) for item in value], closer, indent, width)
    return _block(opener, [render(item, inner, len(inner)) for item in value], closer, indent)


_SCALARS = (str, int, float, bool, type(None))


def _packed(opener, parts, closer, indent, width):
    """Scalars fill each line like words in a paragraph."""
    inner = indent + INDENT
    lines, current = [opener], inner
    for part in parts:
        piece = part + ','
        if current != inner and len(current) + 1 + len(piece) > width:
            lines.append(current)
            current = inner + piece
        else:
            current = current + (' ' if current != inner else '') + piece
    lines.append(current)
    lines.append(indent + closer)
    return '\n'.join(lines)


def _block(opener, parts, closer, indent):
    lines = [opener]
    lines.extend('%s%s%s,' % (indent, INDENT, part) for part in parts)
    lines.append(indent + closer)
    return '\n'.join(lines)


def _breakable(value):
    if isinstance(value, Call):
        return bool(value.args or value.kwargs)
    if isinstance(value, FrozenSet):
        return bool(value.items)
    return isinstance(value, (list, tuple, dict)) and len(value) > 0


def _flat(value):
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Call):
        parts = [_flat(item) for item in value.args]
        parts += ['%s=%s' % (key, _flat(item)) for key, item in value.kwargs]
        return '%s(%s)' % (value.name, ', '.join(parts))
    if isinstance(value, FrozenSet):
        if not value.items:
            return 'frozenset()'
        return 'frozenset({%s})' % ', '.join(_flat(item) for item in value.items)
    if isinstance(value, dict):
        return '{%s}' % ', '.join('%r: %s' % (key, _flat(item)) for key, item in value.items())
    if isinstance(value, list):
        return '[%s]' % ', '.join(_flat(item) for item in value)
    if isinstance(value, tuple):
        if len(value) == 1:
            return '(%s,)' % _flat(value[0])
        return '(%s)' % ', '.join(_flat(item) for item in value)
    return repr(value)


def wrap_words(text, first, rest=None, width=WIDTH):
    """Lines of ``text`` filled to ``width``; the first starts with ``first``, others ``rest``."""
    rest = first if rest is None else rest
    lines, current = [], first
    for word in text.split(' '):
        if current.strip() and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = rest + word
        else:
            current = current + (' ' if current.strip() else '') + word
    lines.append(current)
    return lines


def import_from(module, name, indent=''):
    """``from module import name``, wrapped in parentheses when the line is too long."""
    line = '%sfrom %s import %s' % (indent, module, name)
    if len(line) <= WIDTH:
        return [line]
    return ['%sfrom %s import (' % (indent, module), '%s%s%s,' % (indent, INDENT, name),
            '%s)' % indent]
