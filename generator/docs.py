"""Render the Markdown reference: docs/IntegrationApi.md and docs/<Class>.md."""

from generator import MD_HEADER, descriptions, examples, pyfmt, typestrings
from generator.api import param_note, return_hint
from generator.naming import effect_type
from generator.spec import NO_DEFAULT


def _type_link(type_string):
    """Markdown for a type string, linking model names to their pages."""
    kind, detail = typestrings.split(type_string)
    if kind == 'list':
        return 'list[%s]' % _type_link(detail)
    if kind == 'dict':
        return 'dict(str, %s)' % _type_link(detail)
    if kind == 'model':
        return '[%s](%s.md)' % (detail, detail)
    return '`%s`' % detail


def _cell(text):
    return text.replace('|', '\\|').replace('\n', ' ')


# -- docs/IntegrationApi.md -------------------------------------------------------

def render_api_doc(spec):
    lines = [
        MD_HEADER,
        '# talon_one.IntegrationApi',
        '',
        'The %d operations of the Talon.One Integration API. Paths are relative to the host'
        % len(spec.operations),
        'configured in `talon_one.Configuration` (for example `https://yourbaseurl.talon.one`).',
        '',
        'Every example reads the host and the API key from the environment variables',
        '`TALON_ONE_HOST` and `TALON_ONE_API_KEY`; point them at your deployment or at the',
        'local sandbox (`python -m talon_one.sandbox`).',
        '',
        '| Method | HTTP request | Summary |',
        '|---|---|---|',
    ]
    for op in spec.operations:
        name = op.method_name + (' (deprecated)' if op.deprecated else '')
        lines.append('| [%s](#%s) | `%s %s` | %s |' % (
            name, op.method_name, op.http_method, op.path, _cell(op.summary)))
    for op in spec.operations:
        lines += [''] + _operation_section(spec, op)
    return '\n'.join(lines) + '\n'


def _operation_section(spec, op):
    lines = ['## %s' % op.method_name, '', op.summary, '']
    if op.deprecated:
        lines += ['**Deprecated**: calling it emits a `DeprecationWarning`; use `%s` instead.'
                  % descriptions.REPLACEMENTS.get(op.operation_id, 'a newer operation'), '']
    lines += ['### HTTP request', '', '`%s %s`' % (op.http_method, op.path), '']
    lines += ['### Example', '', '```python', example_code(spec, op), '```', '']
    lines += ['### Parameters', '']
    if op.params:
        lines += ['| Name | Type | Required | Notes |', '|---|---|---|---|']
        for param in op.params:
            lines.append('| **%s** | %s | %s | %s |' % (
                param.attr, _type_link(param.type_string), 'yes' if param.required else 'no',
                _cell(_param_doc_note(param))))
    else:
        lines.append('None.')
    lines += ['', '### Return type', '', _return_doc(op), '']
    lines += ['### Authorization', '',
              ' or '.join(descriptions.AUTH[name] for name in op.auth), '']
    lines += ['### HTTP statuses', '', '| Status | Meaning |', '|---|---|']
    for status in op.statuses:
        body = op.responses.get(status)
        if body:
            meaning = '%s; returns %s.' % ('Created' if status == 201 else 'Success',
                                           _type_link(body))
        else:
            meaning = descriptions.STATUSES.get(status, '')
        lines.append('| %d | %s |' % (status, meaning))
    lines += ['', 'Official reference: <%s>' % (descriptions.REFERENCE % op.operation_id), '',
              '[Back to the list of operations](#talon_oneintegrationapi)']
    return lines


def _param_doc_note(param):
    note = param_note(param)
    return note.replace(' Required.', '').replace(' Optional keyword.', ' Keyword argument.')


def _return_doc(op):
    hint = return_hint(op)
    if hint == 'None':
        return 'None (the response has no body).'
    concrete = sorted(t for t in set(op.responses.values()) if t)
    text = ' or '.join(_type_link(t) for t in concrete)
    if None in op.responses.values():
        text += ', or None when the response has no body'
    return text


def example_code(spec, op):
    """A complete, runnable example of one operation."""
    body = ['    api_instance = talon_one.IntegrationApi(api_client)']
    call_args = []
    for param in op.positional:
        if param.location == 'body':
            source = pyfmt.render(examples.body_source(spec, param), '    ', len('    body = '))
            body.append('    body = %s' % source)
        else:
            body.append('    %s = %r' % (param.attr, examples.path_value(op, param)))
        call_args.append(param.attr)
    for param, value in examples.query_values(op):
        call_args.append('%s=%r' % (param.attr, value))
    call = 'api_instance.%s(%s)' % (op.method_name, ', '.join(call_args))
    if len('        api_response = ') + len(call) > pyfmt.WIDTH:
        call = 'api_instance.%s(\n%s        )' % (
            op.method_name, ''.join('            %s,\n' % arg for arg in call_args))
    body.append('')
    body.append('    try:')
    if return_hint(op) == 'None':
        body.append('        %s' % call)
        body.append("        print('%s: done')" % op.method_name)
    else:
        body.append('        api_response = %s' % call)
        body.append('        pprint(api_response)')
    body.append('    except ApiException as e:')
    body.append("        print('Exception when calling IntegrationApi->%s: %%s' %% e)"
                % op.method_name)
    code = '\n'.join(body)
    imports = ['import datetime'] if examples.uses_datetime(code) else []
    imports.append('import os')
    if 'pprint(' in code:
        imports.append('from pprint import pprint')
    imports += ['', 'import talon_one', 'from talon_one.rest import ApiException']
    head = imports + [
        '',
        'configuration = talon_one.Configuration(',
        "    host=os.environ['TALON_ONE_HOST'],",
        "    api_key={'Authorization': os.environ['TALON_ONE_API_KEY']},",
        ')',
        '',
        'with talon_one.ApiClient(configuration) as api_client:',
    ]
    return '\n'.join(head) + '\n' + code


# -- docs/<Class>.md ----------------------------------------------------------------

def render_model_doc(spec, model):
    lines = [
        MD_HEADER,
        '# %s' % model.class_name,
        '',
        '`talon_one.%s` (module `talon_one.models.%s`), generated from the schema `%s`.'
        % (model.class_name, model.module, model.schema_name),
        '',
    ]
    effect = effect_type(model.schema_name)
    if effect is not None:
        lines += ['It describes the `props` of an [Effect](Effect.md) whose `effect_type` is '
                  '`%s`; parse them with `talon_one.%s.from_wire(effect.props)`.'
                  % (effect, model.class_name), '']
    lines += [
        '## Properties',
        '',
        '| Name | API name | Type | Required | Notes |',
        '|---|---|---|---|---|',
    ]
    alias_of = {attr: alias for alias, attr in model.aliases.items()}
    for prop in model.props:
        notes = []
        rules = descriptions.rules(prop.rules)
        if rules:
            notes.append(rules[:1].upper() + rules[1:])
        if prop.default is not NO_DEFAULT:
            notes.append('Default `%r`' % (prop.default,))
        if prop.attr in alias_of:
            notes.append('Alias `%s`' % alias_of[prop.attr])
        if prop.type_string == 'datetime':
            notes.append('RFC 3339 date-time')
        lines.append('| **%s** | `%s` | %s | %s | %s |' % (
            prop.attr, prop.api_name, _type_link(prop.type_string),
            'yes' if prop.required else 'no', _cell('. '.join(notes))))
    lines += ['', _usage(spec, model), '',
              '[Back to the API reference](IntegrationApi.md)']
    return '\n'.join(lines) + '\n'


def _usage(spec, model):
    """Which operations send or return the model directly."""
    sent = [op.method_name for op in spec.operations
            if op.body is not None and op.body.type_string == model.class_name]
    returned = [op.method_name for op in spec.operations
                if model.class_name in op.responses.values()]
    parts = []
    if sent:
        parts.append('Request body of %s.' % ', '.join(
            '[%s](IntegrationApi.md#%s)' % (name, name) for name in sent))
    if returned:
        parts.append('Returned by %s.' % ', '.join(
            '[%s](IntegrationApi.md#%s)' % (name, name) for name in returned))
    users = sorted(other.class_name for other in spec.models
                   if any(model.class_name in typestrings.model_names(p.type_string)
                          for p in other.props) and other is not model)
    if users:
        parts.append('Used by %s.' % ', '.join('[%s](%s.md)' % (name, name) for name in users))
    return ' '.join(parts) or 'Not referenced by any operation or model.'
