"""Decode a JSON request body, rejecting what no API body contains with a 400.

Beyond malformed JSON: NaN/Infinity, numbers that overflow to infinity, nesting deeper than
``MAX_JSON_DEPTH``, a body that is not an object, and lone UTF-16 surrogates (``"\\ud800"`` is
valid JSON but not text: it cannot be stored, so it is refused, in memory and with ``--db``).
"""

import json
import math
import re
from typing import Any, Iterable, List, Optional, Tuple

from talon_one.sandbox.documents import Doc, as_list, as_object
from talon_one.sandbox.errors import bad_request

MAX_JSON_DEPTH = 64     # no API body nests anywhere near this; deeper is an attack or a bug
_TOO_DEEP = 'malformed JSON body: nested deeper than %d levels' % MAX_JSON_DEPTH
_SURROGATE_ESCAPE = re.compile(rb'\\u[dD][89a-fA-F]')


def _no_constants(name: str) -> None:
    raise ValueError('%s is not valid JSON' % name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):    # e.g. 1e400: JSON has no infinity
        raise ValueError('number %s is out of range' % text)
    return value


# Made once: json.loads with these options would build a new decoder for every body.
_DECODER = json.JSONDecoder(parse_constant=_no_constants, parse_float=_finite_float)


def _pointer(parent: str, token: Any) -> str:
    return parent + '/' + str(token).replace('~', '~0').replace('/', '~1')


def _too_deep(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when arrays/objects nest more than ``limit`` levels (iterative: no recursion)."""
    stack: List[Tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children: Iterable[Any] = as_object(node).values() if isinstance(node, dict) else node
        nested: List[Tuple[Any, int]] = [(child, depth + 1) for child in children
                                         if isinstance(child, (dict, list))]
        stack.extend(nested)
    return False


def _is_text(value: str) -> bool:
    try:
        value.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def _lone_surrogate(value: Any) -> Optional[Tuple[str, bool]]:
    """(JSON pointer, in a key) of the first string holding a lone surrogate, else None."""
    stack: List[Tuple[Any, str]] = [(value, '')]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, str):
            if not _is_text(node):
                return pointer, False
        elif isinstance(node, dict):
            for key, child in as_object(node).items():
                if not _is_text(key):
                    return _pointer(pointer, key.encode('utf-8', 'backslashreplace')
                                    .decode('ascii')), True
                stack.append((child, _pointer(pointer, key)))
        elif isinstance(node, list):
            stack.extend((child, _pointer(pointer, index))
                         for index, child in enumerate(as_list(node)))
    return None


def decode(raw: bytes) -> Doc:
    """The body as a dict, or a 400 naming what is wrong (and where, when it can)."""
    if not raw.strip():
        raise bad_request('a JSON request body is required', pointer='')
    try:
        text = raw.decode('utf-8')
        if text.startswith('\ufeff'):  # json.loads says so; JSONDecoder.decode does not check
            raise json.JSONDecodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', text, 0)
        body = _DECODER.decode(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request('malformed JSON body: %s' % exc, pointer='') from None
    except RecursionError:      # the decoder recurses per level; far too deep
        raise bad_request(_TOO_DEEP, pointer='') from None
    # Both checks walk the whole body: skip them when the raw bytes show they cannot fail.
    if raw.count(b'[') + raw.count(b'{') > MAX_JSON_DEPTH and _too_deep(body):
        raise bad_request(_TOO_DEEP, pointer='')
    if not isinstance(body, dict):     # every request body of the API is an object
        raise bad_request('the request body must be a JSON object', pointer='')
    if _SURROGATE_ESCAPE.search(raw):
        found = _lone_surrogate(body)
        if found is not None:
            pointer, in_key = found
            raise bad_request('%s: %s a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff '
                              'escape), which is not valid text'
                              % (pointer or '/', 'the key contains' if in_key else 'contains'),
                              pointer=pointer)
    return as_object(body)
