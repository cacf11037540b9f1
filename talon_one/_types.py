"""Reading the type strings of generated code.

Type strings are ``str int float bool datetime date object``, ``list[T]``,
``dict(str, T)`` and model class names (see docs/design.md).
"""

import functools
import importlib
import re
import sys
from typing import Optional, Tuple

__all__ = ['resolve_model', 'split_type']

_LIST_TYPE = re.compile(r'list\[(.+)\]$')
_DICT_TYPE = re.compile(r'dict\(([^,]+), (.+)\)$')
_PRIMITIVES = frozenset(['str', 'int', 'float', 'bool', 'datetime', 'date', 'object'])


@functools.lru_cache(maxsize=None)
def split_type(type_string: str) -> Tuple[str, str]:
    """``('list', T)``, ``('dict', T)``, ``('model', name)`` or ``('primitive', name)``."""
    match = _LIST_TYPE.match(type_string)
    if match:
        return 'list', match.group(1)
    match = _DICT_TYPE.match(type_string)
    if match:
        return 'dict', match.group(2)
    if type_string in _PRIMITIVES or not type_string[:1].isupper():
        return 'primitive', type_string
    return 'model', type_string


def resolve_model(name: str) -> Optional[type]:
    """The model class called ``name`` (via the lazy ``talon_one.models``), or None."""
    models = sys.modules.get('talon_one.models')
    if models is None:
        models = importlib.import_module('talon_one.models')
    found = getattr(models, name, None)
    return found if isinstance(found, type) else None
