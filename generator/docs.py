"""Render the Markdown reference: docs/IntegrationApi.md and docs/<Class>.md."""

from generator import MD_HEADER, descriptions, docstrings, notes, pyfmt, snippets, typestrings


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

def _return_values(spec):
    silent = [op.method_name for op in spec.operations if docstrings.silent_param(op)]
    text = ('Each method returns the model of its success response. It returns `None` when the '
            'server answers `204 No Content`: always for the operations that have no response '
            "body, and for %s unless you pass `silent='no'` (their server default is "
            "`silent='yes'`); their return types below are therefore `Optional`. Errors raise "
            'subclasses of `talon_one.ApiException` (`BadRequestException` for 400, '
            '`UnauthorizedException` for 401, `NotFoundException` for 404, `ConflictException` '
            'for 409...). Every method has a `*_with_http_info` twin that returns '
            '`(data, status, headers)`.' % _series(['`%s`' % name for name in silent]))
    return ['### Return values', ''] + pyfmt.wrap_words(text, '', width=90)


def _series(items):
    return items[0] if len(items) == 1 else '%s and %s' % (', '.join(items[:-1]), items[-1])


_CALLING_STYLES = [
    '### Asynchronous calls: `async_req`',
    '',
    'Pass `async_req=True` to any method (or its `*_with_http_info` twin) and it returns at',
    "once with an object that runs the request on the ApiClient's thread pool (`pool_threads`",
    'threads, 1 by default, started on first use): `.get(timeout=None)` waits and returns the',
    "result or raises the call's exception, `.ready()` says whether it has finished,",
    '`.wait(timeout=None)` waits without returning anything, and `.successful()` tells',
    'whether it finished without an exception. The pool threads are daemon threads: they',
    'never keep the interpreter alive.',
    '',
    '```python',
    snippets.async_example(),
    '```',
    '',
    '### asyncio: `AsyncIntegrationApi`',
    '',
    'Every method has an `async def` twin of the same name in `talon_one.AsyncIntegrationApi`',
    '(`talon_one.aio`, with `pip install \'talon_one[aio]\'`): the same parameters, return type',
    'and exceptions, `*_with_http_info` included (the twins take no `async_req` and no',
    '`_preload_content`). The table below names both; each section shows the `await` form.',
    'Open the client once with `async with talon_one.AsyncApiClient(configuration) as client:`',
    'and share it between tasks (one aiohttp session, `connection_pool_maxsize` connections',
    'per host); `talon_one.aiter_pages` pages a listing with `async for`. The README section',
    '"asyncio" has a runnable example, timeouts and cancellation.',
    '',
    '### Threads',
    '',
    'One `ApiClient`, and one `IntegrationApi` made from it, can be shared by any number of',
    'threads: the client keeps one connection pool (`connection_pool_maxsize` connections per',
    'host) and no per-request state on the instance (`api_client.last_response` is kept per',
    'thread). Create them once, share them, and close the client (or leave its `with` block)',
    'when the application stops.',
]


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
    ] + _return_values(spec) + [''] + _CALLING_STYLES + [
        '',
        '### Operations',
        '',
        '| Method | asyncio (`AsyncIntegrationApi`) | HTTP request | Summary |',
        '|---|---|---|---|',
    ]
    for op in spec.operations:
        name = op.method_name + (' (deprecated)' if op.deprecated else '')
        lines.append('| [%s](#%s) | `await %s(...)` | `%s %s` | %s |' % (
            name, op.method_name, op.method_name, op.http_method, op.path, _cell(op.summary)))
    for op in spec.operations:
        lines += [''] + _operation_section(spec, op)
    return '\n'.join(lines) + '\n'


def _operation_section(spec, op):
    lines = ['## %s' % op.method_name, '', op.summary, '']
    note = notes.load().operation(op.operation_id)
    if note:
        lines += [note, '']
    if op.deprecated:
        lines += ['**Deprecated**: calling it emits a `DeprecationWarning`; use `%s` instead.'
                  % descriptions.REPLACEMENTS.get(op.operation_id, 'a newer operation'), '']
    lines += ['### HTTP request', '', '`%s %s`' % (op.http_method, op.path), '']
    lines += ['### Example', '', '```python', snippets.operation_page_example(spec, op), '```',
              '']
    lines += ['### asyncio', '',
              '`await api.%s(...)` on a `talon_one.AsyncIntegrationApi` (and' % op.method_name,
              '`await api.%s_with_http_info(...)`): the same parameters, return type and'
              % op.method_name,
              'statuses as below, without `async_req` and `_preload_content`.', '']
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
    lines += ['| %d | %s |' % item for item in docstrings.statuses(op, _type_link)]
    lines += ['', 'Official reference: <%s>' % (descriptions.REFERENCE % op.operation_id), '',
              '[Back to the list of operations](#talon_oneintegrationapi)']
    return lines


def _param_doc_note(param):
    note = docstrings.param_note(param)
    return note.replace(' Required.', '').replace(' Optional keyword.', ' Keyword argument.')


def _return_doc(op):
    types = ' or '.join(_type_link(t) for t in sorted(set(op.responses.values()) - {None}))
    return '`%s`: %s' % (docstrings.return_hint(op), docstrings.return_sentence(op, types))


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
    note = notes.load().model(model.schema_name)
    if note is not None:
        lines += [note.about, '']
    effect = docstrings.effect_sentence(model, code='`')
    if effect:
        lines += [effect.replace('`Effect`', '[Effect](Effect.md)', 1), '']
    lines += [
        '## Properties',
        '',
        '| Name | API name | Type | Required | Notes |',
        '|---|---|---|---|---|',
    ]
    for prop in model.props:
        lines.append('| **%s** | `%s` | %s | %s | %s |' % (
            prop.attr, prop.api_name, _type_link(prop.type_string),
            'yes' if prop.required else 'no', _cell(_property_notes(model, prop))))
    if effect and note is not None and note.example is not None:
        kind, place = docstrings.summary_place(model)
        lines += ['', '## Example', '', '```python',
                  snippets.effect_props_example(model, kind, place, note.example), '```']
    lines += ['', _usage(spec, model), '',
              '[Back to the API reference](IntegrationApi.md)']
    return '\n'.join(lines) + '\n'


def _property_notes(model, prop):
    """The Notes cell: rules, default, alias, format, then what the property means."""
    facts = docstrings.property_rules(model, prop)
    facts = [fact[:1].upper() + fact[1:] for fact in facts]
    if prop.type_string == 'datetime':
        facts.append('RFC 3339 date-time')
    text = '. '.join(facts)
    meaning = docstrings.property_note(model, prop)
    if meaning:
        text = (docstrings.sentence(text) + ' ' if text else '') + meaning
    return text


def _usage(spec, model):
    """Which operations send or return the model, and which models hold it."""
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
    if docstrings.summary_place(model) is not None:
        parts.append('Found in the `effects` of %s, and as plain JSON in the `effects` of '
                     '[Event](Event.md) (v1 responses).' % ', '.join(
                         '[%s](%s.md)' % (name, name) for name in docstrings.EFFECT_CARRIERS))
    return ' '.join(parts) or 'Not referenced by any operation or model.'
