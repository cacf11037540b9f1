"""Runnable example code: one per operation, and one per effect-props model.

An operation's example has two framings around the same calls: the reference page
(docs/IntegrationApi.md) reads the host and key from the environment and catches
``ApiException``; the method docstring runs in place against the in-process sandbox,
so it can be pasted and run as is. Effect-props examples need no server at all.
"""

import re
from typing import Any, List

from generator import examples, pyfmt

_INDENT = '    '


def _short_dates(value: Any) -> Any:
    """``value`` with ``datetime.datetime(..., tzinfo=datetime.timezone.utc)`` spelt
    ``datetime(..., tzinfo=timezone.utc)`` (from datetime import ...): date-time
    arguments are not split across lines, so they must be short enough to fit."""
    if isinstance(value, pyfmt.Raw):
        return pyfmt.Raw(value.text.replace('datetime.', ''))
    if isinstance(value, pyfmt.Call):
        return pyfmt.Call(value.name, kwargs=[(k, _short_dates(v)) for k, v in value.kwargs],
                          args=[_short_dates(v) for v in value.args])
    if isinstance(value, dict):
        return {key: _short_dates(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_short_dates(item) for item in value)
    return value


_DATETIME_NAMES = ('datetime', 'timezone', 'timedelta')


def _has_body(op: Any) -> bool:
    return any(type_string is not None for type_string in op.responses.values())


def _call_lines(spec: Any, op: Any, indent: str, catch: bool) -> List[str]:
    """The statements inside the ``with`` block, each starting with ``indent``."""
    lines = [indent + 'api_instance = talon_one.IntegrationApi(api_client)']
    call_args = []
    for param in op.positional:
        if param.location == 'body':
            head = indent + 'body = '
            source = _short_dates(examples.body_source(spec, param, op))
            lines.append(head + pyfmt.render(source, indent, len(head)))
        else:
            lines.append('%s%s = %r' % (indent, param.attr, examples.path_value(op, param)))
        call_args.append(param.attr)
    for param, value in examples.query_values(op):
        call_args.append('%s=%r' % (param.attr, value))
    inner = indent + _INDENT if catch else indent
    target = 'api_response = ' if _has_body(op) else ''
    call = 'api_instance.%s(%s)' % (op.method_name, ', '.join(call_args))
    if len(inner + target + call) > pyfmt.WIDTH:
        call = 'api_instance.%s(\n%s%s)' % (
            op.method_name, ''.join('%s%s%s,\n' % (inner, _INDENT, arg) for arg in call_args),
            inner)
    result = (['%spprint(api_response)' % inner] if target
              else ["%sprint('%s: done')" % (inner, op.method_name)])
    if not catch:
        return lines + [''] + ['%s%s%s' % (inner, target, call)] + result
    return lines + ['', indent + 'try:', '%s%s%s' % (inner, target, call)] + result + [
        indent + 'except ApiException as e:',
        "%sprint('Exception when calling IntegrationApi->%s: %%s' %% e)" % (
            inner, op.method_name)]


def _imports(code: str, stdlib: List[str], package: List[str]) -> List[str]:
    """Import lines: the standard library ones the code needs, a blank line, ``package``."""
    names = [name for name in _DATETIME_NAMES if re.search(r'\b%s\(' % name, code)]
    if 'timezone.utc' in code and 'timezone' not in names:
        names.append('timezone')
    imports = list(stdlib)
    if names:
        imports.append('from datetime import %s' % ', '.join(names))
    if 'pprint(' in code:
        imports.append('from pprint import pprint')
    return imports + ([''] if imports else []) + package


def operation_page_example(spec: Any, op: Any) -> str:
    """The example of docs/IntegrationApi.md: host and API key from the environment."""
    code = '\n'.join(_call_lines(spec, op, _INDENT, catch=True))
    head = _imports(code, ['import os'],
                    ['import talon_one', 'from talon_one.rest import ApiException'])
    head += ENV_CONFIGURATION + ['with talon_one.ApiClient(configuration) as api_client:']
    return '\n'.join(head) + '\n' + code


# The Configuration of the page examples, from TALON_ONE_HOST and TALON_ONE_API_KEY.
ENV_CONFIGURATION = [
    '',
    'configuration = talon_one.Configuration(',
    "    host=os.environ['TALON_ONE_HOST'],",
    "    api_key={'Authorization': os.environ['TALON_ONE_API_KEY']},",
    ')',
    '',
]


def async_example() -> str:
    """``async_req``: two requests at once on the client's thread pool."""
    return '\n'.join(['import os', '', 'import talon_one'] + ENV_CONFIGURATION + [
        'with talon_one.ApiClient(configuration, pool_threads=2) as api_client:',
        '    api_instance = talon_one.IntegrationApi(api_client)',
        "    inventory = api_instance.get_customer_inventory('URNGV8294NV', profile=True,",
        '                                                    async_req=True)',
        "    balances = api_instance.get_loyalty_balances(125, 'URNGV8294NV', async_req=True)",
        '    balances.wait(30)                    # both requests run meanwhile',
        "    print('balances ready:', balances.ready())",
        "    print('profile:', inventory.get(timeout=30).profile.integration_id)",
        "    print('active points:', balances.get(timeout=30).balance.active_points)",
    ])


SANDBOX_NOTE = '# Against your deployment: talon_one.Configuration(host=..., api_key=...)'


def operation_docstring_example(spec: Any, op: Any, indent: str) -> List[str]:
    """The example of a method docstring, as lines starting with ``indent``: it runs
    against a fresh in-process sandbox loaded with the example world."""
    code_lines = _call_lines(spec, op, indent + _INDENT, catch=False)
    head = _imports('\n'.join(code_lines), [],
                    ['import talon_one', 'from talon_one.sandbox import Sandbox'])
    lines = [indent + line if line else '' for line in head]
    lines += ['', indent + SANDBOX_NOTE,
              indent + 'with Sandbox() as sandbox, talon_one.ApiClient(sandbox.configuration())'
              ' as api_client:']
    return lines + code_lines


def effect_props_example(model: Any, effect_type: str, place: str, props: Any) -> str:
    """How an effect of ``effect_type`` is read, typed and summarized (no server needed)."""
    effect = {'campaignId': 10, 'rulesetId': 1001, 'ruleIndex': 0, 'ruleName': 'Example rule',
              'effectType': effect_type, 'props': props}
    head = 'effect = talon_one.Effect.from_wire('
    return '\n'.join([
        'import talon_one',
        '',
        '# One effect as it arrives in state.effects (a response of the Integration API).',
        head + pyfmt.render(effect, '', len(head)) + ')',
        '',
        'props = talon_one.effect_props(effect)    # a talon_one.%s' % model.class_name,
        'print(props)',
        '',
        '# summarize_effects reads every effect of a response; this one lands in .%s' % place,
        'summary = talon_one.summarize_effects([effect])',
        'print(summary.%s)' % place,
        'print(summary)                            # the receipt',
    ])
