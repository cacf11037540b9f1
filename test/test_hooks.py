"""Configuration.hooks: the request, response and retry events, for the sync and the asyncio
client, on real sockets (test/support servers, raw fault servers, the sandbox); no event
carries a secret; a hook that raises is logged and the call goes on."""

import asyncio
import logging

import pytest

import talon_one
from talon_one import ApiTimeoutError, ApiTypeError, ApiValueError, NotFoundException
from talon_one.hooks import RequestEvent, ResponseEvent, RetryEvent

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY
from support.raw_server import RawServer, http_response

CLIENTS = ['sync', 'aio']
STATE = b'{"effects": []}'


def _configuration(url, **settings):
    values = {'host': url, 'api_key': {'Authorization': TEST_API_KEY},
              'retry_backoff_factor': 0.001, 'retry_max_backoff': 0.01, 'timeout': (2.0, 5.0)}
    values.update(settings)
    return talon_one.Configuration(**values)


def run(kind, configuration, name, *args, **kwargs):
    """Call ``name`` through the sync or the asyncio client (a new client, closed after)."""
    if kind == 'sync':
        with talon_one.ApiClient(configuration) as client:
            return getattr(talon_one.IntegrationApi(client), name)(*args, **kwargs)
    pytest.importorskip('aiohttp', reason='talon_one.aio needs aiohttp')
    from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

    async def go():
        async with AsyncIntegrationApi(AsyncApiClient(configuration)) as api:
            return await getattr(api, name)(*args, **kwargs)
    return asyncio.run(go())


class Recorder(object):
    """Every event, in order, as the three hooks of a configuration."""

    def __init__(self):
        self.events = []

    @property
    def hooks(self):
        return {'request': self.events.append, 'response': self.events.append,
                'retry': self.events.append}

    def kinds(self):
        return [type(event).__name__ for event in self.events]


def replying(*responses):
    def behave(conn, server):
        index = 0
        while server.read_request(conn) is not None:
            conn.sendall(responses[min(index, len(responses) - 1)])
            index += 1
    return behave


@pytest.mark.parametrize('kind', CLIENTS)
def test_each_event_of_a_retried_call_in_order(kind):
    recorder = Recorder()
    behave = replying(http_response(503, b'{}', {'Retry-After': '0'}),
                      http_response(200, STATE, {'Content-Type': 'application/json'}))
    with RawServer(behave) as server:
        run(kind, _configuration(server.url, hooks=recorder.hooks), 'get_customer_session', 's1')
    assert recorder.kinds() == ['RequestEvent', 'ResponseEvent', 'RetryEvent', 'RequestEvent',
                                'ResponseEvent']
    first, answer, retry, second, last = recorder.events
    url = server.url + '/v2/customer_sessions/s1'
    assert (first.operation, first.method, first.url, first.attempt) == (
        'get_customer_session', 'GET', url, 1)
    assert first.headers['Accept'] == 'application/json'
    assert (answer.status, answer.attempt, answer.url) == (503, 1, url)
    assert answer.headers['Retry-After'] == '0'
    assert 0 <= answer.elapsed < 5
    assert (retry.reason, retry.attempt, retry.operation) == ('status 503', 1,
                                                              'get_customer_session')
    assert retry.wait == 0
    assert (second.attempt, last.status, last.attempt) == (2, 200, 2)
    assert isinstance(last, ResponseEvent) and isinstance(first, RequestEvent)
    assert isinstance(retry, RetryEvent)


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_timed_out_attempt_gives_a_retry_event_and_no_response(kind, http_server):
    recorder = Recorder()
    http_server.respond(200, {'effects': []}, delay=2.0)
    http_server.respond(200, {'effects': []})
    run(kind, _configuration(http_server.url, hooks=recorder.hooks), 'get_customer_session',
        's1', _request_timeout=0.5)
    assert recorder.kinds() == ['RequestEvent', 'RetryEvent', 'RequestEvent', 'ResponseEvent']
    retry = recorder.events[1]
    assert retry.reason == 'timeout (attempt)'   # (a single number: the attempt's limit)
    assert retry.attempt == 1 and retry.wait >= 0


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_raised_status_ends_with_its_response_event(kind, http_server):
    recorder = Recorder()
    http_server.respond(404, {'message': 'not found'})
    with pytest.raises(NotFoundException):
        run(kind, _configuration(http_server.url, hooks=recorder.hooks),
            'get_customer_session', 'missing')
    assert recorder.kinds() == ['RequestEvent', 'ResponseEvent']
    assert recorder.events[1].status == 404


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_timeout_without_retries_gives_only_the_request_event(kind):
    recorder = Recorder()

    def silent(conn, server):
        server.read_request(conn)
        conn.recv(1)   # until the client gives up

    with RawServer(silent) as server:
        with pytest.raises(ApiTimeoutError):
            run(kind, _configuration(server.url, hooks=recorder.hooks, max_retries=0),
                'get_customer_session', 's1', _request_timeout=0.3)
    assert recorder.kinds() == ['RequestEvent']


SECRET_QUERY = 'query-secret-31d5'
SECRET_HEADER = 'header-secret-98ab'
SECRET_COOKIE = 'cookie-secret-12ef'
SET_COOKIE = 'set-cookie-secret-77aa'


@pytest.mark.parametrize('kind', CLIENTS)
def test_no_event_carries_a_secret(kind, http_server):
    recorder = Recorder()
    http_server.respond(503, {}, headers={'Retry-After': '0', 'Set-Cookie': 'sid=' + SET_COOKIE})
    http_server.respond(200, {'effects': []}, headers={'Set-Cookie': 'sid=' + SET_COOKIE})
    http_server.respond(200, {'effects': []})
    http_server.respond(200, {'effects': []})
    configuration = _configuration(http_server.url, hooks=recorder.hooks,
                                   application_id=TEST_APPLICATION_ID,
                                   application_key=TEST_APPLICATION_KEY)
    if kind == 'sync':
        def calls(api):
            api.get_customer_session('s1')
            api.get_customer_session('s1', _request_auth={
                'in': 'query', 'key': 'key', 'value': SECRET_QUERY, 'type': 'api_key'})
            api.get_customer_session('s1', _request_auth={
                'in': 'header', 'key': 'X-Special-Key', 'value': SECRET_HEADER,
                'type': 'api_key'}, _headers={'Cookie': 'sid=' + SECRET_COOKIE})
        with talon_one.ApiClient(configuration) as client:
            calls(talon_one.IntegrationApi(client))
    else:
        pytest.importorskip('aiohttp', reason='talon_one.aio needs aiohttp')
        from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

        async def go():
            async with AsyncIntegrationApi(AsyncApiClient(configuration)) as api:
                await api.get_customer_session('s1')
                await api.get_customer_session('s1', _request_auth={
                    'in': 'query', 'key': 'key', 'value': SECRET_QUERY, 'type': 'api_key'})
                await api.get_customer_session('s1', _request_auth={
                    'in': 'header', 'key': 'X-Special-Key', 'value': SECRET_HEADER,
                    'type': 'api_key'}, _headers={'Cookie': 'sid=' + SECRET_COOKIE})
        asyncio.run(go())
    # The server did get the secrets; the events never show them.
    sent = repr([(r.raw_path, dict(r.headers)) for r in http_server.requests])
    assert TEST_API_KEY in sent and SECRET_QUERY in sent and SECRET_HEADER in sent
    shown = repr(recorder.events)
    for secret in (TEST_API_KEY, SECRET_QUERY, SECRET_HEADER, SECRET_COOKIE, SET_COOKIE,
                   TEST_APPLICATION_KEY):
        assert secret not in shown
    requests = [e for e in recorder.events if isinstance(e, RequestEvent)]
    assert requests[0].headers['Authorization'] == '********'
    assert '?key=********' in requests[2].url
    assert requests[3].headers['X-Special-Key'] == '********'
    assert requests[3].headers['Cookie'] == '********'
    responses = [e for e in recorder.events if isinstance(e, ResponseEvent)]
    assert responses[0].headers['Set-Cookie'] == '********'


@pytest.mark.parametrize('kind', CLIENTS)
def test_the_signature_is_masked(kind, http_server):
    recorder = Recorder()
    http_server.respond(201, {})
    configuration = _configuration(http_server.url, hooks=recorder.hooks, api_key={},
                                   application_id=TEST_APPLICATION_ID,
                                   application_key=TEST_APPLICATION_KEY)
    run(kind, configuration, 'create_referral',
        talon_one.NewReferral(campaign_id=1, advocate_profile_integration_id='p'))
    sent = http_server.requests[-1].headers
    assert 'signature=' in sent['Content-Signature']
    assert recorder.events[0].headers['Content-Signature'] == '********'
    assert sent['Content-Signature'] not in repr(recorder.events)


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_hook_that_raises_is_logged_and_the_call_goes_on(kind, http_server, caplog):
    def broken(event):
        raise RuntimeError('hook bug')

    http_server.respond(200, {'effects': []})
    configuration = _configuration(http_server.url, hooks={'request': broken,
                                                           'response': broken})
    with caplog.at_level(logging.WARNING, logger='talon_one'):
        state = run(kind, configuration, 'get_customer_session', 's1')
    assert state.effects == []
    messages = [r for r in caplog.records if 'hook' in r.getMessage()]
    assert [r.getMessage().split(' hook ')[0] for r in messages] == [
        'talon_one: the request', 'talon_one: the response']
    assert all(r.exc_info and r.exc_info[0] is RuntimeError for r in messages)


@pytest.mark.parametrize('kind', CLIENTS)
def test_the_sandbox_session_update(kind, talon_sandbox):
    recorder = Recorder()
    configuration = talon_sandbox.configuration(hooks=recorder.hooks)
    request = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
    with talon_sandbox.inject_fault('PUT', '/v2/customer_sessions/*', status=503,
                                    retry_after=0):
        run(kind, configuration, 'update_customer_session_v2', 'obs-1', request)
    assert recorder.kinds() == ['RequestEvent', 'ResponseEvent', 'RetryEvent', 'RequestEvent',
                                'ResponseEvent']
    assert [e.status for e in recorder.events if isinstance(e, ResponseEvent)] == [503, 200]
    assert recorder.events[0].operation == 'update_customer_session_v2'
    assert recorder.events[0].headers['Authorization'] == '********'
    assert talon_sandbox.api_key not in repr(recorder.events)


def test_only_the_hooks_given_are_called(http_server):
    responses = []
    http_server.respond(200, {'effects': []})
    run('sync', _configuration(http_server.url, hooks={'response': responses.append}),
        'get_customer_session', 's1')
    assert [type(e).__name__ for e in responses] == ['ResponseEvent']


def test_events_are_frozen():
    event = RetryEvent('op', 'GET', 'http://x', 'status 503', 0.5, 1)
    with pytest.raises(AttributeError):
        event.wait = 2  # type: ignore[misc]


def test_the_setting_is_checked():
    configuration = talon_one.Configuration()
    assert configuration.hooks is None
    with pytest.raises(ApiValueError, match="unknown hook 'reponse'"):
        configuration.hooks = {'reponse': print}
    with pytest.raises(ApiTypeError, match='must be a function'):
        configuration.hooks = {'response': 'print'}
    with pytest.raises(ApiTypeError, match='must be a dict'):
        configuration.hooks = print
    configuration.hooks = {'retry': print}
    assert configuration.hooks == {'retry': print}
    assert configuration._hook_functions == (None, None, print)
    configuration.hooks = {'retry': None}
    assert configuration._hook_functions is None
    copied = talon_one.Configuration.get_default_copy()
    assert copied.hooks is None
