"""The generator (generator/) and what it produced.

The committed generated files must be exactly what ``python -m generator`` makes from
the spec in ../shared/openapi; ``--check`` must notice any drift.
"""

import ast
import os
import re
import subprocess
import sys
import warnings

import pytest

import talon_one
from generator import MD_HEADER, PY_HEADER, examples, naming, pyfmt, spec, typestrings, writer
from generator.__main__ import DEFAULT_SPEC
from generator.models import render_model
from talon_one.api import integration_api
from talon_one._operations import Endpoint

from support import Reply, require_shared

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope='module')
def loaded_spec():
    return spec.load(require_shared('openapi', 'talon-one-integration-2026.yaml'))


@pytest.fixture(scope='module')
def generated(loaded_spec):
    return writer.generate(loaded_spec)


def _generator(*args):
    require_shared('openapi', 'talon-one-integration-2026.yaml')
    return subprocess.run([sys.executable, '-m', 'generator'] + list(args), cwd=ROOT,
                          capture_output=True, text=True)


def _read(path):
    with open(os.path.join(ROOT, path), 'rb') as handle:
        return handle.read()


# -- reproducibility and --check --------------------------------------------------------

def test_committed_files_are_exactly_the_generator_output(generated):
    committed = _read(writer.FILES).decode('utf-8').split()
    assert committed == sorted(path for path in generated if path != writer.FILES)
    for path, content in generated.items():
        assert _read(path) == content.encode('utf-8'), path
    assert _read('.openapi-generator/VERSION') == b'talon_one-generator 1.0.0\n'


def test_check_passes_on_the_repository():
    result = _generator('--check')
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'up to date' in result.stdout


def test_check_reports_drift_and_a_rerun_repairs_it(tmp_path):
    out = str(tmp_path)
    assert _generator('--out', out).returncode == 0
    with open(os.path.join(out, 'talon_one/models/cart_item.py'), 'a') as handle:
        handle.write('# hand edit\n')
    os.remove(os.path.join(out, 'docs/CartItem.md'))
    with open(os.path.join(out, 'docs/OldModel.md'), 'w') as handle:
        handle.write(MD_HEADER + '\n# OldModel\n')
    with open(os.path.join(out, 'docs/guide.md'), 'w') as handle:
        handle.write('# A hand-written page\n')

    result = _generator('--check', '--out', out)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert 'differs  talon_one/models/cart_item.py' in lines
    assert 'missing  docs/CartItem.md' in lines
    assert 'extra    docs/OldModel.md' in lines
    assert len(lines) == 3
    assert not any('guide.md' in line for line in lines)

    assert _generator('--out', out).returncode == 0
    assert _generator('--check', '--out', out).returncode == 0
    assert not os.path.exists(os.path.join(out, 'docs/OldModel.md'))
    assert os.path.exists(os.path.join(out, 'docs/guide.md'))  # not generated: left alone


def test_output_is_deterministic(loaded_spec, generated):
    assert writer.generate(spec.load(DEFAULT_SPEC)) == generated


# -- shape of the generated files -------------------------------------------------------

def test_every_generated_file_starts_with_the_header_and_stays_small(generated):
    for path, content in generated.items():
        if path.startswith('.openapi-generator/'):
            continue
        header = PY_HEADER if path.endswith('.py') else MD_HEADER
        assert content.split('\n', 1)[0] == header, path
        # The API module carries an @overload per way of calling each of the 43 operations
        # (sync/async, parsed/raw, silent, _with_http_info), read by type checkers only, and a
        # runnable example per operation in its docstring.
        limits = {'talon_one/api/integration_api.py': 43 * 9000,
                  # its asyncio twin: the overloads by silent and _with_http_info only
                  'talon_one/api/async_integration_api.py': 43 * 3000,
                  'docs/IntegrationApi.md': 43 * 3500}
        limit = limits.get(path, 40000)
        assert len(content) < limit, path
        if path.endswith('.py'):
            compile(content, path, 'exec')
            assert max(len(line) for line in content.splitlines()) <= 99, path


def test_one_model_module_per_schema_except_free_form_ones(loaded_spec, generated):
    assert len(loaded_spec.schemas) == 162
    assert set(loaded_spec.free_form) == {'AttributeQuery', 'EffectProps',
                                          'StrikethroughEffectProps'}
    modules = [p for p in generated if p.startswith('talon_one/models/') and
               not p.endswith('__init__.py')]
    # One per schema, plus the modules of 12.0.0's two names that are free here.
    assert len(modules) == 159 + 2
    assert 'talon_one/models/model_return.py' in modules
    assert 'talon_one/models/inline_response2003.py' in modules
    assert 'talon_one/models/inline_response2004.py' in modules


def test_generated_model_signature_is_typed(generated):
    source = generated['talon_one/models/new_customer_session_v2.py']
    assert 'from __future__ import annotations' in source
    assert "        state: Optional[str] = 'open',\n" in source
    assert '        cart_items: Optional[list[CartItem]] = None,\n' in source
    assert ('if TYPE_CHECKING:\n    from talon_one.configuration import Configuration\n'
            in source)
    assert '    from talon_one.models.cart_item import CartItem\n' in source
    api_source = generated['talon_one/api/integration_api.py']
    assert ('        def get_reserved_coupons(\n'
            '                self, integration_id: str, *, async_req: Literal[False] = False,\n'
            '                _preload_content: Literal[True] = True, '
            '**kwargs: Unpack[CallOptions],\n'
            '        ) -> InlineResponse2003: ...\n') in api_source


# -- naming and types ---------------------------------------------------------------------

@pytest.mark.parametrize('api_name, attr', [
    ('customerSession', 'customer_session'), ('catalogItemID', 'catalog_item_id'),
    ('campaignID', 'campaign_id'), ('pageSize', 'page_size'),
    ('integrationIDs', 'integration_i_ds'), ('return', '_return'),
    ('createdIn3rdParty', 'created_in3rd_party'),
])
def test_attribute_names(api_name, attr):
    assert naming.attribute_name(api_name) == attr


@pytest.mark.parametrize('schema_name, cls, module', [
    ('CartItem', 'CartItem', 'cart_item'),
    ('IntegrationStateV2', 'IntegrationStateV2', 'integration_state_v2'),
    ('inline_response_200_1', 'InlineResponse2001', 'inline_response2001'),
    ('inline_response_201', 'InlineResponse201', 'inline_response201'),
    ('Return', 'ModelReturn', 'model_return'),
    ('APIError', 'APIError', 'api_error'),
])
def test_class_and_module_names(schema_name, cls, module):
    assert naming.class_name(schema_name) == cls
    assert naming.module_name(cls) == module


def test_method_names():
    assert naming.method_name('updateCustomerSessionV2') == 'update_customer_session_v2'
    assert naming.constant_name('track_event') == '_TRACK_EVENT'


@pytest.mark.parametrize('schema, expected', [
    ({'type': 'string'}, 'str'),
    ({'type': 'string', 'format': 'date-time'}, 'datetime'),
    ({'type': 'string', 'format': 'date'}, 'date'),
    ({'type': 'integer'}, 'int'),
    ({'type': 'number'}, 'float'),
    ({'type': 'boolean'}, 'bool'),
    ({'type': 'object'}, 'object'),
    ({'type': 'object', 'properties': {}}, 'object'),
    ({'type': 'object', 'additionalProperties': {'$ref': '#/components/schemas/LedgerInfo'}},
     'dict(str, LedgerInfo)'),
    ({'type': 'array', 'items': {'$ref': '#/components/schemas/CartItem'}}, 'list[CartItem]'),
    ({'type': 'array', 'items': {'type': 'object'}}, 'list[object]'),
    ({'$ref': '#/components/schemas/inline_response_200_1'}, 'InlineResponse2001'),
    ({'$ref': '#/components/schemas/inline_response_200_4'}, 'InlineResponse2001'),
    ({'$ref': '#/components/schemas/EffectProps'}, 'object'),
])
def test_type_strings(schema, expected):
    # Names the mapping gives win over the naming rules (free-form schemas, 4.0.0's names).
    names = {'EffectProps': 'object', 'inline_response_200_4': 'InlineResponse2001'}
    assert typestrings.type_string(schema, names) == expected


def test_rules_of_a_schema():
    assert typestrings.rules_of({'type': 'integer', 'minimum': 1, 'maximum': 50,
                                 'exclusiveMaximum': False}) == {'minimum': 1, 'maximum': 50}
    assert typestrings.rules_of({'type': 'array', 'maxItems': 3,
                                 'items': {'type': 'string', 'enum': ['a', 'b']}}) == {
        'enum': ('a', 'b'), 'max_items': 3}


MINI_SPEC = {
    'openapi': '3.0.1',
    'paths': {},
    'components': {'schemas': {
        'Widget': {
            'type': 'object',
            'required': ['name'],
            'properties': {
                'name': {'type': 'string', 'maxLength': 5},
                'kind': {'type': 'string', 'enum': ['a', 'b'], 'default': 'a'},
                'madeAt': {'type': 'string', 'format': 'date-time'},
                'return': {'type': 'integer'},
            },
        },
        'Anything': {'type': 'object'},
    }},
}


def test_a_rendered_model_works(loaded_spec):
    mini = spec.build(MINI_SPEC)
    assert [m.class_name for m in mini.models] == ['Widget']
    source = render_model(mini.models[0])
    namespace = {}
    exec(compile(source, 'widget.py', 'exec'), namespace)
    widget_cls = namespace['Widget']
    assert widget_cls.openapi_types == {'name': 'str', 'kind': 'str', 'made_at': 'datetime',
                                        '_return': 'int'}
    assert widget_cls.attribute_map['_return'] == 'return'
    widget = widget_cls('abc')
    assert widget.kind == 'a'
    assert widget.to_wire() == {'name': 'abc', 'kind': 'a'}
    with pytest.raises(talon_one.ApiValueError, match=r'Widget\.name: must be at most 5'):
        widget.name = 'toolong'


def test_pyfmt_wraps_long_values():
    assert pyfmt.render(pyfmt.Call('f', kwargs=[('a', 1)])) == 'f(a=1)'
    call = pyfmt.Call('talon_one.Thing', kwargs=[('items', ['x' * 40, 'y' * 40, 'z' * 40])])
    assert pyfmt.render(call) == (
        "talon_one.Thing(\n"
        "    items=[\n"
        "        '%s', '%s',\n"
        "        '%s',\n"
        "    ],\n"
        ")" % ('x' * 40, 'y' * 40, 'z' * 40))
    assert pyfmt.render(pyfmt.FrozenSet(['b', 'a'])) == "frozenset({'b', 'a'})"


# -- examples and docs ------------------------------------------------------------------

def test_invalid_example_values_are_dropped(loaded_spec):
    with pytest.raises(examples.Invalid):
        examples.value_source(loaded_spec, 'datetime', '2022-08-02T15:04:05Z07:00', {})
    with pytest.raises(examples.Invalid):
        examples.value_source(loaded_spec, 'object', '{}', {})
    with pytest.raises(examples.Invalid):
        examples.value_source(loaded_spec, 'str', 'c', {'enum': ('a', 'b')})
    source = examples.value_source(loaded_spec, 'datetime', '2022-04-26 11:02:38+00:00', {})
    assert source.text == ('datetime.datetime(2022, 4, 26, 11, 2, 38, '
                           'tzinfo=datetime.timezone.utc)')
    with pytest.raises(examples.Invalid, match='broken date-time'):
        examples.value_source(loaded_spec, 'str', '2022-08-02T15:04:05Z07:00', {})
    session = loaded_spec.model('NewCustomerSessionV2')
    example = dict(examples.request_examples()['NewCustomerSessionV2'],
                   profileId='2022-08-02T15:04:05Z07:00')
    rendered = pyfmt.render(examples.model_source(loaded_spec, session, example))
    assert 'Z07:00' not in rendered and 'profile_id' not in rendered  # optional: dropped
    assert "coupon_codes=['XMAS-20-2021']" in rendered
    entry = loaded_spec.model('CardLedgerTransactionLogEntryIntegrationAPI')
    with pytest.raises(examples.Invalid, match=r'API\.created: not an RFC 3339 date-time'):
        examples.model_source(loaded_spec, entry, None)  # required, so the example fails


def _sections(text):
    parts = re.split(r'^## ', text, flags=re.M)
    return {part.split('\n', 1)[0]: part for part in parts[1:]}


def test_api_reference_has_a_complete_section_per_operation(loaded_spec):
    text = _read('docs/IntegrationApi.md').decode('utf-8')
    sections = _sections(text)
    assert sorted(sections) == sorted(op.method_name for op in loaded_spec.operations)
    for op in loaded_spec.operations:
        section = sections[op.method_name]
        assert '| [%s' % op.method_name in text  # in the table of operations
        assert section.split('\n')[2] == op.summary
        assert '### HTTP request\n\n`%s %s`' % (op.http_method, op.path) in section
        assert '### Parameters' in section and '### Return type' in section
        assert '### HTTP statuses' in section
        for status in op.statuses:
            assert '\n| %d | ' % status in section
        for param in op.params:
            assert '| **%s** |' % param.attr in section
        assert ('https://docs.talon.one/integration-api#operation/%s' % op.operation_id
                in section)
        code = re.findall(r'```python\n(.*?)```', section, flags=re.S)
        assert len(code) == 1
        ast.parse(code[0])
        assert "os.environ['TALON_ONE_HOST']" in code[0]
        assert "os.environ['TALON_ONE_API_KEY']" in code[0]
        assert 'except ApiException as e:' in code[0]
    assert "talon_one.CartItem(\n                    name='Air Glide'," in text
    assert "customer_session_id = '175KJPS947296'" in text
    assert "customer_session_id = 'CLOSED-SESSION-1'" in text
    assert '2022-08-02T15:04:05Z07:00' not in text


def test_model_pages_list_every_property(loaded_spec):
    for model in loaded_spec.models:
        page = _read('docs/%s.md' % model.class_name).decode('utf-8')
        assert page.startswith(MD_HEADER + '\n# %s\n' % model.class_name)
        for prop in model.props:
            assert '| **%s** | `%s` |' % (prop.attr, prop.api_name) in page
    page = _read('docs/NewCustomerSessionV2.md').decode('utf-8')
    assert ("| **state** | `state` | `str` | no | One of `open`, `closed`, "
            "`partially_returned`, `cancelled`. Default `'open'`. The session state you want: "
            "open while the customer shops,") in page


def _route_table():
    routes = []
    for endpoint in vars(integration_api).values():
        if isinstance(endpoint, Endpoint):
            pattern = re.sub(r'\\\{[^}]+\\\}', '[^/]+', re.escape(endpoint.path))
            status = min(endpoint.responses)
            routes.append((endpoint, re.compile(pattern + '$'), status,
                           endpoint.responses[status] is not None))
    return routes


def test_every_example_runs_against_a_local_server(http_server, monkeypatch, capsys):
    """Each example builds a valid request (client-side validation passes) and sends it."""
    routes = _route_table()
    matched = []

    def handler(request):
        for endpoint, pattern, status, has_body in routes:
            if endpoint.method == request.method and pattern.match(request.path):
                matched.append(endpoint.name)
                return Reply(status, {}) if has_body else Reply(status)
        return Reply(404, {'message': 'no route'})

    http_server.handler = handler
    monkeypatch.setenv('TALON_ONE_HOST', http_server.url)
    monkeypatch.setenv('TALON_ONE_API_KEY', 'example-key')
    sections = _sections(_read('docs/IntegrationApi.md').decode('utf-8'))
    assert len(sections) == 43
    for name, section in sorted(sections.items()):
        code = re.search(r'```python\n(.*?)```', section, flags=re.S).group(1)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)  # the deprecated operations
            exec(compile(code, 'example:%s' % name, 'exec'), {'__name__': '__example__'})
        assert matched[-1:] == [name]
        printed = capsys.readouterr().out
        assert 'Exception when calling' not in printed, printed
        assert printed.strip(), name
    assert len(http_server.requests) == 43
    bodies = {request.path: request.json for request in http_server.requests}
    assert bodies['/v1/catalogs/6/sync']['actions'][0]['payload']['sku'] == 'SKU1241028'
    assert bodies['/v2/customer_sessions/175KJPS947296']['customerSession']['couponCodes'] == [
        'XMAS-20-2021']
