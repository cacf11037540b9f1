"""Requests and responses on the wire: URL, headers, body bytes, deserialization, timeouts,
retries and logging, against the real test server."""

import datetime
import logging
import threading

import pytest
import urllib3
from urllib3._collections import HTTPHeaderDict  # public in urllib3 2, not in 1.26

from support import TEST_API_KEY, Reply
from talon_one.api_client import ApiClient
from talon_one.exceptions import (
    ApiConnectionError, ApiException, ApiTimeoutError, ApiTypeError, ApiValueError,
    ServiceException, TooManyRequestsException,
)
from talon_one.model_base import NULL, Model
from talon_one import _redact
from talon_one._retry import RetryPolicy, parse_retry_after


class Pet(Model):
    """A tiny model to check that request bodies use ``to_wire()``."""

    openapi_types = {'pet_name': 'str', 'born': 'datetime', 'nickname': 'str'}
    attribute_map = {'pet_name': 'petName', 'born': 'born', 'nickname': 'nickname'}

    def __init__(self, pet_name=None, born=None, nickname=None, local_vars_configuration=None):
        super().__init__(local_vars_configuration)
        self.pet_name = pet_name
        self.born = born
        self.nickname = nickname


# -- request line, headers and body ----------------------------------------------------

def test_path_params_are_percent_encoded(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/v1/loyalty_programs/{programId}/cards/{cardId}/balances', 'GET',
                    {'programId': 324, 'cardId': 'summer card/0543?é'})
    assert http_server.last_request.path == (
        '/v1/loyalty_programs/324/cards/summer%20card%2F0543%3F%C3%A9/balances')


class _CountingSocket(object):
    """A connected socket that records each write (everything else is the socket's)."""

    def __init__(self, sock):
        self._sock = sock
        self.writes = []

    def sendall(self, data, *flags):
        self.writes.append(bytes(data))
        return self._sock.sendall(data, *flags)

    def __getattr__(self, name):
        return getattr(self._sock, name)


@pytest.fixture
def counted_writes(monkeypatch):
    """The writes of every connection the SDK opens from now on, one list per connection."""
    from talon_one import _connections
    connections = []
    connect = _connections.WatchedHTTPConnection.connect

    def counting_connect(self):
        connect(self)
        self.sock = _CountingSocket(self.sock)
        connections.append(self.sock.writes)

    monkeypatch.setattr(_connections.WatchedHTTPConnection, 'connect', counting_connect)
    return connections


def test_a_small_body_goes_out_with_its_head_in_one_write(make_api_client, http_server,
                                                          counted_writes):
    client = make_api_client()
    http_server.respond(200, {}, times=3)
    client.call_api('/v2/events', 'POST', body={'type': 'small', 'attributes': {'n': 1}})
    client.call_api('/v2/events', 'GET')
    big = 'x' * (70 * 1024)     # over the one-write limit: head and body are written apart
    client.call_api('/v2/events', 'POST', body={'type': big})
    (writes,) = counted_writes
    assert len(writes) == 4
    small, get, big_head, big_body = writes
    assert small.startswith(b'POST /v2/events HTTP/1.1\r\n')
    assert small.endswith(b'\r\n\r\n{"type":"small","attributes":{"n":1}}')
    assert get.startswith(b'GET /v2/events HTTP/1.1\r\n') and get.endswith(b'\r\n\r\n')
    assert big_head.endswith(b'\r\n\r\n') and big_body.startswith(b'{"type":"xxx')
    assert http_server.requests[0].json == {'type': 'small', 'attributes': {'n': 1}}
    assert http_server.requests[2].json == {'type': big}


def test_query_values_are_rendered_for_the_api(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    end = datetime.datetime(2023, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)
    client.call_api('/v1/customer_profiles/{integrationId}/inventory', 'GET',
                    {'integrationId': 'URNGV8294NV'},
                    [('profile', True), ('coupons', False), ('endDate', end),
                     ('naive', datetime.datetime(2023, 5, 1, 8, 0)), ('skip', 20),
                     ('unset', None), ('ids', [1, 2])])
    request = http_server.last_request
    assert request.path == '/v1/customer_profiles/URNGV8294NV/inventory'
    assert request.query_list == [
        ('profile', 'true'), ('coupons', 'false'), ('endDate', '2023-05-01T12:30:00+00:00'),
        ('naive', '2023-05-01T08:00:00+00:00'), ('skip', '20'), ('ids', '1'), ('ids', '2')]


def test_collection_formats(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/x', 'GET', query_params={'csv': ['a', 'b'], 'pipes': [1, 2]},
                    collection_formats={'csv': 'csv', 'pipes': 'pipes'})
    assert http_server.last_request.query == {'csv': ['a,b'], 'pipes': ['1|2']}


def test_headers_as_given_plus_default_user_agent(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/v2/events', 'POST',
                    header_params={'Accept': 'application/json',
                                   'Content-Type': 'application/json', 'X-Trace': 7},
                    body={'type': 'click'})
    headers = http_server.last_request.headers
    assert headers['Accept'] == 'application/json'
    assert headers['Content-Type'] == 'application/json'
    assert headers['X-Trace'] == '7'
    assert headers['User-Agent'] == 'talon_one-python/4.1.0'


def test_json_content_type_is_added_for_a_body(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/v2/events', 'POST', body={'type': 'click'})
    assert http_server.last_request.headers['Content-Type'] == 'application/json'


def test_user_agent_and_default_headers_can_be_overridden(make_api_client, http_server):
    client = make_api_client()
    client.user_agent = 'shop/2'
    client.set_default_header('X-Tenant', 'eu')
    assert client.default_headers['User-Agent'] == 'shop/2'
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    assert http_server.last_request.headers['User-Agent'] == 'shop/2'
    assert http_server.last_request.headers['X-Tenant'] == 'eu'
    http_server.respond(200, {})
    client.call_api('/x', 'GET', header_params={'User-Agent': 'per-call/1'})
    assert http_server.last_request.headers['User-Agent'] == 'per-call/1'


def test_constructor_header_and_cookie(http_server):
    from talon_one.configuration import Configuration
    config = Configuration(host=http_server.url)
    with ApiClient(config, header_name='X-Extra', header_value='1', cookie='c=2') as client:
        http_server.respond(200, {})
        client.call_api('/x', 'GET')
    assert http_server.last_request.headers['X-Extra'] == '1'
    assert http_server.last_request.headers['Cookie'] == 'c=2'


def test_body_is_compact_utf8_json(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    born = datetime.datetime(2020, 1, 2, 3, 4, 5)
    client.call_api('/x', 'PUT', body={'pets': [Pet('Rex', born, NULL)], 'when':
                                       datetime.date(2021, 3, 4), 'name': 'Zoë', 'none': None})
    assert http_server.last_request.body == (
        '{"pets":[{"petName":"Rex","born":"2020-01-02T03:04:05+00:00","nickname":null}],'
        '"when":"2021-03-04","name":"Zoë","none":null}').encode('utf-8')


def test_no_body_sends_nothing(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(204)
    client.call_api('/v2/audiences/{audienceId}', 'DELETE', {'audienceId': 748})
    request = http_server.last_request
    assert (request.method, request.path, request.body) == ('DELETE', '/v2/audiences/748', b'')
    assert 'Content-Type' not in request.headers


def test_unserializable_body_fails_before_sending(make_api_client, http_server):
    client = make_api_client()
    with pytest.raises(ApiTypeError, match='cannot serialize a value of type object'):
        client.call_api('/x', 'POST', body={'a': object()})
    with pytest.raises(ApiValueError, match='JSON'):
        client.call_api('/x', 'POST', body={'a': float('nan')})
    assert http_server.requests == []


def test_sanitize_for_serialization(make_api_client):
    client = make_api_client()
    aware = datetime.datetime(2021, 1, 1, 10, 0,
                              tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert client.sanitize_for_serialization(
        {'a': (1, NULL), 'b': [aware], 'c': Pet(pet_name='x')}) == {
        'a': (1, None), 'b': ['2021-01-01T10:00:00+02:00'], 'c': {'petName': 'x'}}


def test_host_override_per_call(make_api_client, http_server):
    client = make_api_client(host='http://127.0.0.1:9')  # nothing listens there
    http_server.respond(200, {'ok': 1})
    data = client.call_api('/x', 'GET', response_type='object', _host=http_server.url + '/',
                           _return_http_data_only=True)
    assert data == {'ok': 1}


def test_request_method_goes_through_rest_client(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {'a': 1})
    response = client.request('POST', http_server.url + '/raw', query_params=[('q', '1')],
                              headers={'Content-Type': 'application/json'}, body={'b': 2})
    assert response.status == 200 and response.data == b'{"a": 1}'
    assert response.getheader('content-type') == 'application/json'
    assert http_server.last_request.raw_path == '/raw?q=1'
    assert http_server.last_request.json == {'b': 2}
    with pytest.raises(ApiValueError, match='http method must be one of'):
        client.request('FETCH', http_server.url)


# -- responses ---------------------------------------------------------------------------

@pytest.mark.parametrize('response_type, payload, expected', [
    ('object', {'a': [1, {'b': None}]}, {'a': [1, {'b': None}]}),
    ('str', 'hello', 'hello'),
    ('dict(str, int)', {'x': 1, 'y': 2}, {'x': 1, 'y': 2}),
    ('list[datetime]', ['2021-03-04T05:06:07Z'],
     [datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)]),
])
def test_response_types(make_api_client, http_server, response_type, payload, expected):
    client = make_api_client()
    http_server.respond(200, payload)
    data, status, headers = client.call_api('/x', 'GET', response_type=response_type)
    assert data == expected
    assert status == 200
    assert isinstance(headers, HTTPHeaderDict)
    assert headers['Content-Type'] == 'application/json'


def test_response_type_map_is_picked_by_status(make_api_client, http_server):
    client = make_api_client()
    types = {200: 'object', 201: 'dict(str, str)', 204: None}
    http_server.respond(201, {'code': 'NT2K54D9'})
    assert client.call_api('/x', 'POST', body={}, response_type=types,
                           _return_http_data_only=True) == {'code': 'NT2K54D9'}
    http_server.respond(204)
    data, status, _ = client.call_api('/x', 'POST', body={}, response_types_map=types)
    assert (data, status) == (None, 204)
    http_server.respond(202, {'unexpected': True})
    assert client.call_api('/x', 'POST', body={}, response_type=types,
                           _return_http_data_only=True) is None


def test_non_json_body_is_returned_as_text(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, body='plain text, not JSON',
                        headers={'Content-Type': 'text/plain; charset=utf-8'})
    assert client.call_api('/x', 'GET', response_type='str',
                           _return_http_data_only=True) == 'plain text, not JSON'


def test_empty_body_gives_none(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, body=b'')
    assert client.call_api('/x', 'GET', response_type='object',
                           _return_http_data_only=True) is None


def test_preload_content_false_returns_the_raw_response(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {'big': 'payload'})
    response = client.call_api('/x', 'GET', response_type='object', _preload_content=False)
    assert isinstance(response, urllib3.response.HTTPResponse)
    assert response.status == 200
    assert response.read() == b'{"big": "payload"}'
    response.release_conn()


def test_preload_content_false_still_raises_for_errors(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(404, {'message': 'no such card'})
    with pytest.raises(ApiException) as caught:
        client.call_api('/x', 'GET', _preload_content=False)
    assert caught.value.status == 404 and caught.value.message == 'no such card'


def test_deserialize_accepts_a_response_object(make_api_client):
    client = make_api_client()

    class Fake(object):
        status = 200
        data = b'{"a": "2021-03-04"}'
        headers = {'Content-Type': 'application/json'}

    assert client.deserialize(Fake(), 'dict(str, date)') == {'a': datetime.date(2021, 3, 4)}
    assert client.deserialize(Fake(), {201: 'object'}) is None


def test_last_response_is_per_thread(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {'main': True})
    client.call_api('/main', 'GET')
    seen = []
    thread = threading.Thread(target=lambda: seen.append(client.last_response))
    thread.start()
    thread.join()
    assert seen == [None]
    assert client.last_response.data == b'{"main": true}'


# -- timeouts ----------------------------------------------------------------------------

def test_request_timeout_number(make_api_client, http_server):
    client = make_api_client(max_retries=0)
    http_server.respond(200, {}, delay=5)
    with pytest.raises(ApiTimeoutError) as caught:
        client.call_api('/slow', 'GET', _request_timeout=0.3)
    assert caught.value.limit == 'attempt'
    assert isinstance(caught.value.__cause__, urllib3.exceptions.HTTPError)
    assert caught.value.status == 0


def test_request_timeout_pair_and_configuration_default(make_api_client, http_server):
    client = make_api_client(max_retries=0, timeout=(5.0, 0.3))
    http_server.respond(200, {}, delay=5)
    with pytest.raises(ApiTimeoutError):
        client.call_api('/slow', 'POST', body={})
    http_server.respond(200, {'fast': True}, delay=0.5)
    assert client.call_api('/slow', 'GET', response_type='object', _request_timeout=(5, 10),
                           _return_http_data_only=True) == {'fast': True}


@pytest.mark.parametrize('bad', [0, -1, 'ten', (1, 2, 3), (1, 'x')])
def test_bad_request_timeout_fails_before_sending(make_api_client, http_server, bad):
    client = make_api_client()
    with pytest.raises(ApiValueError, match='_request_timeout'):
        client.call_api('/x', 'GET', _request_timeout=bad)
    assert http_server.requests == []


# -- retries -----------------------------------------------------------------------------

@pytest.mark.parametrize('method, status', [
    ('GET', 503), ('POST', 429), ('GET', 429), ('GET', 502), ('PUT', 504), ('DELETE', 502),
    ('PUT', 503),
])
def test_retryable_statuses_are_retried(make_api_client, http_server, retry_sleeps,
                                        method, status):
    client = make_api_client()
    http_server.respond(status, {'message': 'busy'})
    http_server.respond(200, {'ok': True})
    data = client.call_api('/x', method, body={} if method != 'GET' else None,
                           response_type='object', _return_http_data_only=True)
    assert data == {'ok': True}
    assert len(http_server.requests) == 2
    assert len(retry_sleeps) == 1


@pytest.mark.parametrize('status', [502, 503, 504])
def test_gateway_errors_are_not_retried_for_post(make_api_client, http_server, retry_sleeps,
                                                 status):
    client = make_api_client()
    http_server.respond(status, {'message': 'gateway'})
    http_server.respond(200, {})
    with pytest.raises(ServiceException) as caught:
        client.call_api('/v2/events', 'POST', body={})
    assert caught.value.status == status
    assert len(http_server.requests) == 1 and retry_sleeps == []


@pytest.mark.parametrize('status', [400, 401, 404, 409, 500])
def test_other_errors_are_not_retried(make_api_client, http_server, retry_sleeps, status):
    client = make_api_client()
    http_server.respond(status, {'message': 'no'})
    with pytest.raises(ApiException):
        client.call_api('/x', 'GET')
    assert len(http_server.requests) == 1


def test_retries_stop_after_max_retries(make_api_client, http_server, retry_sleeps):
    client = make_api_client(max_retries=3)
    http_server.respond(429, {'message': 'slow down'}, times=5)
    with pytest.raises(TooManyRequestsException) as caught:
        client.call_api('/x', 'GET')
    assert caught.value.message == 'slow down'
    assert len(http_server.requests) == 4
    assert len(retry_sleeps) == 3


def test_max_retries_zero_disables_retrying(make_api_client, http_server, retry_sleeps):
    client = make_api_client(max_retries=0)
    http_server.respond(503, {}, times=2)
    with pytest.raises(ServiceException):
        client.call_api('/x', 'GET')
    assert len(http_server.requests) == 1 and retry_sleeps == []


def test_retry_after_seconds_is_honoured_and_capped(make_api_client, http_server,
                                                    retry_sleeps):
    client = make_api_client(retry_max_backoff=10.0)
    http_server.respond(503, {}, headers={'Retry-After': '3'})
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    assert retry_sleeps == [3.0]
    # More than the cap: no waiting at all, the caller gets the wait the server asked for.
    http_server.respond(429, {'message': 'slow down'}, headers={'Retry-After': '7200'})
    with pytest.raises(TooManyRequestsException) as caught:
        client.call_api('/x', 'GET')
    assert caught.value.retry_after == 7200.0 and retry_sleeps == [3.0]
    assert len(http_server.requests) == 3


def test_retry_after_http_date(make_api_client, http_server, retry_sleeps):
    client = make_api_client(retry_max_backoff=120.0)
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60)
    http_server.respond(503, {}, headers={
        'Retry-After': when.strftime('%a, %d %b %Y %H:%M:%S GMT')})
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    assert len(retry_sleeps) == 1
    assert 30.0 < retry_sleeps[0] <= 61.0


def test_backoff_is_jittered_and_capped(make_api_client, http_server, retry_sleeps):
    client = make_api_client(max_retries=4, retry_backoff_factor=0.5, retry_max_backoff=1.5)
    http_server.respond(503, {}, times=4)
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    ceilings = [0.5, 1.0, 1.5, 1.5]
    assert len(retry_sleeps) == 4
    assert all(0.0 <= wait <= ceiling for wait, ceiling in zip(retry_sleeps, ceilings))


def test_retry_policy_arithmetic():
    policy = RetryPolicy(max_retries=5, backoff_factor=0.25, max_backoff=2.0, rng=lambda: 1.0)
    assert [policy.delay(n) for n in range(5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert RetryPolicy(backoff_factor=1.0, rng=lambda: 0.5).delay(2) == 2.0
    assert policy.delay(0, retry_after=1.5) == 1.5
    assert policy.delay(0, retry_after=None) == 0.25
    assert parse_retry_after('-5') == 0.0
    assert parse_retry_after('') is None
    past = 'Wed, 21 Oct 2015 07:28:00 GMT'
    assert parse_retry_after(past) == 0.0
    assert policy.retries_status('POST', 429, 0) and not policy.retries_status('POST', 503, 0)
    assert policy.retries_status('PUT', 503, 0) and not policy.retries_status('POST', 502, 0)
    assert RetryPolicy(retry_non_idempotent=True).retries_status('POST', 503, 0)
    assert not policy.retries_status('GET', 503, 5)
    assert policy.retries_error('POST', 'connect', 0)
    assert not policy.retries_error('POST', 'read', 0)
    assert policy.retries_error('GET', 'read', 0)
    assert not policy.retries_error('GET', None, 0)


def test_dropped_connection_is_retried_for_get(make_api_client, http_server, retry_sleeps):
    client = make_api_client()
    http_server.drop_connection()
    http_server.respond(200, {'second': 'try'})
    assert client.call_api('/x', 'GET', response_type='object',
                           _return_http_data_only=True) == {'second': 'try'}
    assert len(http_server.requests) == 2


def test_dropped_connection_is_not_retried_for_post(make_api_client, http_server,
                                                    retry_sleeps):
    client = make_api_client()
    http_server.drop_connection()
    http_server.respond(200, {})
    with pytest.raises(ApiConnectionError) as caught:
        client.call_api('/v2/events', 'POST', body={'type': 'x'})
    assert isinstance(caught.value.__cause__, urllib3.exceptions.ProtocolError)
    assert len(http_server.requests) == 1 and retry_sleeps == []


def test_read_timeout_is_retried_for_get(make_api_client, http_server, retry_sleeps):
    client = make_api_client(timeout=(5.0, 0.3))
    http_server.respond(200, {'late': True}, delay=5)
    http_server.respond(200, {'on': 'time'})
    assert client.call_api('/x', 'GET', response_type='object',
                           _return_http_data_only=True) == {'on': 'time'}
    assert len(retry_sleeps) == 1


def test_connection_refused_is_retried_for_any_method(make_api_client, retry_sleeps,
                                                      closed_port):
    client = make_api_client(host='http://127.0.0.1:%d' % closed_port)
    with pytest.raises(ApiConnectionError) as caught:
        client.call_api('/v2/events', 'POST', body={'type': 'x'})
    assert not isinstance(caught.value, ApiTimeoutError)
    assert isinstance(caught.value.__cause__, urllib3.exceptions.NewConnectionError)
    assert len(retry_sleeps) == 2


def test_urllib3_retries_passthrough_replaces_builtin_policy(make_api_client, http_server,
                                                             retry_sleeps):
    client = make_api_client()
    client.configuration.retries = urllib3.util.Retry(total=2, status_forcelist=[500],
                                                      backoff_factor=0, allowed_methods=None)
    http_server.respond(500, {})
    http_server.respond(200, {'via': 'urllib3'})
    assert client.call_api('/x', 'POST', body={}, response_type='object',
                           _return_http_data_only=True) == {'via': 'urllib3'}
    assert len(http_server.requests) == 2
    assert retry_sleeps == []
    http_server.respond(503, {})
    with pytest.raises(ServiceException):  # the built-in policy is off
        client.call_api('/x', 'GET')


def test_exhausted_urllib3_retries_raise_the_status_exception_with_its_body(make_api_client,
                                                                            http_server):
    client = make_api_client()
    client.configuration.retries = urllib3.util.Retry(total=1, status_forcelist=[503],
                                                      backoff_factor=0, allowed_methods=None)
    for _ in range(2):
        http_server.respond(503, {'message': 'maintenance'})
    with pytest.raises(ServiceException) as caught:
        client.call_api('/x', 'POST', body={})
    assert caught.value.status == 503
    assert caught.value.message == 'maintenance'
    assert len(http_server.requests) == 2


# -- logging -----------------------------------------------------------------------------

def test_one_debug_line_per_request_and_retries_logged(make_api_client, http_server,
                                                       retry_sleeps, caplog):
    client = make_api_client()
    http_server.respond(503, {})
    http_server.respond(200, {})
    with caplog.at_level(logging.DEBUG, logger='talon_one'):
        client.call_api('/v2/customer_sessions/{id}', 'PUT', {'id': 's1'}, [('dry', True)],
                        body={})
    records = [r for r in caplog.records if r.name == 'talon_one']
    debug_lines = [r.getMessage() for r in records if r.levelno == logging.DEBUG]
    url = '%s/v2/customer_sessions/s1?dry=true' % http_server.url
    assert len(debug_lines) == 2
    assert debug_lines[0].startswith('PUT %s -> 503 (' % url)
    assert debug_lines[1].startswith('PUT %s -> 200 (' % url)
    assert debug_lines[1].endswith(' ms)')
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert 'Retrying PUT %s after status 503 (retry 1 of 2' % url in warnings[0]


def test_log_lines_hide_credentials_in_host(make_api_client, http_server, caplog):
    userinfo_url = http_server.url.replace('http://', 'http://user:hunter2@')
    client = make_api_client(host=userinfo_url)
    http_server.respond(200, {})
    with caplog.at_level(logging.DEBUG, logger='talon_one'):
        client.call_api('/x', 'GET')
    assert 'hunter2' not in caplog.text
    assert 'GET %s/x -> 200' % http_server.url in caplog.text
    assert _redact.safe_url('https://a:b@h.io/p?q=1') == 'https://h.io/p?q=1'


# -- sharing one client ------------------------------------------------------------------

def test_one_client_shared_by_many_threads(make_api_client, http_server):
    client = make_api_client()
    http_server.handler = lambda request: Reply(200, {'path': request.path})
    results, errors = {}, []

    def worker(n):
        try:
            for i in range(5):
                path = '/t%d/r%d' % (n, i)
                results[path] = client.call_api(path, 'GET', response_type='object',
                                                _return_http_data_only=True)
        except Exception as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(results) == 40
    assert all(data == {'path': path} for path, data in results.items())


@pytest.fixture
def closed_port():
    import socket
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


# -- generated models --------------------------------------------------------------------

AUDIENCE_JSON = {'accountId': 3, 'id': 748, 'created': '2023-04-28T10:11:12.5Z',
                 'name': 'VIP', 'sandbox': False, 'integrationId': 'seg-1',
                 'createdIn3rdParty': True, 'futureField': {'x': 1}}


def test_response_deserializes_into_a_generated_model(make_api_client, http_server):
    from talon_one.models import Audience
    client = make_api_client()
    http_server.respond(200, AUDIENCE_JSON)
    audience, status, _ = client.call_api('/v2/audiences/{audienceId}', 'PUT',
                                          {'audienceId': 748}, body={'name': 'VIP'},
                                          response_type={200: 'Audience', 404: None})
    assert status == 200
    assert isinstance(audience, Audience)
    assert (audience.account_id, audience.id, audience.name) == (3, 748, 'VIP')
    assert audience.created == datetime.datetime(2023, 4, 28, 10, 11, 12, 500000,
                                                 tzinfo=datetime.timezone.utc)
    assert audience.created_in3rd_party is True
    assert audience.extra_fields == {'futureField': {'x': 1}}


def test_list_of_models_and_model_class_as_response_type(make_api_client, http_server):
    from talon_one.models import Audience
    client = make_api_client()
    http_server.respond(200, [AUDIENCE_JSON, dict(AUDIENCE_JSON, id=749)])
    audiences = client.call_api('/x', 'GET', response_type='list[Audience]',
                                _return_http_data_only=True)
    assert [a.id for a in audiences] == [748, 749]
    assert all(isinstance(a, Audience) for a in audiences)

    http_server.respond(200, AUDIENCE_JSON)
    audience = client.call_api('/x', 'GET', response_type=Audience,
                               _return_http_data_only=True)
    assert isinstance(audience, Audience) and audience.id == 748


def test_generated_model_body_round_trips_on_the_wire(make_api_client, http_server):
    import talon_one
    client = make_api_client()
    api = talon_one.IntegrationApi(client)
    http_server.respond(201, AUDIENCE_JSON)
    created = api.create_audience_v2(talon_one.NewAudience(name='VIP', integration_id='seg-1'))
    request = http_server.last_request
    assert (request.method, request.path) == ('POST', '/v2/audiences')
    assert request.json == {'name': 'VIP', 'integrationId': 'seg-1'}
    assert request.headers['Authorization'] == 'ApiKey-v1 ' + TEST_API_KEY
    assert isinstance(created, talon_one.Audience) and created.id == 748


# -- forms and files -----------------------------------------------------------------------

def test_form_fields_are_url_encoded_and_signed(make_api_client, http_server):
    from support import TEST_APPLICATION_KEY
    from talon_one import _signing as signing
    client = make_api_client(application_id=4, application_key=TEST_APPLICATION_KEY)
    http_server.respond(200, {})
    client.call_api('/form', 'POST', post_params={'a': 'x y', 'flag': True},
                    auth_settings=['integration_auth'])
    request = http_server.last_request
    assert request.headers['Content-Type'] == 'application/x-www-form-urlencoded'
    assert request.body == b'a=x+y&flag=true'
    assert signing.verify(request.headers['Content-Signature'], request.body,
                          TEST_APPLICATION_KEY)


def test_multipart_files(make_api_client, http_server, tmp_path):
    upload = tmp_path / 'catalog.csv'
    upload.write_bytes(b'sku,price\nA,1\n')
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/upload', 'POST', header_params={'Content-Type': 'multipart/form-data'},
                    post_params={'note': 'hi'}, files={'file': str(upload), 'skip': None})
    request = http_server.last_request
    assert request.headers['Content-Type'].startswith('multipart/form-data; boundary=')
    assert b'name="note"\r\n\r\nhi\r\n' in request.body
    assert b'filename="catalog.csv"' in request.body
    assert b'Content-Type: text/csv\r\n\r\nsku,price\nA,1\n' in request.body


def test_file_response_is_saved(make_api_client, http_server, tmp_path):
    client = make_api_client()
    client.configuration.temp_folder_path = str(tmp_path)
    http_server.respond(200, body=b'\x00binary\xff',
                        headers={'Content-Disposition': 'attachment; filename="export.bin"'})
    path = client.call_api('/export', 'GET', response_type='file', _return_http_data_only=True)
    assert path == str(tmp_path / 'export.bin')
    assert (tmp_path / 'export.bin').read_bytes() == b'\x00binary\xff'


def test_header_helpers(make_api_client):
    client = make_api_client()
    assert client.select_header_accept(['text/plain', 'Application/JSON']) == 'application/json'
    assert client.select_header_accept(['text/plain', 'text/csv']) == 'text/plain, text/csv'
    assert client.select_header_accept([]) is None
    assert client.select_header_content_type([]) == 'application/json'
    assert client.select_header_content_type(['*/*']) == 'application/json'
    assert client.select_header_content_type(['text/csv']) == 'text/csv'
    assert client.parameters_to_tuples({'a': [1, 2], 'b': 3}, {'a': 'ssv'}) == [
        ('a', '1 2'), ('b', 3)]
