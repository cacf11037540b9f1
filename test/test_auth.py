"""Credentials on the wire: api_key_v1 (Authorization) and integration_auth (Content-Signature)."""

import hashlib
import hmac

import pytest

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY
from talon_one import _signing as signing
from talon_one.exceptions import ApiValueError

V1_AUTH = ['api_key_v1', 'integration_auth']


def expected_signature(body):
    return hmac.new(bytes.fromhex(TEST_APPLICATION_KEY), body, hashlib.md5).hexdigest()


@pytest.mark.parametrize('key, prefix, header', [
    ('RAW-KEY', None, 'ApiKey-v1 RAW-KEY'),
    ('ApiKey-v1 RAW-KEY', None, 'ApiKey-v1 RAW-KEY'),
    ('ApiKey-v1 RAW-KEY', 'ApiKey-v1', 'ApiKey-v1 RAW-KEY'),
    ('RAW-KEY', 'ApiKey-v1', 'ApiKey-v1 RAW-KEY'),
    ('RAW-KEY', 'Bearer', 'Bearer RAW-KEY'),
])
def test_authorization_header(make_api_client, http_server, key, prefix, header):
    client = make_api_client(api_key={'Authorization': key})
    if prefix is not None:
        client.configuration.api_key_prefix['Authorization'] = prefix
    http_server.respond(200, {})
    client.call_api('/v2/customer_sessions/abc', 'GET', auth_settings=['api_key_v1'])
    assert http_server.last_request.headers['Authorization'] == header


def test_no_key_sends_no_authorization(make_api_client, http_server):
    client = make_api_client(api_key={})
    http_server.respond(200, {})
    client.call_api('/v2/customer_sessions/abc', 'GET', auth_settings=['api_key_v1'])
    assert 'Authorization' not in http_server.last_request.headers


def test_operations_without_auth_settings_send_no_credentials(make_api_client, http_server):
    client = make_api_client(application_id=TEST_APPLICATION_ID,
                             application_key=TEST_APPLICATION_KEY)
    http_server.respond(200, {})
    client.call_api('/health', 'GET', auth_settings=[])
    headers = http_server.last_request.headers
    assert 'Authorization' not in headers and 'Content-Signature' not in headers


def test_content_signature_signs_exactly_the_bytes_sent(make_api_client, http_server):
    client = make_api_client(application_id=TEST_APPLICATION_ID,
                             application_key=TEST_APPLICATION_KEY)
    http_server.respond(201, {'id': 1})
    body = {'campaignId': 45, 'advocateProfileIntegrationId': 'URNGV8294NV',
            'attributes': {'note': 'café ☕', 'n': 1.5}}
    client.call_api('/v1/referrals', 'POST', header_params={'Content-Type': 'application/json'},
                    body=body, response_type='object', auth_settings=V1_AUTH)
    request = http_server.last_request
    assert request.body == ('{"campaignId":45,"advocateProfileIntegrationId":"URNGV8294NV",'
                            '"attributes":{"note":"café ☕","n":1.5}}').encode('utf-8')
    assert request.headers['Content-Signature'] == 'signer=%d; signature=%s' % (
        TEST_APPLICATION_ID, expected_signature(request.body))
    assert signing.verify(request.headers['Content-Signature'], request.body,
                          TEST_APPLICATION_KEY)
    # api_key_v1 is configured too, so both credentials go out (the server accepts either).
    assert request.headers['Authorization'] == 'ApiKey-v1 ' + TEST_API_KEY


def test_content_signature_of_a_request_without_body(make_api_client, http_server):
    client = make_api_client(api_key={}, application_id='my-app',
                             application_key=TEST_APPLICATION_KEY)
    http_server.respond(200, [])
    client.call_api('/v1/coupon_reservations/customerprofiles/{couponValue}', 'GET',
                    {'couponValue': 'XMAS-20-2021'}, auth_settings=V1_AUTH)
    request = http_server.last_request
    assert request.body == b''
    assert request.headers['Content-Signature'] == (
        'signer=my-app; signature=%s' % expected_signature(b''))
    assert 'Authorization' not in request.headers


def test_bytes_body_is_signed_and_sent_unchanged(make_api_client, http_server):
    client = make_api_client(application_id=1, application_key=TEST_APPLICATION_KEY)
    raw = b'{ "spaced" : true }'
    http_server.respond(200, {})
    client.call_api('/v1/events', 'POST', body=raw,
                    header_params={'Content-Type': 'application/json'}, auth_settings=V1_AUTH)
    request = http_server.last_request
    assert request.body == raw
    assert request.headers['Content-Signature'].endswith(expected_signature(raw))


def test_signature_is_only_sent_to_endpoints_that_accept_it(make_api_client, http_server):
    client = make_api_client(application_id=1, application_key=TEST_APPLICATION_KEY)
    http_server.respond(201, {})
    client.call_api('/v2/audiences', 'POST', body={'name': 'a'}, auth_settings=['api_key_v1'])
    assert 'Content-Signature' not in http_server.last_request.headers


def test_hand_made_content_signature_is_sent_as_given(make_api_client, http_server):
    client = make_api_client(api_key={'Content-Signature': 'signer=1; signature=abc'})
    http_server.respond(200, {})
    client.call_api('/v1/events', 'POST', body={'a': 1}, auth_settings=V1_AUTH)
    assert http_server.last_request.headers['Content-Signature'] == 'signer=1; signature=abc'
    assert 'Authorization' not in http_server.last_request.headers

    client.configuration.api_key_prefix['Content-Signature'] = 'PREFIX'
    http_server.respond(200, {})
    client.call_api('/v1/events', 'POST', body={'a': 1}, auth_settings=V1_AUTH)
    assert (http_server.last_request.headers['Content-Signature']
            == 'PREFIX signer=1; signature=abc')


def test_computed_signature_wins_over_hand_made_one(make_api_client, http_server):
    client = make_api_client(api_key={'Content-Signature': 'stale'}, application_id=2,
                             application_key=TEST_APPLICATION_KEY)
    http_server.respond(200, {})
    client.call_api('/v1/events', 'POST', body={'a': 1}, auth_settings=V1_AUTH)
    request = http_server.last_request
    assert request.headers['Content-Signature'] == (
        'signer=2; signature=%s' % expected_signature(request.body))


def test_request_auth_replaces_configured_credentials(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/v2/customer_sessions/x', 'GET', auth_settings=['api_key_v1'],
                    _request_auth={'type': 'api_key', 'in': 'header', 'key': 'Authorization',
                                   'value': 'ApiKey-v1 OTHER'})
    assert http_server.last_request.headers['Authorization'] == 'ApiKey-v1 OTHER'


def test_update_params_for_auth_supports_query_and_cookie(make_api_client):
    client = make_api_client()
    headers, queries = {}, []
    client.update_params_for_auth(headers, queries, ['x'], request_auth={
        'type': 'api_key', 'in': 'query', 'key': 'token', 'value': 'T'})
    client.update_params_for_auth(headers, queries, ['x'], request_auth={
        'type': 'api_key', 'in': 'cookie', 'key': 'c', 'value': 'session=1'})
    assert queries == [('token', 'T')]
    assert headers == {'Cookie': 'session=1'}
    with pytest.raises(ApiValueError, match="'in' must be"):
        client.update_params_for_auth({}, [], ['x'], request_auth={
            'type': 'api_key', 'in': 'body', 'key': 'k', 'value': 'v'})


def test_signing_helpers():
    body = b'{"a":1}'
    header = signing.content_signature(7, TEST_APPLICATION_KEY, body)
    assert header == 'signer=7; signature=%s' % expected_signature(body)
    assert signing.parse_content_signature(header) == ('7', expected_signature(body))
    assert signing.verify(header, body, TEST_APPLICATION_KEY)
    assert not signing.verify(header, b'{"a":2}', TEST_APPLICATION_KEY)
    assert not signing.verify('garbage', body, TEST_APPLICATION_KEY)
    assert signing.parse_content_signature(None) is None
    with pytest.raises(ApiValueError, match='application_key') as caught:
        signing.sign(body, 'zz-SECRET')
    assert 'zz-SECRET' not in str(caught.value)
