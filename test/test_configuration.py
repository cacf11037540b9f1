"""Configuration: defaults, environment, validation, copies, logging settings, masking."""

import copy
import http.client
import logging

import pytest
import urllib3

from support import TEST_API_KEY, TEST_APPLICATION_KEY
from talon_one.api_client import ApiClient
from talon_one.configuration import Configuration
from talon_one.exceptions import ApiSSLError, ApiValueError


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv('TALON_ONE_HOST', raising=False)
    monkeypatch.delenv('TALON_ONE_API_KEY', raising=False)


def test_defaults(no_env):
    config = Configuration()
    assert config.host == 'https://yourbaseurl.talon.one'
    assert config.api_key == {}
    assert config.api_key_prefix == {}
    assert config.timeout == (10.0, 60.0)
    assert config.max_retries == 2
    assert config.verify_ssl is True
    assert config.ssl_ca_cert is None  # certifi's bundle is used when it is None
    assert config.connection_pool_maxsize == 32
    assert config.total_timeout == 60.0 and config.retry_non_idempotent is False
    assert config.order_writes_per_id is True and config.auto_idempotency_keys is True
    assert config.client_side_validation is True
    assert config.retries is None
    assert config.safe_chars_for_path_param == ''
    assert config.debug is False
    assert config.logger_file is None
    assert config.application_id is None and config.application_key is None
    assert config.auth_settings() == {}


def test_official_keyword_arguments_are_accepted(no_env):
    config = Configuration(host='https://example.talon.one/', api_key={'Authorization': 'K'},
                           api_key_prefix={'Authorization': 'ApiKey-v1'}, username='u',
                           password='p', discard_unknown_keys=True,
                           disabled_client_side_validations='maxLength,pattern',
                           server_index=None, server_variables={},
                           server_operation_index={}, server_operation_variables={},
                           ssl_ca_cert='/tmp/ca.pem')
    assert config.host == 'https://example.talon.one'
    assert config.get_api_key_with_prefix('Authorization') == 'ApiKey-v1 K'
    assert config.discard_unknown_keys is True
    assert config.disabled_client_side_validations == 'maxLength,pattern'
    assert config.ssl_ca_cert == '/tmp/ca.pem'


def test_seed_style_key_assignment_reaches_the_wire(no_env, http_server):
    import talon_one
    from talon_one.rest import ApiException

    configuration = talon_one.Configuration(host=http_server.url)
    configuration.api_key['Authorization'] = 'SEED-KEY'
    http_server.respond(200, {})
    with talon_one.ApiClient(configuration) as api_client:
        api_client.call_api('/v2/customer_sessions/{customerSessionId}', 'GET',
                            {'customerSessionId': 's1'}, auth_settings=['api_key_v1'])
    assert http_server.last_request.headers['Authorization'] == 'ApiKey-v1 SEED-KEY'

    configuration = talon_one.Configuration(host=http_server.url,
                                            api_key={'Authorization': 'SEED-KEY-2'})
    http_server.respond(401, {'message': 'Invalid API key'})
    with talon_one.ApiClient(configuration) as api_client:
        with pytest.raises(ApiException) as caught:
            api_client.call_api('/v2/customer_sessions/s1', 'GET', auth_settings=['api_key_v1'])
    assert caught.value.status == 401
    assert http_server.last_request.headers['Authorization'] == 'ApiKey-v1 SEED-KEY-2'


def test_environment_supplies_host_and_key(monkeypatch, http_server):
    monkeypatch.setenv('TALON_ONE_HOST', http_server.url + '/')
    monkeypatch.setenv('TALON_ONE_API_KEY', 'ENV-KEY')
    config = Configuration()
    assert config.host == http_server.url
    assert config.api_key == {'Authorization': 'ENV-KEY'}
    http_server.respond(200, {'ok': True})
    with ApiClient(config) as client:
        data = client.call_api('/v1/events', 'POST', body={'type': 'x'},
                               response_type='object', auth_settings=['api_key_v1'],
                               _return_http_data_only=True)
    assert data == {'ok': True}
    assert http_server.last_request.headers['Authorization'] == 'ApiKey-v1 ENV-KEY'


def test_explicit_arguments_win_over_environment(monkeypatch):
    monkeypatch.setenv('TALON_ONE_HOST', 'https://env.talon.one')
    monkeypatch.setenv('TALON_ONE_API_KEY', 'ENV-KEY')
    config = Configuration(host='https://arg.talon.one', api_key={'Authorization': 'ARG'})
    assert config.host == 'https://arg.talon.one'
    assert config.api_key == {'Authorization': 'ARG'}


def test_trailing_slashes_are_removed_from_host(no_env):
    config = Configuration(host='https://a.talon.one//')
    assert config.host == 'https://a.talon.one'
    config.host = 'http://127.0.0.1:9000/'
    assert config.host == 'http://127.0.0.1:9000'


@pytest.mark.parametrize('bad', ['a.talon.one', 'ftp://a.talon.one', '', 42])
def test_host_must_be_an_http_url(bad):
    with pytest.raises(ApiValueError, match=r'Configuration\.host.*http://'):
        Configuration(host=bad)


@pytest.mark.parametrize('field, value, rule', [
    ('max_retries', -1, 'int >= 0'),
    ('max_retries', 1.5, 'int >= 0'),
    ('max_retries', True, 'int >= 0'),
    ('timeout', 0, 'number of seconds > 0'),
    ('timeout', (1, 2, 3), 'number of seconds > 0'),
    ('timeout', '10', 'number of seconds > 0'),
    ('retry_backoff_factor', -0.1, 'number >= 0'),
    ('retry_max_backoff', 'x', 'number >= 0'),
])
def test_numeric_settings_are_validated_on_assignment(field, value, rule):
    config = Configuration(host='https://a.talon.one')
    with pytest.raises(ApiValueError) as caught:
        setattr(config, field, value)
    assert 'Configuration.%s' % field in str(caught.value)
    assert rule in str(caught.value)


def test_valid_timeouts_are_accepted():
    config = Configuration(host='https://a.talon.one', timeout=5)
    assert config.timeout == 5
    config.timeout = [2, None]
    assert config.timeout == (2, None)
    config.timeout = None
    assert config.timeout is None


def test_application_key_must_be_hex_and_is_never_echoed():
    with pytest.raises(ApiValueError) as caught:
        Configuration(host='https://a.talon.one', application_id=1,
                      application_key='not-hex-SECRETVALUE')
    assert 'Configuration.application_key' in str(caught.value)
    assert 'hex' in str(caught.value)
    assert 'SECRETVALUE' not in str(caught.value)


def test_disabled_client_side_validations_rejects_unknown_keywords():
    config = Configuration(host='https://a.talon.one')
    config.disabled_client_side_validations = 'maximum, minLength'
    assert config.disabled_client_side_validations == 'maximum,minLength'
    with pytest.raises(ApiValueError, match='maxLenght'):
        config.disabled_client_side_validations = 'maxLenght'


@pytest.mark.parametrize('key, prefix, expected', [
    ('RAW', None, 'ApiKey-v1 RAW'),
    ('ApiKey-v1 RAW', None, 'ApiKey-v1 RAW'),
    ('ApiKey-v1 RAW', 'ApiKey-v1', 'ApiKey-v1 RAW'),
    ('RAW', 'ApiKey-v1', 'ApiKey-v1 RAW'),
    ('RAW', 'Bearer', 'Bearer RAW'),
    ('RAW', '', 'RAW'),
])
def test_authorization_prefix_is_added_once(key, prefix, expected):
    config = Configuration(host='https://a.talon.one', api_key={'Authorization': key})
    if prefix is not None:
        config.api_key_prefix['Authorization'] = prefix
    assert config.get_api_key_with_prefix('Authorization') == expected
    assert config.auth_settings()['api_key_v1']['value'] == expected


def test_api_key_lookup_without_key_or_with_alias():
    config = Configuration(host='https://a.talon.one', api_key={'legacy': 'K'})
    assert config.get_api_key_with_prefix('Authorization') is None
    assert config.get_api_key_with_prefix('Authorization', alias='legacy') == 'ApiKey-v1 K'
    config.api_key['Content-Signature'] = 'SIG'
    assert config.get_api_key_with_prefix('Content-Signature') == 'SIG'
    config.api_key_prefix['Content-Signature'] = 'v1'
    assert config.get_api_key_with_prefix('Content-Signature') == 'v1 SIG'


def test_refresh_api_key_hook_runs_before_reading_the_key():
    config = Configuration(host='https://a.talon.one')

    def refresh(conf):
        conf.api_key['Authorization'] = 'FRESH'

    config.refresh_api_key_hook = refresh
    assert config.get_api_key_with_prefix('Authorization') == 'ApiKey-v1 FRESH'


def test_auth_settings_lists_only_configured_schemes():
    config = Configuration(host='https://a.talon.one', api_key={'Authorization': 'K'})
    assert set(config.auth_settings()) == {'api_key_v1'}
    config.application_id = 9
    config.application_key = TEST_APPLICATION_KEY
    integration = config.auth_settings()['integration_auth']
    assert integration['key'] == 'Content-Signature'
    assert integration['signer'] == '9'
    assert TEST_APPLICATION_KEY not in repr(config.auth_settings())


def test_repr_and_debug_report_mask_secrets(no_env):
    config = Configuration(host='https://a.talon.one', api_key={'Authorization': TEST_API_KEY},
                           password='PASSWORD-123', application_id=3,
                           application_key=TEST_APPLICATION_KEY)
    config.api_key['Content-Signature'] = 'HANDMADE-SIGNATURE'
    for text in (repr(config), str(config), config.to_debug_report()):
        assert TEST_API_KEY not in text
        assert TEST_APPLICATION_KEY not in text
        assert 'PASSWORD-123' not in text
        assert 'HANDMADE-SIGNATURE' not in text
    assert "'Authorization': '********'" in repr(config)
    assert 'https://a.talon.one' in repr(config)
    report = config.to_debug_report()
    assert 'SDK Package Version: 4.1.0' in report
    assert "api_key['Authorization']" in report


def test_deepcopy_is_independent_and_keeps_logging(tmp_path):
    config = Configuration(host='https://a.talon.one', api_key={'Authorization': 'K'})
    config.logger_file = str(tmp_path / 'sdk.log')
    config.debug = True
    handlers_before = len(logging.getLogger('talon_one').handlers)
    clone = copy.deepcopy(config)
    assert len(logging.getLogger('talon_one').handlers) == handlers_before
    clone.api_key['Authorization'] = 'OTHER'
    clone.host = 'https://b.talon.one'
    assert config.api_key['Authorization'] == 'K'
    assert config.host == 'https://a.talon.one'
    assert clone.debug is True
    assert clone.logger_file == config.logger_file
    assert clone.timeout == config.timeout


def test_default_configuration_is_shared_and_copied_on_request():
    Configuration._default = None
    first = Configuration.get_default()
    assert Configuration.get_default() is first
    assert Configuration.get_default_copy() is not first

    mine = Configuration(host='https://mine.talon.one', api_key={'Authorization': 'K'})
    Configuration.set_default(mine)
    mine.api_key['Authorization'] = 'CHANGED-LATER'
    default = Configuration.get_default()
    assert default.host == 'https://mine.talon.one'
    assert default.api_key['Authorization'] == 'K'
    copied = Configuration.get_default_copy()
    copied.api_key['Authorization'] = 'X'
    assert Configuration.get_default().api_key['Authorization'] == 'K'


def test_api_client_without_configuration_uses_the_default(http_server):
    Configuration.set_default(Configuration(host=http_server.url,
                                            api_key={'Authorization': 'DEFAULT-KEY'}))
    http_server.respond(200, {'from': 'default'})
    with ApiClient() as client:
        data, status, _ = client.call_api('/v2/audiences', 'GET', response_type='object',
                                          auth_settings=['api_key_v1'])
        assert client.configuration is not Configuration.get_default()
    assert (data, status) == ({'from': 'default'}, 200)
    assert http_server.last_request.headers['Authorization'] == 'ApiKey-v1 DEFAULT-KEY'


def test_debug_sets_package_logger_level_only():
    config = Configuration(host='https://a.talon.one')
    config.debug = True
    assert logging.getLogger('talon_one').level == logging.DEBUG
    assert http.client.HTTPConnection.debuglevel == 0
    config.debug = False
    assert logging.getLogger('talon_one').level == logging.WARNING


def test_logger_file_receives_request_lines_without_secrets(tmp_path, http_server):
    log_path = tmp_path / 'talon.log'
    config = Configuration(host=http_server.url, api_key={'Authorization': TEST_API_KEY},
                           application_id=5, application_key=TEST_APPLICATION_KEY)
    config.logger_file = str(log_path)
    config.debug = True
    http_server.respond(200, {})
    with ApiClient(config) as client:
        client.call_api('/v1/events', 'POST', body={'a': 1},
                        auth_settings=['api_key_v1', 'integration_auth'])
    config.logger_file = None  # closes the handler, flushing the file
    text = log_path.read_text()
    assert 'POST %s/v1/events -> 200' % http_server.url in text
    signature = http_server.last_request.headers['Content-Signature'].split('signature=')[1]
    for secret in (TEST_API_KEY, TEST_APPLICATION_KEY, signature):
        assert secret not in text


def test_host_settings():
    config = Configuration()
    servers = config.get_host_settings()
    assert servers[0]['url'] == 'https://yourbaseurl.talon.one'
    assert config.get_host_from_settings(0) == 'https://yourbaseurl.talon.one'
    with pytest.raises(ApiValueError, match='must be less than 1'):
        config.get_host_from_settings(3)
    templated = [{'url': 'https://{tenant}.{region}.talon.one/',
                  'variables': {'tenant': {'default_value': 'demo'},
                                'region': {'default_value': 'eu',
                                           'enum_values': ['eu', 'us']}}}]
    assert (config.get_host_from_settings(0, {'tenant': 'acme'}, templated)
            == 'https://acme.eu.talon.one')
    with pytest.raises(ApiValueError, match='region'):
        config.get_host_from_settings(0, {'region': 'mars'}, templated)


def test_user_agent_setting_reaches_the_wire(http_server):
    config = Configuration(host=http_server.url, user_agent='my-shop/1.0')
    http_server.respond(204)
    with ApiClient(config) as client:
        client.call_api('/v2/audiences/1', 'DELETE')
    assert http_server.last_request.headers['User-Agent'] == 'my-shop/1.0'


# -- TLS and proxy settings --------------------------------------------------------------

def tls_client(https_server, host=None, **settings):
    config = Configuration(host=host or https_server.url, max_retries=0)
    for name, value in settings.items():
        setattr(config, name, value)
    return ApiClient(config)


def test_tls_is_verified_against_certifi_by_default(https_server):
    https_server.respond(200, {})
    with tls_client(https_server) as client:
        with pytest.raises(ApiSSLError, match='CERTIFICATE_VERIFY_FAILED'):
            client.call_api('/x', 'GET')
    assert https_server.requests == []


def test_ssl_ca_cert_trusts_a_private_certificate(https_server):
    https_server.respond(200, {'secure': True})
    with tls_client(https_server, ssl_ca_cert=https_server.ca_cert_path) as client:
        assert client.call_api('/x', 'GET', response_type='object',
                               _return_http_data_only=True) == {'secure': True}
    assert https_server.last_request.path == '/x'


def test_verify_ssl_false_skips_verification(https_server):
    https_server.respond(200, {'insecure': True})
    with tls_client(https_server, verify_ssl=False) as client:
        with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
            data = client.call_api('/x', 'GET', response_type='object',
                                   _return_http_data_only=True)
    assert data == {'insecure': True}


def test_assert_hostname_is_enforced(https_server):
    localhost_url = 'https://localhost:%d' % https_server.port
    https_server.respond(200, {})
    with tls_client(https_server, host=localhost_url,
                    ssl_ca_cert=https_server.ca_cert_path) as client:
        client.call_api('/ok', 'GET')
    with tls_client(https_server, ssl_ca_cert=https_server.ca_cert_path,
                    assert_hostname='api.example.com') as client:
        with pytest.raises(ApiSSLError):
            client.call_api('/mismatch', 'GET')
    assert [r.path for r in https_server.requests] == ['/ok']


def test_proxy_and_proxy_headers(http_server):
    config = Configuration(host='http://api.example.test', api_key={'Authorization': 'K'})
    config.proxy = http_server.url
    config.proxy_headers = {'Proxy-Authorization': 'Basic cHJveHk6cGFzcw=='}
    http_server.respond(200, {'via': 'proxy'})
    with ApiClient(config) as client:
        data = client.call_api('/v2/audiences', 'GET', response_type='object',
                               auth_settings=['api_key_v1'], _return_http_data_only=True)
    assert data == {'via': 'proxy'}
    request = http_server.last_request
    assert request.raw_path == 'http://api.example.test/v2/audiences'
    assert request.headers['Proxy-Authorization'] == 'Basic cHJveHk6cGFzcw=='
    assert request.headers['Authorization'] == 'ApiKey-v1 K'


def test_connection_pool_maxsize_is_used(http_server):
    config = Configuration(host=http_server.url)
    config.connection_pool_maxsize = 3
    http_server.respond(200, {})
    with ApiClient(config) as client:
        client.call_api('/x', 'GET')
        pool = client.rest_client.pool_manager.connection_from_url(http_server.url)
        assert pool.pool.maxsize == 3


def test_settings_can_be_given_to_the_constructor(tmp_path):
    log_file = tmp_path / 'talon.log'
    config = Configuration(
        host="http://127.0.0.1:9", verify_ssl=False, proxy='http://127.0.0.1:8',
        proxy_headers={'X-Proxy': '1'}, connection_pool_maxsize=3, cert_file='c.pem',
        key_file='k.pem', client_side_validation=False, debug=True, logger_file=str(log_file))
    assert (config.verify_ssl, config.proxy, config.proxy_headers) == (
        False, 'http://127.0.0.1:8', {'X-Proxy': '1'})
    assert (config.connection_pool_maxsize, config.cert_file, config.key_file) == (
        3, 'c.pem', 'k.pem')
    assert config.client_side_validation is False
    assert config.debug is True
    assert logging.getLogger('talon_one').level == logging.DEBUG
    assert config.logger_file == str(log_file)


def test_credentials_in_the_host_never_show():
    config = Configuration(host='http://user:s3cr3t-pass@127.0.0.1:9')
    assert 's3cr3t-pass' not in repr(config)
    assert 's3cr3t-pass' not in config.to_debug_report()
    assert '127.0.0.1:9' in repr(config)


def test_the_parallel_write_settings_are_in_the_readme_and_each_changes_behaviour(http_server):
    """order_writes_per_id and auto_idempotency_keys (issue 20): documented, checked, and
    each one changes what a call does (more in test_parallel_writes.py)."""
    import os

    import talon_one
    from talon_one import _ordering, _writes
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    for name in ('order_writes_per_id', 'auto_idempotency_keys'):
        assert '| `%s` | `True` |' % name in readme
        with pytest.raises(ApiValueError, match=name):
            Configuration(**{name: 1})
    body = talon_one.IntegrationEventV3Request(integration_id='E', type='t', profile_id='p')
    for auto in (True, False):
        http_server.respond(204)
        config = Configuration(host=http_server.url, auto_idempotency_keys=auto)
        talon_one.IntegrationApi(ApiClient(config)).track_event_v3(body)
        assert ('Idempotency-Key' in http_server.requests[-1].headers) is auto
    for ordered in (True, False):
        config = Configuration(host=http_server.url, order_writes_per_id=ordered)
        client = ApiClient(config, pool_threads=2)
        held = _ordering._lanes_of(client).enter((_writes.ADVANCED_EVENT, 'E'))
        http_server.respond(204)
        result = talon_one.IntegrationApi(client).track_event_v3(body, async_req=True)
        result.wait(0.3)
        assert result.ready() is not ordered          # ordered: waits for the earlier call
        held.leave()
        result.get(5)
        client.close()
