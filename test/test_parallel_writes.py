"""Parallel writes (issue 20): per-id lanes, Idempotency-Key, 409 of parallel requests.

Unit tests of the table (``talon_one._writes.WRITES``), the lanes (``talon_one._ordering``),
the key option and the 409 classification; then, against the sandbox over real HTTP, for the
sync client and the asyncio client: one row of the table at a time, many threads / tasks on
one session, every injected fault kind as the README's retry table says, a return whose
answer is lost after the work was done, a duplicate advanced event, and total_timeout bounding
a call that waits for its turn. The sandbox answers requests one at a time, so it never sees
an overlap by itself: ``delay`` faults (it serves other connections while an answer waits)
make overlap visible in its request log, and ``status=409`` faults stand for the "busy" 409.
"""

import asyncio
import datetime
import logging
import threading
import time
import warnings

import pytest

import talon_one
from talon_one import _ordering, _writes
from talon_one._exceptions import ApiException, ConflictException
from talon_one.api.integration_api import IntegrationApi
from talon_one.sandbox import Sandbox

from support.aio import make_sync_view, require_aiohttp

SESSIONS = '/v2/customer_sessions/*'
FAST = dict(retry_backoff_factor=0.01, retry_max_backoff=0.05)
SLACK = 0.3


def _wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out waiting')
        time.sleep(0.005)


def _arrivals(entries):
    """Arrival times (seconds) of log entries (the log keeps milliseconds)."""
    return [datetime.datetime.strptime(e['time'], '%Y-%m-%dT%H:%M:%S.%fZ').timestamp()
            for e in entries]


def _session_request(quantity, profile='PW-PROFILE'):
    return talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        profile_id=profile, cart_items=[talon_one.CartItem(
            name='Socks', sku='SKU-PW', quantity=quantity, price=1.0)]))


def _quantity(entry):
    return entry['requestBody']['customerSession']['cartItems'][0]['quantity']


def _advanced_event(integration_id):
    return talon_one.IntegrationEventV3Request(integration_id=integration_id,
                                               type='orderShipped', profile_id='URNGV8294NV')


def _return_request():
    return talon_one.ReturnIntegrationRequest(_return=talon_one.NewReturn(
        returned_cart_items=[talon_one.ReturnedCartItem(position=2, quantity=1)]))


# -- the table -------------------------------------------------------------------------------

# operationId -> (method name, args, kwargs, the lane key the call gets)
ROWS = {
    'updateCustomerSessionV2': ('update_customer_session_v2', ('S-1', _session_request(1)), {},
                                (_writes.SESSION, 'S-1')),
    'updateCustomerSession': ('update_customer_session', (
        'S-2', talon_one.NewCustomerSession(profile_id='P')), {}, (_writes.SESSION, 'S-2')),
    'reopenCustomerSession': ('reopen_customer_session', ('S-3',), {},
                              (_writes.SESSION, 'S-3')),
    'returnCartItems': ('return_cart_items', ('S-4', _return_request()), {},
                        (_writes.SESSION, 'S-4')),
    'updateCustomerProfileV2': ('update_customer_profile_v2', (
        'P-1', talon_one.CustomerProfileIntegrationRequestV2(attributes={})), {},
        (_writes.PROFILE, 'P-1')),
    'updateCustomerProfile': ('update_customer_profile', (
        'P-2', talon_one.NewCustomerProfile(attributes={})), {}, (_writes.PROFILE, 'P-2')),
    'deleteCustomerData': ('delete_customer_data', ('P-3',), {}, (_writes.PROFILE, 'P-3')),
    'trackEventV2': ('track_event_v2', (talon_one.IntegrationEventV2Request(
        profile_id='P-4', type='pageView', attributes={}),), {}, (_writes.PROFILE, 'P-4')),
    'trackEvent': ('track_event', (talon_one.NewEvent(
        profile_id='P-5', type='pageView', session_id='S-5', attributes={}),), {},
        (_writes.PROFILE, 'P-5')),
    'trackEventV3': ('track_event_v3', (_advanced_event('E-1'),), {},
                     (_writes.ADVANCED_EVENT, 'E-1')),
}


class _Recorder(talon_one.ApiClient):
    """A client that records the options of each call instead of sending it."""

    def __init__(self, configuration):
        super().__init__(configuration)
        self.calls = []

    def _run(self, request, options, response_type):
        self.calls.append((request, options))
        return None


def _recorded(name, args, kwargs, **settings):
    client = _Recorder(talon_one.Configuration(host='http://127.0.0.1:9', **settings))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        getattr(IntegrationApi(client), name)(*args, **kwargs)
    return client.calls[-1]


def test_every_row_of_the_table_is_tested_and_names_a_real_parameter():
    assert sorted(ROWS) == sorted(_writes.WRITES)
    endpoints = {e.operation_id: e for e in vars(talon_one.api.integration_api).values()
                 if isinstance(e, talon_one._operations.Endpoint)}
    for operation_id, rule in _writes.WRITES.items():
        endpoint = endpoints[operation_id]
        if rule.source == 'path':
            assert rule.name in [p.api_name for p in endpoint.params if p.location == 'path']
        else:
            body = next(p for p in endpoint.params if p.location == 'body')
            model = getattr(talon_one, body.type)
            assert rule.name in model.attribute_map.values(), (operation_id, rule.name)
    assert {'returnCartItems', 'trackEventV3'} == _writes.AUTO_KEYED


@pytest.mark.parametrize('operation_id', sorted(ROWS))
def test_each_row_keys_its_calls_by_its_id(operation_id):
    name, args, kwargs, lane = ROWS[operation_id]
    request, options = _recorded(name, args, kwargs)
    assert options.writes.lane == lane
    key = request.headers.get('Idempotency-Key')
    assert (key is not None) == (operation_id in _writes.AUTO_KEYED)
    assert options.writes.idempotency_key == key
    # order_writes_per_id=False: no lane (today's behaviour).
    _, options = _recorded(name, args, kwargs, order_writes_per_id=False)
    assert options.writes.lane is None


def test_a_raw_dict_body_is_keyed_by_its_wire_field():
    _, options = _recorded('track_event_v3', ({'integrationId': 'E-9', 'type': 't',
                                              'profileId': 'p'},), {})
    assert options.writes.lane == (_writes.ADVANCED_EVENT, 'E-9')


def test_operations_outside_the_table_get_no_lane():
    _, options = _recorded('create_referral', (talon_one.NewReferral(
        campaign_id=1, advocate_profile_integration_id='a'),), {})
    assert options.writes is None
    _, options = _recorded('get_customer_session', ('S-1',), {})
    assert options.writes is None


# -- lanes -----------------------------------------------------------------------------------

def test_a_lane_runs_its_calls_in_the_order_they_were_taken():
    lanes = _ordering.Lanes()
    tickets = [lanes.enter(('k', '1')) for _ in range(5)]
    other = lanes.enter(('k', '2'))
    assert [t.ready for t in tickets] == [True, False, False, False, False]
    assert other.ready                       # another id: never waits
    assert not tickets[1].wait(0.01)
    tickets[2].leave()                       # a waiting call gives up: order kept
    assert not tickets[1].ready and not tickets[3].ready
    tickets[0].leave()
    assert tickets[1].wait(0) and not tickets[3].ready
    tickets[1].leave()
    tickets[1].leave()                       # leaving twice changes nothing
    assert tickets[3].ready and lanes.waiting(('k', '1')) == 2
    tickets[3].leave()
    tickets[4].leave()
    assert lanes.waiting(('k', '1')) == 0 and not lanes._lanes.get(('k', '1'))


def test_an_async_wait_is_woken_from_another_thread_and_a_cancelled_one_leaves():
    lanes = _ordering.Lanes()

    async def main():
        first = lanes.enter(('k', '1'))
        second = lanes.enter(('k', '1'))
        third = lanes.enter(('k', '1'))
        assert not await second.wait_async(0.01)
        waiter = asyncio.ensure_future(third.wait_async(None))
        await asyncio.sleep(0.01)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        third.leave()
        threading.Timer(0.05, first.leave).start()
        assert await second.wait_async(5.0)
        second.leave()
        assert lanes.waiting(('k', '1')) == 0
    asyncio.run(main())


# -- 409: parallel or not --------------------------------------------------------------------

def _conflict(message, pointer=None, title='Conflict'):
    import json
    source = {} if pointer is None else {'pointer': pointer}
    body = json.dumps({'message': message, 'StatusCode': 409,
                       'errors': [{'title': title, 'details': message, 'source': source}]})
    return ConflictException(status=409, body=body)


@pytest.mark.parametrize('message, pointer, parallel', [
    ('Too many requests or limit reached - Avoid parallel requests', None, True),
    ("session:S1 is being updated by another request", None, True),       # sandbox "busy"
    ('Conflict (a fault injected with POST /_sandbox/faults, id 3)', None, True),
    ('', None, True),                                                      # says nothing more
    ("an advanced event with integrationId 'E' already exists", '/integrationId', False),
    ("an audience with integrationId 'A' already exists", None, False),
    ('Coupon redemption limit reached', None, False),
    ('Conflict', '/integrationId', False),
])
def test_what_decides_a_parallel_409(message, pointer, parallel):
    writes = _writes.WriteCall('updateCustomerSessionV2',
                               _writes.WRITES['updateCustomerSessionV2'], None, None)
    assert _writes.parallel_conflict(writes, _conflict(message, pointer)) is parallel
    outside = _writes.WriteCall('createAudienceV2', None, None, 'key')
    assert _writes.parallel_conflict(outside, _conflict(message, pointer)) is False
    assert _writes.parallel_conflict(None, _conflict(message, pointer)) is False


# -- the Idempotency-Key option --------------------------------------------------------------

@pytest.mark.parametrize('key, words', [
    ('', 'must not be empty'), ('k' * 256, 'at most 255 characters, got 256'),
    (5, 'must be a str, got int'), ('a\r\nX-Evil: 1', 'control characters'),
    (' padded', 'leading or trailing'), ('ключ', 'ISO-8859-1'),
])
def test_a_bad_key_fails_before_any_io_naming_the_option(key, words):
    api = IntegrationApi(talon_one.ApiClient(talon_one.Configuration(host='http://127.0.0.1:9')))
    for async_req in (False, True):
        with pytest.raises(talon_one.ApiValueError, match='_idempotency_key') as info:
            api.update_customer_session_v2('S', _session_request(1), _idempotency_key=key,
                                           async_req=async_req)
        assert words in str(info.value)


def test_a_key_on_a_read_is_refused():
    api = IntegrationApi(talon_one.ApiClient(talon_one.Configuration(host='http://127.0.0.1:9')))
    with pytest.raises(talon_one.ApiValueError, match='_idempotency_key is for writes'):
        api.get_customer_session('S', _idempotency_key='k')


def test_a_given_key_is_sent_on_any_write_and_a_255_character_one_is_fine():
    key = 'k' * 255
    request, options = _recorded('create_referral', (talon_one.NewReferral(
        campaign_id=1, advocate_profile_integration_id='a'),), {'_idempotency_key': key})
    assert request.headers['Idempotency-Key'] == key and options.writes.idempotency_key == key
    request, _ = _recorded('track_event_v3', (_advanced_event('E'),), {'_idempotency_key': 'mine'})
    assert request.headers['Idempotency-Key'] == 'mine'


def test_auto_idempotency_keys_false_sends_none():
    request, options = _recorded('return_cart_items', ('S', _return_request()), {},
                                 auto_idempotency_keys=False)
    assert 'Idempotency-Key' not in request.headers and options.writes.idempotency_key is None


def test_the_new_settings_are_checked():
    for name in ('order_writes_per_id', 'auto_idempotency_keys'):
        assert getattr(talon_one.Configuration(), name) is True
        with pytest.raises(talon_one.ApiValueError, match='Configuration.%s' % name):
            talon_one.Configuration(**{name: 'yes'})
        assert getattr(talon_one.Configuration(**{name: False}), name) is False


# -- against the sandbox, both clients ---------------------------------------------------------

@pytest.fixture(params=['sync', 'aio'])
def make_api(request, talon_sandbox):
    """make_api(**settings) -> an api with the sync methods (the asyncio client through
    support.aio.SyncView)."""
    closers = []

    def make(box=talon_sandbox, **settings):
        configuration = box.configuration(**dict(FAST, **settings))
        if request.param == 'sync':
            client = talon_one.ApiClient(configuration)
            closers.append(client.close)
            return IntegrationApi(client)
        require_aiohttp()
        view, close = make_sync_view(configuration)
        closers.append(close)
        return view
    yield make
    for close in closers:
        close()


def _statuses(box, method=None):
    return [e['status'] for e in box.requests if method is None or e['method'] == method]


def test_a_parallel_409_on_a_put_is_retried(make_api, talon_sandbox):
    api = make_api()
    with talon_sandbox.inject_fault('PUT', SESSIONS, status=409, times=2):
        state = api.update_customer_session_v2('PW-409', _session_request(3))
    assert state.customer_session.cart_items[0].quantity == 3
    assert _statuses(talon_sandbox) == [409, 409, 200]


def test_a_parallel_409_on_a_post_is_retried_only_with_a_key_or_the_opt_in(make_api,
                                                                           talon_sandbox):
    api = make_api()
    event = talon_one.IntegrationEventV2Request(profile_id='PW-P', type='pageView',
                                                attributes={})
    with talon_sandbox.inject_fault('POST', '/v2/events', status=409):
        with pytest.raises(ConflictException) as info:
            api.track_event_v2(event)
    assert info.value.idempotency_key is None and _statuses(talon_sandbox) == [409]
    talon_sandbox.clear_requests()
    with talon_sandbox.inject_fault('POST', '/v2/events', status=409):
        api.track_event_v2(event, _idempotency_key='event-key-1')
    assert _statuses(talon_sandbox) == [409, 204]
    talon_sandbox.clear_requests()
    with talon_sandbox.inject_fault('POST', '/v2/events', status=409):
        api.track_event_v2(event, _retry_non_idempotent=True)
    assert _statuses(talon_sandbox) == [409, 204]


def test_a_duplicate_advanced_event_is_raised_at_once(make_api, talon_sandbox):
    api = make_api()
    api.track_event_v3(_advanced_event('PW-EVENT-1'))
    talon_sandbox.clear_requests()
    with pytest.raises(ConflictException) as info:
        api.track_event_v3(_advanced_event('PW-EVENT-1'))
    assert _statuses(talon_sandbox) == [409]          # one attempt: a duplicate, not a clash
    assert info.value.idempotency_key == \
        talon_sandbox.requests[0]['requestHeaders']['idempotency-key']
    assert info.value.errors[0]['source']['pointer'] == '/integrationId'


def test_an_existing_audience_is_raised_at_once(make_api, talon_sandbox):
    api = make_api()
    audience = talon_one.NewAudience(name='PW', integration_id='PW-AUDIENCE')
    api.create_audience_v2(audience)
    talon_sandbox.clear_requests()
    with pytest.raises(ConflictException):
        api.create_audience_v2(audience, _retry_non_idempotent=True)
    assert _statuses(talon_sandbox) == [409]


# Each fault kind as the README's retry table says: (fault, PUT outcome, unkeyed POST outcome,
# keyed POST outcome): 'retried' (the fault, then the answer) or 'raised' (one attempt).
FAULTS = [
    (dict(status=409), 'retried', 'raised', 'retried'),
    (dict(status=429, retry_after=0), 'retried', 'retried', 'retried'),
    (dict(status=500), 'raised', 'raised', 'raised'),
    (dict(status=502), 'retried', 'raised', 'retried'),
    (dict(status=503), 'retried', 'raised', 'retried'),
    (dict(close=True), 'retried', 'raised', 'retried'),
    (dict(close_after_work=True), 'retried', 'raised', 'retried'),
    (dict(delay=1.0), 'retried', 'raised', 'retried'),
]


@pytest.mark.parametrize('fault, put, post, keyed', FAULTS,
                         ids=[sorted(f[0])[0] + str(f[0].get('status', '')) for f in FAULTS])
def test_each_fault_kind_is_handled_as_the_retry_table_says(make_api, talon_sandbox, fault,
                                                            put, post, keyed):
    api = make_api(timeout=(2.0, 0.3))
    cases = [
        ('PUT', SESSIONS, put,
         lambda: api.update_customer_session_v2('PW-F', _session_request(2))),
        ('POST', '/v2/events', post, lambda: api.track_event_v2(
            talon_one.IntegrationEventV2Request(profile_id='PW-F', type='pageView',
                                                attributes={}))),
        ('POST', '/v3/events', keyed, lambda: api.track_event_v3(_advanced_event('PW-F-EVENT'))),
    ]
    for method, path, outcome, call in cases:
        talon_sandbox.clear_requests()
        with talon_sandbox.inject_fault(method, path, **fault):
            if outcome == 'raised':
                with pytest.raises(ApiException):
                    call()
            else:
                call()
        if 'delay' in fault:   # the answer is still on its way when the call gives up
            expected = 1 if outcome == 'raised' else 2
            _wait_until(lambda expected=expected: len(talon_sandbox.requests) >= expected)
        attempts = len(talon_sandbox.requests)
        assert attempts == (1 if outcome == 'raised' else 2), (method, path, fault)
        keys = {e['requestHeaders'].get('idempotency-key') for e in talon_sandbox.requests}
        assert len(keys) == 1                       # a retry sends the same key (or none)
    if keyed == 'retried':
        # The keyed POST ran once although a fault hid or delayed its answer: one event
        # (a second run would have answered 409: it exists).
        assert api.get_event_v3('PW-F-EVENT').integration_id == 'PW-F-EVENT'


@pytest.mark.parametrize('db', [False, True], ids=['memory', 'db'])
def test_a_return_whose_answer_is_lost_is_recorded_once(make_api, tmp_path, db):
    with Sandbox(db=str(tmp_path / 'pw.db') if db else None) as box:
        api = make_api(box)
        with box.inject_fault('POST', '/v2/customer_sessions/*/returns', close_after_work=True):
            state = api.return_cart_items('CLOSED-SESSION-1', _return_request())
        entries = box.requests
        assert [e['status'] for e in entries] == [200, 200]
        assert entries[0]['requestHeaders']['idempotency-key'] == \
            entries[1]['requestHeaders']['idempotency-key']
        assert state.customer_session.cart_items[2].returned_quantity == 1
        assert api.get_customer_session('CLOSED-SESSION-1').customer_session.cart_items[2] \
            .returned_quantity == 1                 # once, not twice


@pytest.mark.parametrize('operation_id', sorted(ROWS))
def test_each_row_waits_for_an_earlier_call_on_the_same_id(talon_sandbox, operation_id):
    name, args, kwargs, lane = ROWS[operation_id]
    client = talon_one.ApiClient(talon_sandbox.configuration(**FAST), pool_threads=2)
    api = IntegrationApi(client)
    try:
        earlier = _ordering._lanes_of(client).enter(lane)    # an earlier call, still running
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            result = getattr(api, name)(*args, async_req=True, **kwargs)
            other = list(lane)
            other[1] = lane[1] + '-OTHER'
            elsewhere = _ordering._lanes_of(client).enter(tuple(other))
            assert elsewhere.ready                           # another id runs at once
            elsewhere.leave()
        time.sleep(0.2)
        assert not result.ready() and talon_sandbox.requests == []
        earlier.leave()
        result.wait(5)
        assert result.ready() and len(talon_sandbox.requests) >= 1
    finally:
        client.close()


# -- many threads, many tasks, one session -----------------------------------------------------

DELAY = 0.03


def _assert_one_at_a_time(entries):
    """Each request arrived after the (delayed) answer of the one before it."""
    times = _arrivals(entries)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= DELAY - 0.002, gaps


@pytest.mark.parametrize('db', [False, True], ids=['memory', 'db'])
def test_16_threads_on_one_session_finish_in_turn_without_a_409(tmp_path, db):
    with Sandbox(db=str(tmp_path / 'pw.db') if db else None) as box:
        api = IntegrationApi(talon_one.ApiClient(box.configuration(max_retries=5, **FAST)))
        errors = []
        start = threading.Barrier(16)

        def update(quantity):
            start.wait()
            try:
                api.update_customer_session_v2('PW-THREADS', _session_request(quantity))
            except Exception as error:
                errors.append(error)
        threads = [threading.Thread(target=update, args=(n + 1,)) for n in range(16)]
        box.inject_fault('PUT', SESSIONS, status=409, times=4)   # "busy": retried
        box.inject_fault('PUT', SESSIONS, delay=DELAY, times=16)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        entries = box.requests
        assert [e['status'] for e in entries].count(409) == 4 and len(entries) == 20
        _assert_one_at_a_time([e for e in entries if e['status'] == 200])
        last = [e for e in entries if e['status'] == 200][-1]
        state = api.get_customer_session('PW-THREADS').customer_session
        assert state.cart_items[0].quantity == _quantity(last)


def test_async_req_calls_run_in_the_order_they_were_made(talon_sandbox):
    client = talon_one.ApiClient(talon_sandbox.configuration(**FAST), pool_threads=16)
    api = IntegrationApi(client)
    talon_sandbox.inject_fault('PUT', SESSIONS, delay=DELAY, times=16)
    results = [api.update_customer_session_v2('PW-ASYNC-REQ', _session_request(n + 1),
                                              async_req=True) for n in range(16)]
    for result in results:
        result.get(10)
    entries = talon_sandbox.requests
    assert [_quantity(e) for e in entries] == list(range(1, 17))
    _assert_one_at_a_time(entries)
    assert api.get_customer_session('PW-ASYNC-REQ').customer_session.cart_items[0].quantity \
        == 16
    client.close()


def test_without_ordering_the_same_calls_overlap(talon_sandbox):
    client = talon_one.ApiClient(talon_sandbox.configuration(order_writes_per_id=False, **FAST),
                                 pool_threads=16)
    api = IntegrationApi(client)
    talon_sandbox.inject_fault('PUT', SESSIONS, delay=0.3, times=16)
    results = [api.update_customer_session_v2('PW-UNORDERED', _session_request(n + 1),
                                              async_req=True) for n in range(16)]
    for result in results:
        result.get(10)
    times = _arrivals(talon_sandbox.requests)
    assert max(times) - min(times) < 0.3                   # all were under way at once
    client.close()


@pytest.mark.parametrize('db', [False, True], ids=['memory', 'db'])
def test_64_tasks_on_one_session_finish_in_order_without_a_409(tmp_path, db):
    require_aiohttp()
    from talon_one.aio import AsyncApiClient, AsyncIntegrationApi
    with Sandbox(db=str(tmp_path / 'pw.db') if db else None) as box:
        box.inject_fault('PUT', SESSIONS, status=409, times=4)    # "busy": retried
        box.inject_fault('PUT', SESSIONS, delay=0.01, times=64)

        async def main():
            async with AsyncApiClient(box.configuration(max_retries=5, **FAST)) as client:
                api = AsyncIntegrationApi(client)
                await asyncio.gather(*[
                    api.update_customer_session_v2('PW-TASKS', _session_request(n + 1))
                    for n in range(64)])
                return await api.get_customer_session('PW-TASKS')
        state = asyncio.run(main())
        entries = [e for e in box.requests if e['method'] == 'PUT']
        assert [e['status'] for e in entries].count(409) == 4 and len(entries) == 68
        done = [e for e in entries if e['status'] == 200]
        assert [_quantity(e) for e in done] == list(range(1, 65))
        assert state.customer_session.cart_items[0].quantity == 64


# -- total_timeout holds for a call that waits for its turn ------------------------------------

def test_a_waiting_call_never_outlives_its_total_timeout(make_api, talon_sandbox):
    api = make_api(timeout=(2.0, 5.0))
    talon_sandbox.inject_fault('PUT', SESSIONS, delay=1.5)
    first_error = []

    def first():
        try:
            api.update_customer_session_v2('PW-WAIT', _session_request(1))
        except Exception as error:
            first_error.append(error)
    if isinstance(api, IntegrationApi):
        thread = threading.Thread(target=first)
        thread.start()
        _wait_until(lambda: api.api_client._write_lanes.waiting(
            (_writes.SESSION, 'PW-WAIT')) == 1)
        started = time.monotonic()
        with pytest.raises(talon_one.ApiTimeoutError) as info:
            api.update_customer_session_v2('PW-WAIT', _session_request(2), _total_timeout=0.3)
        elapsed = time.monotonic() - started
        thread.join()
    else:
        # The asyncio client: both calls as tasks of one loop.
        from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

        async def main():
            async with AsyncApiClient(talon_sandbox.configuration(**FAST)) as client:
                aapi = AsyncIntegrationApi(client)
                one = asyncio.ensure_future(
                    aapi.update_customer_session_v2('PW-WAIT', _session_request(1)))
                await asyncio.sleep(0.1)
                began = time.monotonic()
                try:
                    await aapi.update_customer_session_v2('PW-WAIT', _session_request(2),
                                                          _total_timeout=0.3)
                except talon_one.ApiTimeoutError as error:
                    result = error, time.monotonic() - began
                await one
                return result
        error, elapsed = asyncio.run(main())
        info = type('Info', (), {'value': error})
    assert info.value.limit == 'total' and 'waiting for an earlier call' in str(info.value)
    assert 0.3 - 0.05 <= elapsed <= 0.3 + SLACK
    assert first_error == []
    assert [_quantity(e) for e in talon_sandbox.requests] == [1]        # never sent


def test_the_key_is_in_the_debug_log_line(talon_sandbox, caplog):
    api = IntegrationApi(talon_one.ApiClient(talon_sandbox.configuration()))
    with caplog.at_level(logging.DEBUG, logger='talon_one'):
        api.track_event_v3(_advanced_event('PW-LOG'), _idempotency_key='log-key-1')
    assert any('Idempotency-Key log-key-1' in r.getMessage() for r in caplog.records)


def test_a_key_given_in_headers_is_the_calls_key():
    request, options = _recorded('return_cart_items', ('S', _return_request()),
                                 {'_headers': {'idempotency-key': 'from-headers'}})
    assert options.writes.idempotency_key == 'from-headers'
    assert [v for k, v in request.headers.items() if k.lower() == 'idempotency-key'] == \
        ['from-headers']


def test_the_key_is_on_errors_of_the_asyncio_client_too(talon_sandbox):
    require_aiohttp()
    from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

    async def main():
        async with AsyncApiClient(talon_sandbox.configuration(**FAST)) as client:
            api = AsyncIntegrationApi(client)
            with talon_sandbox.inject_fault('POST', '/v3/events', status=500):
                try:
                    await api.track_event_v3(_advanced_event('PW-AIO-KEY'),
                                             _idempotency_key='aio-key')
                except talon_one.ServiceException as error:
                    return error.idempotency_key
    assert asyncio.run(main()) == 'aio-key'
