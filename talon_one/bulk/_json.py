"""JSON values as the type checkers should see them (no Unknown after isinstance)."""

from typing import Any, Dict, List, Optional

__all__ = ['as_dict', 'as_list']


def as_dict(value: object) -> Optional[Dict[Any, Any]]:
    """``value`` when it is a dict, else None."""
    if isinstance(value, dict):
        result: Dict[Any, Any] = value  # pyright: ignore[reportUnknownVariableType]
        return result
    return None


def as_list(value: object) -> Optional[List[Any]]:
    """``value`` when it is a list, else None."""
    if isinstance(value, list):
        result: List[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return result
    return None
