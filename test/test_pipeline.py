"""One request pipeline: the generated methods and the legacy call_api build the same request,
and every setting of the pipeline does something.

Against the recording HTTP server on 127.0.0.1 (test/support/http_server.py).
"""

import pytest

import talon_one
from talon_one import ApiException, ApiTypeError, ApiValueError, Configuration
from talon_one.models import CartItem

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY


def _session_request():
    session = talon_one.NewCustomerSessionV2(
        profile_id='p-1', coupon_codes=['XMAS'],
        cart_items=[CartItem(name='Shoe', sku='SKU-1', quantity=2, price=49.5)])
    return talon_one.IntegrationRequest(customer_session=session)


def _wire(request):
    """What the server received, headers by lower-case name."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    return request.method, request.raw_path, headers, request.body


# -- one builder ---------------------------------------------------------------------------

@pytest.mark.parametrize('session_id', ['..', '.', 'a/b', 'caf\u00e9 %2F?'])
def test_call_api_and_the_generated_method_send_identical_requests(http_server,
                                                                   make_api_client, session_id):
    client = make_api_client()
    api = talon_one.IntegrationApi(client)
    http_server.respond(200, {'effects': []}, times=2)
    api.update_customer_session_v2(session_id, _session_request(), dry=True)
    client.call_api('/v2/customer_sessions/{customerSessionId}', 'PUT',
                    path_params={'customerSessionId': session_id}, query_params=[('dry', True)],
                    header_params={'Accept': 'application/json'}, body=_session_request(),
                    response_type='IntegrationStateV2', auth_settings=['api_key_v1'],
                    _return_http_data_only=True)
    generated, legacy = http_server.requests
    assert _wire(generated) == _wire(legacy)
    assert generated.raw_path.split('?')[0] != '/v2/customer_sessions/'
    assert '/../' not in generated.raw_path and not generated.raw_path.endswith('/..')


def test_dot_segments_never_collapse_into_another_route(http_server, make_api_client):
    client = make_api_client()
    http_server.respond(200, {}, times=2)
    talon_one.IntegrationApi(client).get_customer_inventory('..')
    client.call_api('/v1/customer_profiles/{id}/inventory', 'GET', {'id': '..'},
                    response_type='CustomerInventory')
    assert [r.path for r in http_server.requests] == ['/v1/customer_profiles/%2E%2E/inventory'] * 2


def test_signed_v1_requests_are_identical_from_both_entry_points(http_server, make_api_client):
    client = make_api_client(application_id=TEST_APPLICATION_ID,
                             application_key=TEST_APPLICATION_KEY)
    http_server.respond(200, {}, times=2)
    event = talon_one.NewEvent(profile_id='p', type='pageView', attributes={}, session_id='s')
    with pytest.warns(DeprecationWarning):
        talon_one.IntegrationApi(client).track_event(event)
    client.call_api('/v1/events', 'POST', header_params={'Accept': 'application/json'},
                    body=event, response_type='IntegrationState',
                    auth_settings=['api_key_v1', 'integration_auth'])
    generated, legacy = http_server.requests
    assert _wire(generated) == _wire(legacy)
    assert generated.header('Content-Signature').startswith('signer=%d; ' % TEST_APPLICATION_ID)


def test_safe_chars_for_path_param_apply_to_generated_methods_too(http_server, make_api_client):
    client = make_api_client()
    client.configuration.safe_chars_for_path_param = '/'
    http_server.respond(200, {}, times=2)
    talon_one.IntegrationApi(client).get_customer_inventory('shop/42')
    client.call_api('/v1/customer_profiles/{id}/inventory', 'GET', {'id': 'shop/42'})
    assert [r.path for r in http_server.requests] == \
        ['/v1/customer_profiles/shop/42/inventory'] * 2


def test_bad_timeouts_fail_before_any_request_with_the_same_message(http_server,
                                                                    make_api_client):
    client = make_api_client()
    api = talon_one.IntegrationApi(client)
    messages = set()
    for call in (lambda: api.get_customer_session('s', _request_timeout=-1),
                 lambda: client.call_api('/v2/x', 'GET', _request_timeout=-1),
                 lambda: client.rest_client.request('GET', http_server.url, _request_timeout=-1)):
        with pytest.raises(ApiValueError) as caught:
            call()
        messages.add(str(caught.value))
    assert messages == {'_request_timeout must be a number of seconds > 0 or a (connect, read) '
                        'tuple of them, got -1'}
    with pytest.raises(ApiValueError, match=r'Configuration\.timeout must be'):
        Configuration(timeout=(1, 'x'))
    assert http_server.requests == []


def test_plain_methods_refuse_return_http_data_only_false(make_api_client, http_server):
    api = talon_one.IntegrationApi(make_api_client())
    with pytest.raises(ApiValueError, match='get_customer_session_with_http_info'):
        api.get_customer_session('s', _return_http_data_only=False)
    http_server.respond(200, {})
    assert api.get_customer_session('s', _return_http_data_only=True) is not None


# -- client-side validation settings --------------------------------------------------------

# (keyword, a model breaking only that rule, the attribute path in the error)
RULE_BREAKS = [
    ('minLength', lambda: CartItem(sku='', quantity=1), 'CartItem.sku'),
    ('minimum', lambda: CartItem(sku='s', quantity=0), 'CartItem.quantity'),
    ('maxLength', lambda: talon_one.NewCustomerSessionV2(coupon_codes=['x' * 101]),
     'NewCustomerSessionV2.coupon_codes'),
    ('maxItems', lambda: talon_one.NewCustomerSessionV2(identifiers=['a'] * 6),
     'NewCustomerSessionV2.identifiers'),
    ('minItems', lambda: talon_one.CatalogSyncRequest(actions=[]), 'CatalogSyncRequest.actions'),
]


@pytest.mark.parametrize('keyword, build, path', RULE_BREAKS)
def test_a_disabled_keyword_is_not_checked(keyword, build, path):
    Configuration.set_default(Configuration())   # a default of this test's own
    with pytest.raises(ApiValueError) as caught:
        build()
    assert str(caught.value).startswith(path)
    Configuration.get_default().disabled_client_side_validations = keyword
    model = build()           # no error on construction...
    model.validate()          # ...nor when the whole model is checked
    others = [k for k, _, _ in RULE_BREAKS if k != keyword]
    Configuration.get_default().disabled_client_side_validations = ','.join(others)
    with pytest.raises(ApiValueError):
        build()


def test_disabled_keywords_apply_to_requests_and_parameters(http_server, make_api_client):
    client = make_api_client(disabled_client_side_validations='minLength,maximum')
    api = talon_one.IntegrationApi(client)
    item = CartItem.from_wire({'sku': '', 'quantity': 1})   # parsed: not checked
    session = talon_one.NewCustomerSessionV2(cart_items=[item])
    http_server.respond(200, {'effects': []})
    api.update_customer_session_v2('s', talon_one.IntegrationRequest(customer_session=session))
    assert http_server.last_request.json['customerSession']['cartItems'][0]['sku'] == ''
    http_server.respond(200, {'data': [], 'hasMore': False})
    api.get_loyalty_card_transactions(1, 'card', page_size=100000)   # maximum 1000: disabled
    assert http_server.last_request.query['pageSize'] == ['100000']
    client.configuration.disabled_client_side_validations = ''
    with pytest.raises(ApiValueError, match='page_size'):
        api.get_loyalty_card_transactions(1, 'card', page_size=100000)
    with pytest.raises(ApiValueError, match=r'cart_items\[0\]\.sku'):
        api.update_customer_session_v2('s', talon_one.IntegrationRequest(customer_session=session))


def test_unknown_keywords_and_the_enum_rule():
    with pytest.raises(ApiValueError) as caught:
        Configuration(disabled_client_side_validations='maxLength,enum')
    assert 'unknown keyword(s) enum' in str(caught.value)
    config = Configuration(disabled_client_side_validations=' maxLength , pattern ')
    assert config.disabled_client_side_validations == 'maxLength,pattern'
    session = talon_one.NewCustomerSessionV2(state='open', local_vars_configuration=config)
    with pytest.raises(ApiValueError, match='must be one of'):   # enum is always checked
        session.state = 'opened'


def test_one_validation_switch(http_server, make_api_client):
    client = make_api_client()
    config = client.configuration
    item = CartItem(sku='s', quantity=1, local_vars_configuration=config)
    client.client_side_validation = False          # the ApiClient attribute is the config's
    assert config.client_side_validation is False
    item.quantity = 0                               # the model follows its configuration
    http_server.respond(200, {'effects': []})
    session = talon_one.NewCustomerSessionV2(cart_items=[item])
    talon_one.IntegrationApi(client).update_customer_session_v2(
        's', talon_one.IntegrationRequest(customer_session=session))
    assert http_server.last_request.json['customerSession']['cartItems'][0]['quantity'] == 0
    config.client_side_validation = True
    assert client.client_side_validation is True
    with pytest.raises(ApiValueError):
        item.quantity = 0


# -- other settings -----------------------------------------------------------------------

class _ServersConfiguration(Configuration):
    """A configuration with a templated server, as a user could define it."""

    def get_host_settings(self):
        return [{'url': 'http://127.0.0.1:{port}', 'description': 'local',
                 'variables': {'port': {'default_value': '1', 'description': 'port'}}}]


def test_server_operation_index_routes_one_operation(http_server):
    config = _ServersConfiguration(
        host='http://127.0.0.1:1', api_key={'Authorization': TEST_API_KEY},
        server_operation_index={'getCustomerSession': 0},
        server_operation_variables={'getCustomerSession': {'port': str(http_server.port)}},
        max_retries=0, timeout=2)
    http_server.respond(200, {})
    with talon_one.ApiClient(config) as client:
        api = talon_one.IntegrationApi(client)
        api.get_customer_session('s')
        assert http_server.last_request.path == '/v2/customer_sessions/s'
        with pytest.raises(talon_one.ApiConnectionError):   # other operations use host
            api.get_customer_inventory('p')
    config.server_operation_index = {'get_customer_session': 5}    # method names work too
    with pytest.raises(ApiValueError, match='invalid index 5'):
        config.host_for_operation('getCustomerSession', 'get_customer_session')


def test_discard_unknown_keys_drops_unknown_response_fields(http_server, make_api_client):
    body = {'effects': [{'effectType': 'x', 'props': {}, 'newField': 1}],
            'customerSession': {'integrationId': 's', 'surprise': True}, 'brandNew': [1]}
    http_server.respond(200, body, times=2)
    kept = talon_one.IntegrationApi(make_api_client()).get_customer_session('s')
    assert kept.extra_fields == {'brandNew': [1]}
    assert kept.effects[0].extra_fields == {'newField': 1}
    state = talon_one.IntegrationApi(
        make_api_client(discard_unknown_keys=True)).update_customer_session_v2(
            's', _session_request())
    assert dict(state.extra_fields) == {}
    assert dict(state.customer_session.extra_fields) == {}
    assert dict(state.effects[0].extra_fields) == {}
    assert 'brandNew' not in state.to_wire()
    assert state.customer_session.integration_id == 's'


# -- official 4.0.0 helpers -----------------------------------------------------------------

def test_update_params_for_auth_has_the_official_signature(make_api_client):
    client = make_api_client()
    headers, queries = {}, []
    client.update_params_for_auth(headers, queries, ['api_key_v1'])
    assert headers == {'Authorization': 'ApiKey-v1 %s' % TEST_API_KEY}
    headers = {}
    client.update_params_for_auth(headers, queries, ['api_key_v1'],
                                  {'in': 'query', 'key': 'token', 'value': 'abc'})
    assert headers == {} and queries == [('token', 'abc')]
    assert repr(queries[0][1]) == '********'


def test_api_exception_takes_headers_from_getheaders():
    class Response(object):
        status = 404
        reason = 'Not Found'
        data = b'{"message": "gone"}'

        def getheaders(self):
            return {'X-Request-Id': 'r-1'}

    error = ApiException(http_resp=Response())
    assert (error.status, error.headers, error.message) == (404, {'X-Request-Id': 'r-1'}, 'gone')


def test_unexpected_keyword_is_refused_by_call_shape(make_api_client):
    api = talon_one.IntegrationApi(make_api_client())
    with pytest.raises(ApiTypeError, match="unexpected keyword argument '_timeout'"):
        api.get_customer_session('s', _timeout=3)


def test_changed_credentials_apply_to_the_next_call(http_server, make_api_client):
    client = make_api_client()
    api = talon_one.IntegrationApi(client)
    http_server.respond(200, {}, times=3)
    api.get_customer_session('s')
    client.configuration.api_key['Authorization'] = 'second-key'
    api.get_customer_session('s')
    client.configuration.api_key_prefix['Authorization'] = 'Bearer'
    api.get_customer_session('s')
    assert [r.header('Authorization') for r in http_server.requests] == [
        'ApiKey-v1 ' + TEST_API_KEY, 'ApiKey-v1 second-key', 'Bearer second-key']


def test_the_refresh_hook_runs_for_every_call(http_server, make_api_client):
    client = make_api_client()
    keys = iter(['k1', 'k2'])
    client.configuration.refresh_api_key_hook = (
        lambda config: config.api_key.__setitem__('Authorization', next(keys)))
    http_server.respond(200, {}, times=2)
    api = talon_one.IntegrationApi(client)
    api.get_customer_session('s')
    api.get_customer_session('s')
    assert [r.header('Authorization') for r in http_server.requests] == [
        'ApiKey-v1 k1', 'ApiKey-v1 k2']
