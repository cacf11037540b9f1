"""The one type of the sandbox's data: JSON objects by API names.

Stored documents, world-file entries, request bodies and response parts are all JSON objects
whose shape the world checks (world/checks.py) or the request schemas (world/schema.py) have
already made sure of: they are typed as ``Doc``, and what is read out of one is ``Any``.
"""

from typing import Any, Dict, List, Tuple, Union

Doc = Dict[str, Any]
Key = Union[str, int]       # a document's key: a code or an id (stored as its string)
Slot = Tuple[str, str]      # (kind, key) of one stored document


def as_list(value: Any) -> List[Any]:
    """A JSON array, once ``isinstance(value, list)`` holds (where JSON enters: the two
    checkers narrow ``Any`` differently, so the type is named here, once)."""
    found: List[Any] = value
    return found


def as_object(value: Any) -> Doc:
    """A JSON object, once ``isinstance(value, dict)`` holds (see ``as_list``)."""
    found: Doc = value
    return found
