"""Compact JSON text of stored documents and responses, from one C encoder made once.

``json.dumps`` (and ``JSONEncoder.encode``) set up a new C encoder on every call; the sandbox
encodes every response and, with ``--db``, every written document, so it keeps one.
"""

import json
from typing import Any, Callable

__all__ = ['dumps']


def _not_serializable(value: Any) -> Any:
    raise TypeError('Object of type %s is not JSON serializable' % type(value).__name__)


def _make() -> Callable[[Any], str]:
    make = getattr(json.encoder, 'c_make_encoder', None)
    if make is None:    # an interpreter without the C accelerator
        return json.JSONEncoder(separators=(',', ':')).encode
    # No circular-reference markers (documents are trees); ASCII output, as json.dumps gives.
    encode = make(None, _not_serializable, json.encoder.encode_basestring_ascii, None, ':', ',',
                  False, False, True)
    return lambda value: ''.join(encode(value, 0))


dumps: Callable[[Any], str] = _make()
"""``json.dumps(value, separators=(',', ':'))``, faster."""
