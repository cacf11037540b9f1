"""Render ``talon_one/api/async_integration_api.py``: an ``async def`` twin of every method.

The operations are the Endpoints of ``talon_one/api/integration_api.py`` (imported, not
described twice); each twin takes the same parameters (without ``async_req`` and
``_preload_content``: the call is a coroutine, and its response is always read) and
returns the same types, ``*_with_http_info`` included.
"""

from generator import PY_HEADER, naming, pyfmt
from generator.api import (_any_silent, _call_args, _overload, _pack, _params, _sentence,
                           _signature, _silent_variants, data_hint, is_silent, return_hint)
from generator.typestrings import leaf, model_names


def render_async_api(operations):
    lines = [
        PY_HEADER,
        '# pyright: reportPrivateUsage=false',
        ('# (the Endpoints are private to talon_one.api: integration_api.py describes them '
         'once)'),
        ('"""The Integration API for asyncio: an ``async def`` twin of every IntegrationApi '
         'method.'),
        '',
        '``AsyncIntegrationApi(client)`` takes a ``talon_one.aio.AsyncApiClient``. Each method',
        'has the name, parameters and return type of its twin in ``IntegrationApi``: the same',
        'Endpoint (``talon_one/api/integration_api.py``), argument checks, request builder and',
        'codec (``talon_one/_operations.py``); only the sending is asyncio (aiohttp). The',
        '``@overload`` signatures give ``None`` where ``silent`` lets the server answer 204, and',
        '``(data, status, headers)`` from ``*_with_http_info``.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING, Literal, Optional, Union',
        '',
        'from talon_one._operations import AsyncApiBase',
    ]
    lines += _endpoint_imports(operations)
    lines += [''] + _type_checking_imports(operations)
    lines += ['', ''] + _class_header(operations)
    for op in operations:
        lines += [''] + _method(op) + [''] + _method_with_http_info(op)
    return '\n'.join(lines) + '\n'


def _endpoint_imports(operations):
    names = sorted(naming.constant_name(op.method_name) for op in operations)
    return ['from talon_one.api.integration_api import ('] + _pack(names, '    ') + [')']


def _type_checking_imports(operations):
    names = set()
    stdlib = set()
    for op in operations:
        types = [p.type_string for p in op.params] + list(op.responses.values())
        for type_string in filter(None, types):
            names.update(model_names(type_string))
            if leaf(type_string) in ('date', 'datetime'):
                stdlib.add(leaf(type_string))
    lines = ['if TYPE_CHECKING:']
    if stdlib:
        lines += ['    from datetime import %s' % ', '.join(sorted(stdlib)), '']
    lines += ['    from typing import Any, Sequence, overload',
              '',
              '    from typing_extensions import Unpack',
              '',
              '    from talon_one._operations import CallOptions, HttpInfo, HttpInfoOptions']
    lines.append('    from talon_one.models import (')
    lines += ['        %s,' % name for name in sorted(names)]
    lines.append('    )')
    return lines


def _class_header(operations):
    return [
        'class AsyncIntegrationApi(AsyncApiBase):',
        ('    """The %d operations of the Talon.One Integration API, for asyncio.'
         % len(operations)),
        '',
        '    ``AsyncIntegrationApi(api_client=None)`` takes a ``talon_one.aio.AsyncApiClient``',
        '    (without one, a default one is made); ``async with`` closes the client at the end.',
        '    Every method is a coroutine with the parameters and result of its',
        '    ``talon_one.IntegrationApi`` twin, and the request options ``_request_timeout``,',
        '    ``_total_timeout``, ``_retry_non_idempotent``, ``_request_auth``,',
        '    ``_content_type``, ``_headers``, ``_host`` and ``_idempotency_key`` (writes).',
        '    Errors: ``ApiTypeError`` / ``ApiValueError`` for bad arguments (before any',
        '    request), ``ApiException`` subclasses for HTTP errors, ``ApiConnectionError``',
        '    subclasses when no answer came.',
        '    """',
    ]


def _doc(op, name, twin):
    text = ('The asyncio twin of :meth:`talon_one.IntegrationApi.%s`: the same parameters and '
            'result%s.' % (twin, ' (``(data, status, headers)``, or only the data with '
                                 '``_return_http_data_only=True``)' if name != twin else ''))
    return (['        """%s' % _sentence(op.summary), '']
            + pyfmt.wrap_words(text, '        ') + ['        """'])


def _keywords(params):
    """``params`` without a bare ``*`` that no keyword-only parameter follows."""
    if params[-2:-1] == ['*'] or (params and params[-1] == '*'):
        return [param for param in params if param != '*']
    return params


def _method(op):
    name = op.method_name
    params = _keywords(_params(op) + _any_silent(op)) + ['**kwargs: Unpack[CallOptions]']
    if not is_silent(op):
        # One shape only: the implementation itself carries the precise return type.
        hint = return_hint(op)
        lines = _signature(name, params, hint, keyword='async def') + _doc(op, name, name)
        if hint == 'None':
            return lines + [_await_call(op, [], 'await')]
        return lines + [_await_call(op, [], 'result: %s = await' % hint), '        return result']
    call = _await_call(op, [])
    lines = ['    if TYPE_CHECKING:']
    for silent, data in _silent_variants(op):
        lines += _overload(name, _keywords(_params(op) + silent)
                           + ['**kwargs: Unpack[CallOptions]'], data, keyword='async def')
    lines += ['']
    lines += _signature(name, params, 'object', keyword='async def') + _doc(op, name, name)
    return lines + [call]


def _method_with_http_info(op):
    name = op.method_name + '_with_http_info'
    tail = ['**kwargs: Unpack[HttpInfoOptions]']
    lines = ['    if TYPE_CHECKING:']
    for silent, data in _silent_variants(op):
        for only, result in (('Literal[False] = False', 'HttpInfo[%s]' % data),
                             ('Literal[True]', data)):
            params = _params(op) + silent + ['_return_http_data_only: %s' % only] + tail
            lines += _overload(name, params, result, keyword='async def')
    lines += ['']
    params = _params(op) + _any_silent(op) + ['_return_http_data_only: bool = False'] + tail
    lines += _signature(name, params, 'object', keyword='async def')
    lines += _doc(op, name, op.method_name)
    lines.append(_await_call(op, ['_return_http_data_only']))
    return lines


def _await_call(op, options, prefix='return await'):
    """``return await self._call(ENDPOINT, (args), kwargs[, option])``, wrapped to fit."""
    args = [naming.constant_name(op.method_name), _call_args(op), 'kwargs'] + options
    line = '        %s self._call(%s)' % (prefix, ', '.join(args))
    if len(line) <= pyfmt.WIDTH:
        return line
    wrapped = '        %s self._call(\n            %s)' % (prefix, ', '.join(args))
    if max(len(part) for part in wrapped.split('\n')) <= pyfmt.WIDTH:
        return wrapped
    from generator.api import _wrap_tuple
    args[1] = _wrap_tuple(args[1], '            ')
    return '        %s self._call(\n%s        )' % (
        prefix, ''.join('            %s,\n' % arg for arg in args))


__all__ = ['render_async_api', 'data_hint']
