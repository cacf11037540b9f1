"""Render ``talon_one/api/integration_api.py``: one Endpoint per operation and two thin methods."""

from generator import PY_HEADER, docstrings, naming, pyfmt
from generator.spec import NO_DEFAULT
from generator.typestrings import leaf, model_names, python_hint


def render_api(operations):
    lines = [
        PY_HEADER,
        '"""The Integration API: one method per operation, plus a ``*_with_http_info`` twin.',
        '',
        'Each operation is described once, as data (an ``Endpoint``); ``ApiBase`` in',
        'talon_one/_operations.py checks the arguments, builds the request and hands it to',
        'the ApiClient. The ``@overload`` signatures tell type checkers what each call',
        'returns: the model, an ``AsyncResult`` of it for ``async_req=True``, the raw',
        'urllib3 response for ``_preload_content=False``, ``(data, status, headers)`` from',
        '``*_with_http_info``, and ``None`` where ``silent`` lets the server answer 204.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING, Literal, Optional, Union',
        '',
        'from talon_one._operations import ApiBase, Endpoint, Param',
        '',
    ]
    lines += _type_checking_imports(operations)
    for op in operations:
        lines += ['', ''] + _endpoint(op)
    lines += ['', ''] + _class_header(operations)
    for op in operations:
        lines += [''] + _method(op) + [''] + _method_with_http_info(op)
    return '\n'.join(lines) + '\n'


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
              '    from urllib3 import HTTPResponse',
              '',
              '    from talon_one._async import AsyncResult',
              '    from talon_one._operations import CallOptions, HttpInfo, HttpInfoOptions']
    lines.append('    from talon_one.models import (')
    lines += ['        %s,' % name for name in sorted(names)]
    lines.append('    )')
    return lines


def _param_lines(param, indent):
    """``Param(...)`` on one line, or with its keywords on a hanging continuation line."""
    args = [repr(param.attr), repr(param.api_name), repr(param.location), repr(param.type_string)]
    kwargs = []
    if param.required:
        kwargs.append('required=True')
    if param.rules:
        kwargs.append('rules=%s' % pyfmt.render(param.rules))
    if param.default is not NO_DEFAULT:
        kwargs.append('default=%r' % (param.default,))
    if param.comma_separated:
        kwargs.append('comma_separated=True')
    flat = '%sParam(%s),' % (indent, ', '.join(args + kwargs))
    if len(flat) <= pyfmt.WIDTH:
        return [flat]
    return ['%sParam(%s,' % (indent, ', '.join(args)),
            '%s      %s),' % (indent, ', '.join(kwargs))]


def _endpoint(op):
    lines = ['%s = Endpoint(' % naming.constant_name(op.method_name)]
    for key, value in (('name', op.method_name), ('operation_id', op.operation_id),
                       ('method', op.http_method), ('path', op.path)):
        lines.append('    %s=%r,' % (key, value))
    lines.append('    params=(')
    for param in op.params:
        lines += _param_lines(param, '        ')
    lines.append('    ),')
    lines.append('    responses=%s,' % pyfmt.render(dict(sorted(op.responses.items()))))
    lines.append('    auth=%s,' % pyfmt.render(op.auth))
    lines.append('    deprecated=%r,' % op.deprecated)
    lines.append(')')
    return lines


def _class_header(operations):
    return [
        'class IntegrationApi(ApiBase):',
        '    """The %d operations of the Talon.One Integration API.' % len(operations),
        '',
        '    ``IntegrationApi(api_client=None)``; without an ApiClient a default one is made.',
        '    Required parameters are positional, optional ones are keywords. Every method',
        '    also takes the request options ``async_req``, ``_preload_content``,',
        '    ``_request_timeout``, ``_request_auth``, ``_content_type``, ``_headers`` and',
        '    ``_host`` (and ``*_with_http_info`` ``_return_http_data_only``). Errors:',
        '    ``ApiTypeError``/``ApiValueError`` for bad arguments (before any request),',
        '    ``ApiException`` subclasses for HTTP errors.',
        '    """',
    ]


def is_silent(op):
    """True when a ``silent`` parameter lets the server answer 204 without a body."""
    return any(p.attr == 'silent' for p in op.params)


def data_hint(op):
    """The type of the data a call returns, when the response has a body."""
    concrete = sorted(t for t in set(op.responses.values()) if t is not None)
    if not concrete:
        return 'None'
    return python_hint(concrete[0]) if len(concrete) == 1 else 'object'


def return_hint(op):
    """The type a call returns with the default options (None possible: Optional)."""
    hint = data_hint(op)
    if hint != 'None' and (None in op.responses.values() or is_silent(op)):
        return 'Optional[%s]' % hint
    return hint


def _signature(name, params, returns, keyword='def'):
    """The implementation's ``def`` line(s): one parameter per line when it does not fit."""
    flat = '    %s %s(self, %s) -> %s:' % (keyword, name, ', '.join(params), returns)
    if len(flat) <= pyfmt.WIDTH:
        return [flat]
    lines = ['    %s %s(' % (keyword, name), '        self,']
    lines += ['        %s,' % param for param in params]
    lines.append('    ) -> %s:' % returns)
    return lines


def _overload(name, params, returns, keyword='def'):
    """One ``@overload`` stub (inside ``if TYPE_CHECKING:``), parameters on hanging lines."""
    flat = '        %s %s(self, %s) -> %s: ...' % (keyword, name, ', '.join(params), returns)
    if len(flat) <= pyfmt.WIDTH:
        return ['        @overload', flat]
    lines = ['        @overload', '        %s %s(' % (keyword, name)]
    lines += _pack(['self'] + params, '                ')
    lines.append('        ) -> %s: ...' % returns)
    return lines


def _pack(params, indent):
    """Parameters filled onto lines like words, never broken inside one."""
    lines, current = [], indent
    for param in params:
        piece = param + ','
        if current != indent and len(current) + 1 + len(piece) > pyfmt.WIDTH:
            lines.append(current)
            current = indent + piece
        else:
            current += (' ' if current != indent else '') + piece
    lines.append(current)
    return lines


def _params(op):
    """Parameters shared by every signature of an operation (the required ones, positional,
    then the optional ones, keyword-only), without ``silent`` (it varies by overload)."""
    params = ['%s: %s' % (p.attr, python_hint(p.type_string)) for p in op.positional]
    params.append('*')
    params += ['%s: Optional[%s] = None' % (p.attr, _optional_hint(p))
               for p in op.optional if p.attr != 'silent']
    return params


# (async_req, _preload_content) parameters of the overloads, and how each wraps the data type.
_SYNC = ['async_req: Literal[False] = False', '_preload_content: Literal[True] = True']
_ASYNC = ['async_req: Literal[True]', '_preload_content: Literal[True] = True']
_RAW = ['async_req: Literal[False] = False', '_preload_content: Literal[False]']
_ASYNC_RAW = ['async_req: Literal[True]', '_preload_content: Literal[False]']


def _silent_variants(op):
    """[(silent parameters, data type)]: ``'no'`` returns the data, else it may be None."""
    data = data_hint(op)
    if not is_silent(op):
        return [([], data)]
    optional = 'Optional[%s]' % data
    return [(["silent: Literal['no']"], data),
            (["silent: Optional[Literal['yes']] = None"], optional)]


def _any_silent(op):
    return ["silent: Optional[Literal['yes', 'no']] = None"] if is_silent(op) else []


def _overloads(op):
    """The @overload stubs of the plain method (sync/async x parsed/raw, x silent)."""
    name, base, tail = op.method_name, _params(op), ['**kwargs: Unpack[CallOptions]']
    # Only type checkers read them: at run time they would cost import time for nothing.
    lines = ['    if TYPE_CHECKING:']
    for wrap, options in ((None, _SYNC), ('AsyncResult[%s]', _ASYNC)):
        for silent, data in _silent_variants(op):
            returns = wrap % data if wrap else data
            lines += _overload(name, base + silent + options + tail, returns)
    for returns, options in (('HTTPResponse', _RAW), ('AsyncResult[HTTPResponse]', _ASYNC_RAW)):
        lines += _overload(name, base + _any_silent(op) + options + tail, returns)
    return lines + ['']


def _http_info_overloads(op):
    """The @overload stubs of ``*_with_http_info``: also by ``_return_http_data_only``."""
    name = op.method_name + '_with_http_info'
    base, tail = _params(op), ['**kwargs: Unpack[HttpInfoOptions]']
    lines = ['    if TYPE_CHECKING:']
    for wrap, options in ((None, _SYNC), ('AsyncResult[%s]', _ASYNC)):
        for silent, data in _silent_variants(op):
            for only, result in (('Literal[False] = False', 'HttpInfo[%s]' % data),
                                 ('Literal[True]', data)):
                returns = wrap % result if wrap else result
                params = base + silent + options + ['_return_http_data_only: %s' % only] + tail
                lines += _overload(name, params, returns)
    for returns, options in (('HTTPResponse', _RAW), ('AsyncResult[HTTPResponse]', _ASYNC_RAW)):
        params = base + _any_silent(op) + options + ['_return_http_data_only: bool = False'] + tail
        lines += _overload(name, params, returns)
    return lines + ['']


def _optional_hint(param):
    hint = python_hint(param.type_string)
    # The official SDK accepted RFC 3339 strings for date-time query values.
    if hint == 'datetime':
        return 'Union[datetime, str]'
    if param.location == 'query' and hint.startswith('list['):
        # One value is a list of one (4.0.0 passed one subledger_id where 2026 takes several).
        item = hint[len('list['):-1]
        return 'Union[%s, Sequence[%s]]' % (item, item)
    return hint


def _call_args(op):
    # Values in Endpoint order: required (path, then body), then optional keywords.
    names = [p.attr for p in op.positional] + [p.attr for p in op.optional]
    if len(names) == 1:
        return '(%s,)' % names[0]
    return '(%s)' % ', '.join(names)


def _docstring(op):
    return docstrings.method_docstring(op)


_sentence = docstrings.sentence


def _method(op):
    params = (_params(op) + _any_silent(op)
              + ['async_req: bool = False', '_preload_content: bool = True',
                 '**kwargs: Unpack[CallOptions]'])
    lines = _overloads(op)
    lines += _signature(op.method_name, params, 'object')
    lines += _docstring(op)
    lines.append(_return_call('_call', op, ['async_req', '_preload_content']))
    return lines


def _method_with_http_info(op):
    name = op.method_name + '_with_http_info'
    params = (_params(op) + _any_silent(op)
              + ['async_req: bool = False', '_preload_content: bool = True',
                 '_return_http_data_only: bool = False', '**kwargs: Unpack[HttpInfoOptions]'])
    lines = _http_info_overloads(op)
    lines += _signature(name, params, 'object')
    lines += ['        """%s' % _sentence(op.summary), '',
              '        Same parameters as :meth:`%s`;' % op.method_name,
              '        returns ``(data, status, headers)``, or only the data with',
              '        ``_return_http_data_only=True``.',
              '        """']
    lines.append(_return_call('_call', op, ['async_req', '_preload_content',
                                            '_return_http_data_only']))
    return lines


def _return_call(helper, op, options):
    args = [naming.constant_name(op.method_name), _call_args(op), 'kwargs'] + options
    line = '        return self.%s(%s)' % (helper, ', '.join(args))
    if len(line) <= pyfmt.WIDTH:
        return line
    wrapped = '        return self.%s(\n            %s)' % (helper, ', '.join(args))
    if max(len(part) for part in wrapped.split('\n')) <= pyfmt.WIDTH:
        return wrapped
    args[1] = _wrap_tuple(args[1], '            ')
    return '        return self.%s(\n%s        )' % (
        helper, ''.join('            %s,\n' % arg for arg in args))


def _wrap_tuple(text, indent):
    """Break a long ``(a, b, ...)`` after commas, continuing one column in."""
    lines, current = [], ''
    for part in text.split(', '):
        candidate = part if not current else current + ', ' + part
        if current and len(indent) + len(candidate) + 1 > pyfmt.WIDTH:
            lines.append(current + ',')
            current = part
        else:
            current = candidate
    lines.append(current)
    return ('\n' + indent + ' ').join(lines)
