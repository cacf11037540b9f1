"""Error responses and transport failures become the documented exceptions; no secret leaks."""

import logging
import pickle
import socket

import pytest
import urllib3
from urllib3._collections import HTTPHeaderDict  # public in urllib3 2, not in 1.26

from support import TEST_API_KEY, TEST_APPLICATION_KEY
import talon_one
from talon_one import exceptions as exc
from talon_one import rest

TALON_ERROR = {
    'message': 'Invalid request',
    'errors': [{'title': 'is required', 'details': 'profileId must be set',
                'source': {'pointer': '/customerSession/profileId'}},
               {'title': 'bad value', 'source': {'parameter': 'dry'}}],
    'StatusCode': 400,
}


def test_exception_tree():
    assert issubclass(exc.ApiTypeError, TypeError)
    assert issubclass(exc.ApiValueError, ValueError)
    assert issubclass(exc.ApiAttributeError, AttributeError)
    assert issubclass(exc.ApiKeyError, KeyError)
    for cls in (exc.ApiTypeError, exc.ApiValueError, exc.ApiAttributeError, exc.ApiKeyError,
                exc.ApiException):
        assert issubclass(cls, exc.OpenApiException)
    for cls in (exc.BadRequestException, exc.UnauthorizedException, exc.ForbiddenException,
                exc.NotFoundException, exc.ConflictException, exc.PayloadTooLargeException,
                exc.TooManyRequestsException, exc.ServiceException, exc.ApiConnectionError):
        assert issubclass(cls, exc.ApiException)
    assert issubclass(exc.ApiTimeoutError, exc.ApiConnectionError)
    assert issubclass(exc.ApiSSLError, exc.ApiConnectionError)
    assert rest.ApiException is exc.ApiException
    assert rest.ApiValueError is exc.ApiValueError


@pytest.mark.parametrize('status, cls', [
    (400, exc.BadRequestException), (401, exc.UnauthorizedException),
    (403, exc.ForbiddenException), (404, exc.NotFoundException),
    (409, exc.ConflictException), (413, exc.PayloadTooLargeException),
    (429, exc.TooManyRequestsException), (500, exc.ServiceException),
    (502, exc.ServiceException), (503, exc.ServiceException), (418, exc.ApiException),
    (302, exc.ApiException),
])
def test_subclass_is_chosen_by_status(make_api_client, http_server, status, cls):
    client = make_api_client(max_retries=0)
    http_server.respond(status, {'message': 'm%d' % status})
    with pytest.raises(cls) as caught:
        client.call_api('/v2/events', 'POST', body={})
    assert type(caught.value) is cls
    assert caught.value.status == status


def test_talon_one_error_body_is_parsed(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(400, TALON_ERROR, headers={'X-Request-Id': 'req-1'})
    with pytest.raises(exc.BadRequestException) as caught:
        client.call_api('/v2/customer_sessions/s', 'PUT', body={})
    error = caught.value
    assert str(error) == '(400) Bad Request: Invalid request'
    assert error.status == 400
    assert error.reason == 'Bad Request'
    assert error.message == 'Invalid request'
    assert error.errors == TALON_ERROR['errors']
    assert error.errors[0]['source']['pointer'] == '/customerSession/profileId'
    assert error.error_body == TALON_ERROR
    assert isinstance(error.body, str) and '"StatusCode": 400' in error.body
    assert isinstance(error.headers, HTTPHeaderDict)
    assert error.headers['x-request-id'] == 'req-1'


def test_not_found_message(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(404, {'message': 'Coupon not found', 'errors': [], 'StatusCode': 404})
    with pytest.raises(exc.NotFoundException) as caught:
        client.call_api('/v1/coupon_reservations/{c}', 'GET', {'c': 'XMAS-20-2021'})
    assert str(caught.value) == '(404) Not Found: Coupon not found'
    assert caught.value.errors == []


def test_error_without_message_uses_first_error(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(409, {'errors': [{'title': 'Conflict', 'details': 'already exists'}]})
    with pytest.raises(exc.ConflictException) as caught:
        client.call_api('/v2/audiences', 'POST', body={})
    assert caught.value.message == 'Conflict: already exists'
    assert str(caught.value) == '(409) Conflict: Conflict: already exists'


def test_non_json_error_body_stays_available(make_api_client, http_server):
    client = make_api_client(max_retries=0)
    http_server.respond(500, body='<html>upstream exploded</html>',
                        headers={'Content-Type': 'text/html'})
    with pytest.raises(exc.ServiceException) as caught:
        client.call_api('/x', 'GET')
    error = caught.value
    assert str(error) == '(500) Internal Server Error'
    assert error.body == '<html>upstream exploded</html>'
    assert error.message is None and error.errors == [] and error.error_body is None


def test_direct_construction():
    error = exc.ApiException(status=404, reason='Not Found', body=b'{"message": "gone"}',
                             headers={'a': 'b'})
    assert (error.status, error.message, error.body, error.headers) == (
        404, 'gone', '{"message": "gone"}', {'a': 'b'})
    assert str(error) == '(404) Not Found: gone'
    assert str(exc.ApiException(status=503)) == '(503) Service Unavailable'
    assert str(exc.ApiException()) == '(None) HTTP error'
    assert repr(error) == "ApiException(status=404, reason='Not Found', message='gone')"
    assert exc.exception_for_status(599) is exc.ServiceException


def test_exceptions_survive_pickling(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(404, {'message': 'gone'})
    with pytest.raises(exc.NotFoundException) as caught:
        client.call_api('/x', 'GET')
    clone = pickle.loads(pickle.dumps(caught.value))
    assert type(clone) is exc.NotFoundException
    assert (clone.status, clone.message, str(clone)) == (404, 'gone', '(404) Not Found: gone')
    assert clone.headers['Content-Type'] == 'application/json'


def test_input_errors_name_the_path():
    assert str(exc.ApiValueError('bad', ['body', 'items', 0])) == "bad at ['body']['items'][0]"
    assert str(exc.ApiKeyError('no key')) == 'no key'
    error = exc.ApiTypeError('wrong type', ['x'], valid_classes=(str,), key_type=False)
    assert error.valid_classes == (str,) and error.path_to_item == ['x']


# -- transport failures ------------------------------------------------------------------

def test_connection_refused(make_api_client):
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    client = make_api_client(host='http://127.0.0.1:%d' % port, max_retries=0)
    with pytest.raises(exc.ApiConnectionError) as caught:
        client.call_api('/v2/events', 'POST', body={})
    error = caught.value
    assert type(error) is exc.ApiConnectionError
    assert error.status == 0
    assert isinstance(error.__cause__, urllib3.exceptions.NewConnectionError)
    assert str(error).startswith('(0) Connection error (POST http://127.0.0.1:%d/v2/events)'
                                 % port)
    assert 'refused' in str(error).lower()


def test_timeout(make_api_client, http_server):
    client = make_api_client(max_retries=0)
    http_server.respond(200, {}, delay=5)
    with pytest.raises(exc.ApiTimeoutError) as caught:
        client.call_api('/x', 'GET', _request_timeout=(5, 0.3))
    assert caught.value.limit == 'read'
    assert isinstance(caught.value.__cause__, urllib3.exceptions.HTTPError)
    assert str(caught.value).startswith('(0) Timeout (GET ')


def test_tls_failure(make_api_client, http_server):
    client = make_api_client(host=http_server.url.replace('http://', 'https://'))
    with pytest.raises(exc.ApiSSLError) as caught:
        client.call_api('/x', 'GET')
    assert isinstance(caught.value.__cause__, urllib3.exceptions.SSLError)
    assert str(caught.value).startswith('(0) SSL error (GET https://')


def test_protocol_failure(make_api_client, http_server):
    client = make_api_client(max_retries=0)
    http_server.drop_connection()
    with pytest.raises(exc.ApiConnectionError) as caught:
        client.call_api('/x', 'GET')
    assert isinstance(caught.value.__cause__, urllib3.exceptions.ProtocolError)


# -- secrets -----------------------------------------------------------------------------

def test_no_secret_in_logs_exceptions_or_configuration(make_api_client, http_server,
                                                       retry_sleeps, caplog):
    client = make_api_client(application_id=11, application_key=TEST_APPLICATION_KEY,
                             password='PASSWORD-SECRET')
    client.configuration.debug = True
    raised = []
    with caplog.at_level(logging.DEBUG):
        http_server.respond(429, {'message': 'busy'})
        http_server.respond(401, {'message': 'Invalid API key'})
        http_server.respond(200, {})
        http_server.drop_connection()
        for call in range(3):
            try:
                client.call_api('/v1/events', 'POST', body={'n': call},
                                auth_settings=['api_key_v1', 'integration_auth'])
            except exc.ApiException as error:
                raised.append(error)
        http_server.respond(200, {}, delay=5)
        try:
            client.call_api('/v1/events', 'POST', body={}, _request_timeout=0.3,
                            auth_settings=['api_key_v1', 'integration_auth'])
        except exc.ApiException as error:
            raised.append(error)
    assert [type(e) for e in raised] == [exc.UnauthorizedException, exc.ApiConnectionError,
                                         exc.ApiTimeoutError]
    signatures = [r.headers['Content-Signature'].split('signature=')[1]
                  for r in http_server.requests]
    assert len(signatures) == 5
    assert all(r.headers['Authorization'] == 'ApiKey-v1 ' + TEST_API_KEY
               for r in http_server.requests)
    assert caplog.records, 'debug logging produced no records'
    texts = [caplog.text, repr(client.configuration), str(client.configuration),
             client.configuration.to_debug_report()]
    texts += [str(e) for e in raised] + [repr(e) for e in raised]
    texts += [repr(e.__dict__) for e in raised]
    for text in texts:
        for secret in [TEST_API_KEY, TEST_APPLICATION_KEY, 'PASSWORD-SECRET'] + signatures:
            assert secret not in text


def test_success_body_that_is_not_json_raises_a_response_error(make_api_client, http_server):
    api = talon_one.IntegrationApi(make_api_client())
    cut_short = b'{"customerSession": {"integrationId": "s1"'
    http_server.respond(200, body=cut_short, headers={'Content-Type': 'application/json'})
    with pytest.raises(exc.ApiResponseError) as caught:
        api.get_customer_session('s1')
    error = caught.value
    assert isinstance(error, exc.ApiException)
    assert (error.status, error.body) == (200, cut_short.decode())
    assert str(error) == ('(200) Invalid response body: not JSON: '
                          '\'{"customerSession": {"integrationId": "s1"\'')


def test_text_body_is_still_fine_where_text_is_expected(make_api_client, http_server):
    http_server.respond(200, body=b'plain words', headers={'Content-Type': 'text/plain'})
    assert make_api_client().call_api('/x', 'GET', response_type='str',
                                      _return_http_data_only=True) == 'plain words'


def test_a_transport_error_that_quotes_the_url_shows_it_without_credentials():
    # Both transports word their connection errors through _calls.connection_failure; an
    # error text quoting the URL (urllib3's LocationParseError can) keeps no credentials.
    import types

    from talon_one._calls import connection_failure
    from talon_one._exceptions import ApiConnectionError, ApiTimeoutError
    request = types.SimpleNamespace(method='GET',
                                    url='http://ada:s3cret@h.example/v2/x?key=s3cret',
                                    shown_url='http://h.example/v2/x?key=***')
    cause = ValueError('Failed to parse: http://ada:s3cret@h.example/v2/x?key=s3cret, and '
                       'http://ada:s3cret@h.example/v2/x')
    failure = connection_failure(cause, 'LocationParseError', request, ApiConnectionError, None)
    assert 's3cret' not in str(failure) and 's3cret' not in repr(failure)
    assert 'LocationParseError: Failed to parse: http://h.example/v2/x?key=***' in str(failure)
    assert failure.__cause__ is cause
    timeout = connection_failure(cause, 'ReadTimeoutError', request, ApiTimeoutError, 'read')
    assert isinstance(timeout, ApiTimeoutError) and timeout.limit == 'read'
