"""Responses: the read response object, and its body turned into the promised Python value.

``decode_response`` is where a success body meets the operation's response type: models
must come as a JSON object (anything else is an ``ApiResponseError``, never a ``str`` or
``list`` in place of a model), and the values inside are converted leniently by the codec.
"""

import codecs
import functools
import io
import json
import os
import re
import tempfile
from collections import abc
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union, cast

from talon_one._codec import decoder
from talon_one._exceptions import ApiResponseError
from talon_one._types import resolve_model, split_type

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['RESTResponse', 'ResponseType', 'decode_response']

ResponseType = Union[None, str, type, Mapping[int, Optional[str]]]

# Response types that a body which is not JSON may satisfy as plain text.
_TEXT_TYPES = ('str', 'object')


class RESTResponse(io.IOBase):
    """A fully read HTTP response: ``status``, ``reason``, ``data`` (bytes), ``headers``.

    A read-only binary file over ``data`` too (``read()``, ``readline()``, iteration),
    as the official SDK's ``RESTResponse`` is an ``io.IOBase``.
    """

    def __init__(self, resp: Any) -> None:
        super().__init__()
        self.urllib3_response = resp
        self.status: int = resp.status
        self.reason: Optional[str] = resp.reason
        self.data: bytes = resp.data
        self.headers: Mapping[str, str] = resp.headers
        self._stream: Optional[io.BytesIO] = None  # made when the body is first read as a file

    def getheaders(self) -> Mapping[str, str]:
        """All response headers (an HTTPHeaderDict)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One response header, ``default`` when it is missing."""
        return self.headers.get(name, default)

    def readable(self) -> bool:
        return True

    def _file(self) -> io.BytesIO:
        self._checkClosed()
        if self._stream is None:
            self._stream = io.BytesIO(self.data or b'')
        return self._stream

    def read(self, size: Optional[int] = -1) -> bytes:
        """Bytes of the body from the current position (all of them by default)."""
        return self._file().read(size)

    def readline(self, size: Optional[int] = -1) -> bytes:
        return self._file().readline(size)

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        super().close()

    def __repr__(self) -> str:
        return '<RESTResponse [%s %s]>' % (self.status, self.reason)


def charset(response: Any) -> str:
    """The charset of a response's Content-Type (UTF-8 when missing or unknown)."""
    headers: Mapping[str, str] = getattr(response, 'headers', None) or {}
    return _charset_of(headers.get('Content-Type') or '')


@functools.lru_cache(maxsize=32)
def _charset_of(content_type: str) -> str:
    match = re.search(r'charset=([\w-]+)', content_type, re.IGNORECASE)
    if match:
        try:
            return codecs.lookup(match.group(1)).name
        except LookupError:
            pass
    return 'utf-8'


def decode_response(response: Any, response_type: ResponseType,
                    configuration: Optional['Configuration'] = None) -> Any:
    """The Python value of ``response.data`` for ``response_type``.

    ``response_type`` is a type string, a model class, or a dict {status: type}; no type,
    or HTTP 204, gives None. Where a model is promised, the body must be a JSON object:
    an empty body, text that is not JSON or a JSON root of another kind raises
    ``ApiResponseError``. A body that is not JSON is returned as text for ``str`` /
    ``object``. Anything with ``status`` and ``data`` will do as ``response``.
    """
    status = getattr(response, 'status', None)
    if isinstance(response_type, abc.Mapping):
        response_type = response_type.get(status)  # type: ignore[arg-type]
    if response_type is None or status == 204:
        return None
    if response_type == 'file':
        return _save_file(response, configuration)
    if isinstance(response_type, type):
        if hasattr(response_type, '_wrap'):
            return _decode_model_body(response, response_type, configuration)
        response_type = response_type.__name__
    cls = _model_class(response_type)
    if cls is not None:
        return _decode_model_body(response, cls, configuration)
    raw = _text(response)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        if response_type not in _TEXT_TYPES:
            raise _bad_body(response, raw, 'not JSON') from None
        return raw
    if value is None:
        return None
    return decoder(response_type)(value)


@functools.lru_cache(maxsize=256)
def _model_class(type_string: str) -> Optional[type]:
    """The model class a response type string names, or None (looked up once)."""
    kind, detail = split_type(type_string)
    return resolve_model(detail) if kind == 'model' else None


def _decode_model_body(response: Any, cls: type,
                       configuration: Optional['Configuration'] = None) -> Any:
    raw = _text(response) or ''
    try:
        value = json.loads(raw)
    except ValueError:
        problem = 'not JSON' if raw.strip() else 'empty, where %s was expected' % cls.__name__
        raise _bad_body(response, raw, problem) from None
    if not isinstance(value, dict):
        raise _bad_body(response, raw, 'a JSON %s, where %s (an object) was expected'
                        % (_json_kind(value), cls.__name__))
    wrap: Callable[[Dict[str, Any]], Any] = getattr(cls, '_wrap')  # a Model subclass's
    model = wrap(cast('Dict[str, Any]', value))  # a JSON object
    if configuration is not None and configuration.discard_unknown_keys:
        from talon_one._model import _discard_unknown
        _discard_unknown(model)
    return model


def _text(response: Any) -> Optional[str]:
    raw = response.data
    if isinstance(raw, (bytes, bytearray)):
        return bytes(raw).decode(charset(response), errors='replace')
    return raw  # type: ignore[no-any-return]


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return 'array'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, bool):
        return 'boolean'
    if value is None:
        return 'null'
    return 'number'


def _bad_body(response: Any, raw: str, problem: str) -> ApiResponseError:
    return ApiResponseError(status=getattr(response, 'status', None),
                            reason=getattr(response, 'reason', None), body=raw,
                            headers=getattr(response, 'headers', None), problem=problem)


def _save_file(response: Any, configuration: Optional['Configuration']) -> str:
    """Save the body in ``Configuration.temp_folder_path`` and return the path."""
    folder = (configuration.temp_folder_path if configuration else None) or tempfile.gettempdir()
    name = None
    disposition = response.headers.get('Content-Disposition')
    if disposition:
        match = re.search(r'filename=[\'"]?([^\'";\s]+)', disposition)
        if match:
            name = os.path.basename(match.group(1))
    if name:
        path = os.path.join(folder, name)
    else:
        fd, path = tempfile.mkstemp(dir=folder)
        os.close(fd)
    with open(path, 'wb') as handle:
        handle.write(response.data)
    return path


