"""OpenTelemetry spans: one per call (``talon_one.<method>``), a CLIENT child per attempt with
the HTTP client conventions' attributes, the Talon.One ids, retries and timeouts; the trace
context in the request headers only when ``propagate_trace_context`` is on. The spans are
read from the OpenTelemetry SDK's in-memory exporter."""

import asyncio
import json
import os
import subprocess
import sys

import pytest

pytest.importorskip('opentelemetry.sdk.trace', reason='needs opentelemetry-api and '
                    'opentelemetry-sdk (pip install opentelemetry-sdk; test-requirements.txt '
                    'has them)')

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter)
from opentelemetry.trace import SpanKind, StatusCode

import talon_one
from talon_one import ApiTimeoutError, NotFoundException

from support import TEST_API_KEY
from support.raw_server import RawServer, http_response
from test_hooks import CLIENTS, STATE, replying, run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def exporter():
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter):
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def _configuration(url, provider, **settings):
    values = {'host': url, 'api_key': {'Authorization': TEST_API_KEY},
              'tracer_provider': provider, 'retry_backoff_factor': 0.001,
              'retry_max_backoff': 0.01, 'timeout': (2.0, 5.0)}
    values.update(settings)
    return talon_one.Configuration(**values)


def _spans(exporter):
    """(the call's span, its attempt spans in order)."""
    spans = exporter.get_finished_spans()
    calls = [s for s in spans if s.kind == SpanKind.INTERNAL]
    assert len(calls) == 1, [s.name for s in spans]
    call = calls[0]
    attempts = sorted((s for s in spans if s.kind == SpanKind.CLIENT),
                      key=lambda s: s.start_time)
    for attempt in attempts:
        assert attempt.parent.span_id == call.context.span_id
        assert attempt.context.trace_id == call.context.trace_id
    return call, attempts


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_session_update_on_the_sandbox(kind, talon_sandbox, exporter, provider):
    configuration = talon_sandbox.configuration(tracer_provider=provider)
    request = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
    run(kind, configuration, 'update_customer_session_v2', 'trace-1', request)
    call, attempts = _spans(exporter)
    assert call.name == 'talon_one.update_customer_session_v2'
    assert call.parent is None
    port = int(talon_sandbox.url.rsplit(':', 1)[1])
    # The call's span names the work; the HTTP attributes are on the attempts' spans.
    assert dict(call.attributes) == {'talon_one.session_id': 'trace-1',
                                     'talon_one.profile_id': 'URNGV8294NV'}
    assert call.status.status_code == StatusCode.UNSET
    [attempt] = attempts
    assert attempt.name == 'PUT'
    assert dict(attempt.attributes) == {
        'http.request.method': 'PUT',
        'url.full': talon_sandbox.url + '/v2/customer_sessions/trace-1',
        'server.address': '127.0.0.1', 'server.port': port,
        'http.response.status_code': 200}
    assert talon_sandbox.api_key not in repr([dict(s.attributes) for s in (call, attempt)])
    # Not propagated unless asked for.
    assert 'traceparent' not in talon_sandbox.requests[-1]['requestHeaders']


@pytest.mark.parametrize('kind', CLIENTS)
def test_each_retry_is_an_attempt_span(kind, exporter, provider):
    behave = replying(http_response(503, b'{}', {'Retry-After': '0'}),
                      http_response(502, b'{}'),
                      http_response(200, STATE, {'Content-Type': 'application/json'}))
    with RawServer(behave) as server:
        run(kind, _configuration(server.url, provider), 'get_customer_inventory', 'URNGV8294NV')
    call, attempts = _spans(exporter)
    assert call.name == 'talon_one.get_customer_inventory'
    assert dict(call.attributes) == {'talon_one.profile_id': 'URNGV8294NV'}
    assert [a.attributes['http.response.status_code'] for a in attempts] == [503, 502, 200]
    assert [a.attributes.get('http.request.resend_count') for a in attempts] == [None, 1, 2]
    assert [a.attributes.get('error.type') for a in attempts] == ['503', '502', None]
    assert [a.status.status_code for a in attempts] == [StatusCode.ERROR, StatusCode.ERROR,
                                                        StatusCode.UNSET]
    assert [e.attributes['talon_one.retry.reason'] for e in call.events] == ['status 503',
                                                                              'status 502']


@pytest.mark.parametrize('kind', CLIENTS)
def test_a_timeout(kind, exporter, provider):
    def silent(conn, server):
        server.read_request(conn)
        conn.recv(1)

    with RawServer(silent) as server:
        with pytest.raises(ApiTimeoutError):
            run(kind, _configuration(server.url, provider, max_retries=1),
                'get_customer_session', 's1', _request_timeout=0.3)
    call, attempts = _spans(exporter)
    assert len(attempts) == 2
    for attempt in attempts:
        assert attempt.attributes['error.type'] == 'ApiTimeoutError'
        assert 'http.response.status_code' not in attempt.attributes
        assert attempt.status.status_code == StatusCode.ERROR
    assert call.attributes['error.type'] == 'ApiTimeoutError'
    assert call.status.status_code == StatusCode.ERROR
    assert [e.name for e in call.events] == ['retry', 'exception']
    assert call.events[0].attributes['talon_one.retry.reason'] == 'timeout (attempt)'


@pytest.mark.parametrize('kind', CLIENTS)
def test_an_error_status_ends_the_call_span_in_error(kind, http_server, exporter, provider):
    http_server.respond(404, {'message': 'no such session'})
    with pytest.raises(NotFoundException):
        run(kind, _configuration(http_server.url, provider), 'get_customer_session', 'gone')
    call, [attempt] = _spans(exporter)
    assert call.attributes['error.type'] == '404'
    assert attempt.attributes['error.type'] == '404'
    assert call.status.status_code == StatusCode.ERROR


@pytest.mark.parametrize('kind', CLIENTS)
def test_url_full_masks_a_query_credential(kind, http_server, exporter, provider):
    http_server.respond(200, {'effects': []})
    run(kind, _configuration(http_server.url, provider), 'get_customer_session', 's1',
        _request_auth={'in': 'query', 'key': 'key', 'value': 'q-secret-5', 'type': 'api_key'})
    _, [attempt] = _spans(exporter)
    assert attempt.attributes['url.full'].endswith('/v2/customer_sessions/s1?key=********')
    assert 'q-secret-5' in http_server.requests[-1].raw_path


@pytest.mark.parametrize('kind', CLIENTS)
def test_trace_context_is_sent_when_asked_for(kind, http_server, exporter, provider):
    http_server.respond(503, {}, headers={'Retry-After': '0'})
    http_server.respond(200, {'effects': []})
    run(kind, _configuration(http_server.url, provider, propagate_trace_context=True),
        'get_customer_session', 's1')
    _, attempts = _spans(exporter)
    sent = [r.headers['traceparent'] for r in http_server.requests]
    assert sent == ['00-%032x-%016x-%02x' % (a.context.trace_id, a.context.span_id,
                                             a.context.trace_flags) for a in attempts]


@pytest.mark.parametrize('kind', CLIENTS)
def test_propagation_without_tracing_sends_the_callers_context(kind, http_server, provider,
                                                               exporter):
    http_server.respond(200, {'effects': []})
    tracer = provider.get_tracer('shop')
    with tracer.start_as_current_span('checkout') as checkout:
        run(kind, _configuration(http_server.url, None, tracing=False,
                                 propagate_trace_context=True),
            'get_customer_session', 's1')
    context = checkout.get_span_context()
    assert http_server.requests[-1].headers['traceparent'] == '00-%032x-%016x-%02x' % (
        context.trace_id, context.span_id, context.trace_flags)
    assert [s.name for s in exporter.get_finished_spans()] == ['checkout']


@pytest.mark.parametrize('kind', CLIENTS)
def test_the_call_span_is_a_child_of_the_callers(kind, http_server, provider, exporter):
    http_server.respond(200, {'effects': []})
    with provider.get_tracer('shop').start_as_current_span('checkout') as checkout:
        run(kind, _configuration(http_server.url, provider), 'get_customer_session', 's1')
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert spans['talon_one.get_customer_session'].parent.span_id == \
        checkout.get_span_context().span_id


def test_tracing_false_makes_no_span(http_server, provider, exporter):
    http_server.respond(200, {'effects': []})
    run('sync', _configuration(http_server.url, provider, tracing=False),
        'get_customer_session', 's1')
    assert exporter.get_finished_spans() == ()


def test_call_api_and_raw_requests_are_traced_too(http_server, provider, exporter):
    http_server.respond(200, {'effects': []})
    with talon_one.ApiClient(_configuration(http_server.url, provider)) as client:
        client.rest_client.request('GET', http_server.url + '/v2/customer_sessions/s1')
    call, [attempt] = _spans(exporter)
    assert call.name == 'talon_one.request'
    assert attempt.attributes['http.response.status_code'] == 200


def test_the_settings_are_checked():
    configuration = talon_one.Configuration()
    assert (configuration.tracing, configuration.tracer_provider,
            configuration.propagate_trace_context) == (None, None, False)
    with pytest.raises(talon_one.ApiValueError):
        configuration.tracing = 'yes'
    with pytest.raises(talon_one.ApiTypeError):
        configuration.tracer_provider = object()
    with pytest.raises(talon_one.ApiValueError):
        configuration.propagate_trace_context = 1
    provider = TracerProvider()
    configuration.tracer_provider = provider
    assert talon_one.Configuration.get_default_copy().tracer_provider is None
    configuration.set_default(configuration)
    assert talon_one.Configuration.get_default_copy().tracer_provider is provider


_GLOBAL = r'''
import json, sys
import talon_one
from talon_one.sandbox import Sandbox

def call(sandbox, **settings):
    api = talon_one.IntegrationApi(talon_one.ApiClient(sandbox.configuration(**settings)))
    api.get_customer_session('175KJPS947296')

with Sandbox() as sandbox:
    call(sandbox)                               # no provider: nothing imports opentelemetry
    before = 'opentelemetry' in sys.modules
    call(sandbox, tracing=True)                 # on, but no provider yet: nothing recorded
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    call(sandbox)                               # opentelemetry imported, still no provider
    trace.set_tracer_provider(provider)
    call(sandbox)                               # the global provider: on by default
    call(sandbox, tracing=False)                # off
print(json.dumps([before, [s.name for s in exporter.get_finished_spans()]]))
'''


def test_the_global_provider_turns_tracing_on():
    result = subprocess.run([sys.executable, '-c', _GLOBAL], cwd=ROOT, capture_output=True,
                            text=True, check=True, env=dict(os.environ, PYTHONPATH=ROOT))
    before, names = json.loads(result.stdout)
    assert before is False
    assert names == ['GET', 'talon_one.get_customer_session']


def test_the_async_call_span_parent_is_the_tasks_current_span(http_server, provider,
                                                              exporter):
    pytest.importorskip('aiohttp', reason='talon_one.aio needs aiohttp')
    from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

    http_server.respond(200, {'effects': []})
    http_server.respond(200, {'effects': []})
    tracer = provider.get_tracer('shop')

    async def one(api, name):
        with tracer.start_as_current_span(name):
            await api.get_customer_session('s1')

    async def go():
        async with AsyncIntegrationApi(AsyncApiClient(
                _configuration(http_server.url, provider))) as api:
            await asyncio.gather(one(api, 'a'), one(api, 'b'))
    asyncio.run(go())
    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans}
    parents = sorted(by_id[s.parent.span_id].name for s in spans
                     if s.name == 'talon_one.get_customer_session')
    assert parents == ['a', 'b']
    assert trace.get_current_span() is trace.INVALID_SPAN


@pytest.mark.parametrize('body', [
    {'profileId': 'from-a-dict', 'type': 'pageView'},
    'model'])
def test_the_profile_of_an_event_body(body, http_server, provider, exporter):
    if body == 'model':
        body = talon_one.IntegrationEventV2Request(profile_id='from-a-model', type='pageView')
        expected = 'from-a-model'
    else:
        expected = 'from-a-dict'
    http_server.respond(200, {'effects': []})
    run('sync', _configuration(http_server.url, provider), 'track_event_v2', body)
    call, _ = _spans(exporter)
    assert dict(call.attributes) == {'talon_one.profile_id': expected}


def test_an_async_req_call_is_a_child_of_the_callers_span(http_server, provider, exporter):
    http_server.respond(200, {'effects': []})
    with talon_one.ApiClient(_configuration(http_server.url, provider)) as client:
        api = talon_one.IntegrationApi(client)
        with provider.get_tracer('shop').start_as_current_span('checkout') as checkout:
            result = api.get_customer_session('s1', async_req=True)
        assert result.get(timeout=10).effects == []
    spans = {s.name: s for s in exporter.get_finished_spans()}
    assert spans['talon_one.get_customer_session'].parent.span_id == \
        checkout.get_span_context().span_id


def test_a_call_the_sampler_drops_makes_no_span_and_propagates_its_context(http_server,
                                                                           exporter):
    from opentelemetry.sdk.trace.sampling import ALWAYS_OFF

    provider = TracerProvider(sampler=ALWAYS_OFF)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    http_server.respond(200, {'effects': []})
    run('sync', _configuration(http_server.url, provider, propagate_trace_context=True),
        'get_customer_session', 's1')
    assert exporter.get_finished_spans() == ()
    assert int(http_server.requests[-1].headers['traceparent'][-2:], 16) & 1 == 0  # unsampled
