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
        'talon_one/operations.py checks the arguments, builds the request and hands it to',
        'the ApiClient.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import TYPE_CHECKING, Any, Optional, Tuple, Union',
        '',
        'from talon_one.operations import ApiBase, Endpoint, Param',
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
        '    ``_host``. Errors: ``ApiTypeError``/``ApiValueError`` for bad arguments (before',
        '    any request), ``ApiException`` subclasses for HTTP errors.',
        '    """',
    ]


def return_hint(op):
    types = set(op.responses.values())
    concrete = sorted(t for t in types if t is not None)
    if not concrete:
        return 'None'
    hint = python_hint(concrete[0]) if len(concrete) == 1 else 'Any'
    return 'Optional[%s]' % hint if None in types else hint


def _signature(name, params, returns):
    flat = '    def %s(self, %s) -> %s:' % (name, ', '.join(params), returns)
    if len(flat) <= pyfmt.WIDTH:
        return [flat]
    lines = ['    def %s(' % name, '        self,']
    lines += ['        %s,' % param for param in params]
    lines.append('    ) -> %s:' % returns)
    return lines


def _params(op):
    params = ['%s: %s' % (p.attr, python_hint(p.type_string)) for p in op.positional]
    if op.optional:
        # Keyword-only, typed and visible to IDEs; None means "not sent".
        params.append('*')
        params += ['%s: Optional[%s] = None' % (p.attr, _optional_hint(p))
                   for p in op.optional]
    return params + ['**kwargs: Any']


def _optional_hint(param):
    hint = python_hint(param.type_string)
    # The official SDK accepted RFC 3339 strings for date-time query values.
    return 'Union[datetime, str]' if hint == 'datetime' else hint


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
    lines = _signature(op.method_name, _params(op), return_hint(op))
    lines += _docstring(op)
    lines.append(_return_call('_call', op))
    return lines


def _method_with_http_info(op):
    name = op.method_name + '_with_http_info'
    returns = 'Tuple[%s, int, Any]' % return_hint(op)
    lines = _signature(name, _params(op), returns)
    lines += ['        """%s' % _sentence(op.summary), '',
              '        Same parameters as :meth:`%s`;' % op.method_name,
              '        returns ``(data, status, headers)``.',
              '        """']
    lines.append(_return_call('_call_with_http_info', op))
    return lines


def _return_call(helper, op):
    args = [naming.constant_name(op.method_name), _call_args(op), 'kwargs']
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
