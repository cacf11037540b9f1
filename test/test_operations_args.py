"""IntegrationApi argument handling (talon_one/operations.py).

The first part needs no server: the client points at the closed port 127.0.0.1:9, so
an error other than ApiConnectionError proves the call was refused before any I/O.
The second part checks the requests a local HTTP server receives.
"""

import ast
import datetime
import inspect
import re
import warnings

import pytest

import talon_one
from talon_one import ApiConnectionError, ApiTypeError, ApiValueError
from talon_one.api import integration_api
from talon_one._operations import Endpoint

from support import Reply, require_shared

CLOSED = 'http://127.0.0.1:9'


@pytest.fixture
def api():
    configuration = talon_one.Configuration(host=CLOSED, api_key={'Authorization': 'secret-key'})
    configuration.max_retries = 0
    with talon_one.ApiClient(configuration) as client:
        yield talon_one.IntegrationApi(client)


def _session_request(quantity=1):
    item = talon_one.CartItem(name='Air Glide', sku='SKU1', quantity=1)
    item.__dict__['quantity'] = quantity  # bypass the set-time check
    return talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='P1', cart_items=[item]))


# -- the generated surface ------------------------------------------------------------

SEED_SIGNATURES = {
    'create_coupon_reservation': ['coupon_value', 'body'],
    'get_customer_inventory': ['integration_id'],
    'get_loyalty_card_transactions': ['loyalty_program_id', 'loyalty_card_id'],
    'get_reserved_coupons': ['integration_id'],
    'link_loyalty_card_to_profile': ['loyalty_program_id', 'loyalty_card_id', 'body'],
    'update_customer_profile_v2': ['integration_id', 'body'],
    'update_customer_session_v2': ['customer_session_id', 'body'],
    'update_customer_session': ['customer_session_id', 'body'],
}


def test_every_operation_has_an_http_info_twin():
    endpoints = [value for value in vars(integration_api).values() if isinstance(value, Endpoint)]
    assert len(endpoints) == 43
    for endpoint in endpoints:
        assert callable(getattr(talon_one.IntegrationApi, endpoint.name))
        assert callable(getattr(talon_one.IntegrationApi, endpoint.name + '_with_http_info'))
    for name, positional in SEED_SIGNATURES.items():
        parameters = inspect.signature(getattr(talon_one.IntegrationApi, name)).parameters
        kinds = {p.name: p.kind for p in parameters.values()}
        leading = [p.name for p in parameters.values()
                   if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
        assert leading == ['self'] + positional
        # Optional parameters are typed keyword-only arguments; the rest go through **kwargs.
        endpoint = getattr(integration_api, '_' + name.upper())
        assert all(kinds[attr] is inspect.Parameter.KEYWORD_ONLY for attr in endpoint.keywords)
        assert kinds['kwargs'] is inspect.Parameter.VAR_KEYWORD


SEED_LINE = re.compile(r'^> (?:(\w+) )?(\w+)\((.*)\)$', re.M)


def _seed_signatures(name):
    with open(require_shared('seeds', name), encoding='utf-8') as handle:
        return SEED_LINE.findall(handle.read())


def test_every_seed_call_shape_is_kept():
    """Method names, positional and keyword parameters and return types of the official SDK."""
    seen = set()
    for returns, name, args in (_seed_signatures('IntegrationApi-v4.0.0.md')
                                + _seed_signatures('IntegrationApi-v2.3.0.md')):
        endpoint = getattr(integration_api, '_' + name.upper())
        positional = [arg for arg in args.split(', ') if arg and '=' not in arg]
        keywords = [arg.split('=')[0] for arg in args.split(', ') if '=' in arg]
        assert [p.attr for p in endpoint.positional] == positional, name
        assert keywords == list(endpoint.keywords)[:len(keywords)], name
        if name != 'get_reserved_coupons':  # 2.3.0 called the schema InlineResponse2001
            found = sorted(filter(None, endpoint.responses.values()))
            assert len(found) == (1 if returns else 0), name
            # 2026 returns a subclass of what the seeds document for some (generator/compat.py).
            if returns:
                assert issubclass(getattr(talon_one, found[0]), getattr(talon_one, returns)), name
        seen.add(name)
    assert len(seen) == 30


def default_return_type(method):
    """Return annotation of the first @overload of ``IntegrationApi.<method>``."""
    tree = ast.parse(inspect.getsource(integration_api))
    api_class = next(node for node in tree.body
                     if isinstance(node, ast.ClassDef) and node.name == 'IntegrationApi')
    for block in api_class.body:
        if isinstance(block, ast.If):  # if TYPE_CHECKING: the overloads
            for node in block.body:
                if isinstance(node, ast.FunctionDef) and node.name == method:
                    return ast.unparse(node.returns)
    raise AssertionError('no @overload of %s' % method)


def test_optional_parameters_and_return_types_follow_the_seeds():
    keywords = {
        'get_customer_inventory': ['profile', 'referrals', 'coupons', 'loyalty', 'giveaways',
                                   'achievements'],
        'update_customer_profile_v2': ['run_rule_engine', 'dry'],
        'get_loyalty_program_profile_transactions': ['subledger_id', 'start_date', 'end_date',
                                                     'page_size', 'skip',
                                                     'customer_session_i_ds',
                                                     'transaction_uui_ds',
                                                     'loyalty_transaction_type',
                                                     'awaits_activation'],
        'track_event_v2': ['silent', 'dry', 'force_complete_evaluation'],
    }
    for name, expected in keywords.items():
        endpoint = getattr(integration_api, '_' + name.upper())
        assert list(endpoint.keywords) == expected
    assert integration_api._GET_RESERVED_COUPONS.responses == {200: 'InlineResponse2003'}
    assert integration_api._DELETE_AUDIENCE_V2.responses == {204: None}
    # The first @overload of each method is the plain call's signature (what type checkers use).
    assert default_return_type('get_reserved_coupons') == 'InlineResponse2003'
    assert default_return_type('delete_audience_v2') == 'None'
    # silent='no'; a subclass of 4.0.0's IntegrationStateV2
    assert default_return_type('track_event_v2') == 'IntegrationEventV2Response'
    assert default_return_type('get_customer_session') == 'IntegrationCustomerSessionResponse'
    assert integration_api._UPDATE_CUSTOMER_SESSION.auth == ('api_key_v1', 'integration_auth')
    assert integration_api._UPDATE_CUSTOMER_SESSION_V2.auth == ('api_key_v1',)


# -- refused before any I/O -----------------------------------------------------------

def test_unknown_keyword_argument(api):
    with pytest.raises(ApiTypeError) as error:
        api.get_customer_inventory('URNGV8294NV', profil=True)
    # The official SDK's words, then the nearest keywords the method takes.
    assert str(error.value) == ("Got an unexpected keyword argument 'profil' to method "
                                "get_customer_inventory; did you mean 'profile'?")
    with pytest.raises(ApiTypeError) as error:
        api.update_customer_session_v2('S1', _session_request(), dryrun=True)
    assert str(error.value).endswith("; did you mean 'dry'?")
    with pytest.raises(ApiTypeError) as error:
        api.get_customer_inventory('URNGV8294NV', zzz=True)
    assert str(error.value) == ("Got an unexpected keyword argument 'zzz' to method "
                                "get_customer_inventory")
    with pytest.raises(ApiTypeError, match="'dry'"):
        api.get_customer_session_with_http_info('S1', dry=True)


@pytest.mark.parametrize('call, missing, method', [
    (lambda api: api.update_customer_session_v2('S1', None), 'body', 'update_customer_session_v2'),
    (lambda api: api.update_customer_session_v2(None, _session_request()), 'customer_session_id',
     'update_customer_session_v2'),
    (lambda api: api.get_loyalty_balances_with_http_info(125, None), 'integration_id',
     'get_loyalty_balances'),
])
def test_missing_required_parameter(api, call, missing, method):
    with pytest.raises(ApiValueError) as error:
        call(api)
    assert str(error.value) == 'Missing the required parameter `%s` when calling `%s`' % (
        missing, method)


@pytest.mark.parametrize('call, message', [
    (lambda api: api.get_loyalty_card_transactions(324, 'card', page_size=1001),
     'Invalid value for parameter `page_size` when calling `get_loyalty_card_transactions`: '
     'must be <= 1000, got 1001'),
    (lambda api: api.get_loyalty_program_profile_transactions(125, 'P', page_size=0),
     'Invalid value for parameter `page_size` when calling '
     '`get_loyalty_program_profile_transactions`: must be >= 1, got 0'),
    (lambda api: api.get_loyalty_card_balances(324, 'x' * 109),
     'Invalid value for parameter `loyalty_card_id` when calling `get_loyalty_card_balances`: '
     'must be at most 108 characters long'),
    (lambda api: api.update_customer_session_v2('S1', _session_request(quantity=0)),
     'IntegrationRequest.customer_session.cart_items[0].quantity: must be >= 1, got 0'),
    (lambda api: api.update_customer_session_v2('S1', talon_one.IntegrationRequest()),
     'IntegrationRequest.customer_session: is required, got None'),
    (lambda api: api.create_coupon_reservation('XMAS', talon_one.CouponReservations()),
     'CouponReservations.integration_i_ds: is required, got None'),
])
def test_validation_errors_before_io(api, call, message):
    with pytest.raises(ApiValueError) as error:
        call(api)
    assert message in str(error.value)


def test_wrong_body_type(api):
    with pytest.raises(ApiTypeError, match='expected IntegrationRequest, got NewCustomerSession'):
        api.update_customer_session_v2('S1', talon_one.NewCustomerSessionV2())
    with pytest.raises(ApiTypeError, match=r'expected NewAudience \(or a dict\), got str'):
        api.create_audience_v2('{"name": "x"}')


def test_without_client_side_validation_the_request_is_attempted(api):
    api.api_client.configuration.client_side_validation = False
    with pytest.raises(ApiConnectionError):
        api.get_loyalty_card_transactions(324, 'card', page_size=1001)
    with pytest.raises(ApiConnectionError):
        api.update_customer_session_v2('S1', talon_one.IntegrationRequest())
    with pytest.raises(ApiValueError, match='Missing the required parameter'):
        api.update_customer_session_v2('S1', None)  # never sent without its body


def test_deprecated_operations_warn_at_the_callers_line(api):
    for call in (lambda: api.update_customer_session('S1', talon_one.NewCustomerSession()),
                 lambda: api.track_event_with_http_info(talon_one.NewEvent(
                     type='t', attributes={}, session_id='S1'))):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            with pytest.raises(ApiConnectionError):
                call()
        deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert len(deprecations) == 1
        assert 'is deprecated' in str(deprecations[0].message)
        assert deprecations[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        with pytest.raises(ApiConnectionError):
            api.update_customer_session_v2('S1', _session_request())


def test_default_api_client_is_created():
    assert isinstance(talon_one.IntegrationApi().api_client, talon_one.ApiClient)


# -- what reaches the server -----------------------------------------------------------

def test_path_query_and_headers(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.respond(200, {'integrationId': 'a/b c', 'extra': 1})
    inventory = api.get_customer_inventory('a/b c?', profile=True, coupons=False)
    request = http_server.last_request
    assert request.method == 'GET'
    assert request.path == '/v1/customer_profiles/a%2Fb%20c%3F/inventory'
    assert request.query_list == [('profile', 'true'), ('coupons', 'false')]
    assert request.header('Accept') == 'application/json'
    assert request.header('Content-Type') is None
    assert isinstance(inventory, talon_one.CustomerInventory)

    http_server.respond(200, {})
    api.get_loyalty_card_transactions(
        324, 'card-1', start_date=datetime.datetime(2021, 1, 2, 3, 4, 5),
        end_date='2021-02-01T00:00:00Z', page_size=10)
    assert http_server.last_request.query_list == [
        ('startDate', '2021-01-02T03:04:05+00:00'), ('endDate', '2021-02-01T00:00:00Z'),
        ('pageSize', '10')]


def test_body_status_and_http_info(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.respond(200, {'customerSession': {'integrationId': 'S1', 'state': 'open'}},
                        headers={'X-Trace': 'abc'})
    data, status, headers = api.update_customer_session_v2_with_http_info(
        'S1', _session_request(), dry=True)
    request = http_server.last_request
    assert (request.method, request.path, request.query_list) == (
        'PUT', '/v2/customer_sessions/S1', [('dry', 'true')])
    assert request.header('Content-Type') == 'application/json'
    assert request.json == {'customerSession': {
        'profileId': 'P1', 'state': 'open',
        'cartItems': [{'name': 'Air Glide', 'sku': 'SKU1', 'quantity': 1}]}}
    assert status == 200 and headers['X-Trace'] == 'abc'
    assert isinstance(data, talon_one.IntegrationStateV2)
    assert data.customer_session.integration_id == 'S1'


def test_no_content_returns_none_and_defaults_are_not_sent(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.respond(204)
    assert api.delete_audience_v2(748) is None
    assert (http_server.last_request.method, http_server.last_request.path) == (
        'DELETE', '/v2/audiences/748')
    http_server.respond(204)
    body = talon_one.NewReferralsForMultipleAdvocates(
        usage_limit=1, campaign_id=45, advocate_profile_integration_ids=['A'])
    result = api.create_referrals_for_multiple_advocates(body)
    assert result is None
    assert http_server.last_request.query_list == []  # silent='yes' is the server's default


def test_request_options_reach_the_client(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.handler = lambda request: Reply(201, {'id': 7, 'name': 'n'})
    audience = api.create_audience_v2({'name': 'n'}, _headers={'X-Extra': '1'},
                                      _request_timeout=5)
    assert audience.id == 7
    assert http_server.last_request.header('X-Extra') == '1'
    assert http_server.last_request.json == {'name': 'n'}
    raw = api.create_audience_v2(talon_one.NewAudience(name='n'), _preload_content=False)
    assert raw.status == 201
    assert b'"id": 7' in raw.data
    raw.release_conn()
    pending = api.create_audience_v2(talon_one.NewAudience(name='n'), async_req=True)
    assert pending.get(timeout=10).id == 7
