"""API names (camelCase) -> Python attribute names (snake_case)."""

import re

__all__ = ['to_snake_case']

_CAMEL_BOUNDARY_1 = re.compile(r'([A-Z]+)([A-Z][a-z])')
_CAMEL_BOUNDARY_2 = re.compile(r'([a-z\d])([A-Z])')


def to_snake_case(name: str) -> str:
    """``customerSession`` -> ``customer_session`` (same rule as the generator)."""
    name = _CAMEL_BOUNDARY_1.sub(r'\1_\2', name)
    name = _CAMEL_BOUNDARY_2.sub(r'\1_\2', name)
    return name.replace('-', '_').lower()
