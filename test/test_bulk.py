"""talon_one.bulk through the SDK against the sandbox, in memory and with ``--db``: what
each bulk function sent (the sandbox's request log), what it changed (read back from the
sandbox's state), and what it reported; plus the runner's rules (per-id ordering, the
pace, concurrency, checkpoints, progress) against a recording fake API."""

import json
import os
import threading
import time

import pytest

import talon_one
from talon_one import bulk
from talon_one.bulk.checkpoint import Checkpoint, CheckpointError
from talon_one.bulk.ratelimit import RateLimiter

ADA = 'URNGV8294NV'
BERLIN = 4               # an empty audience of the example world
NEWSLETTER = 2           # members: ADA, BZGGC2454PA
CATALOG = 6              # version 1, four items


@pytest.fixture
def sandbox(sandbox_memory_and_db):
    return sandbox_memory_and_db


@pytest.fixture
def client(sandbox):
    with talon_one.ApiClient(sandbox.configuration()) as api_client:
        yield api_client


def state(sandbox, kind, key):
    return sandbox.server.service.store.get(kind, key)


def sent(sandbox, method=None, path=None):
    return [entry for entry in sandbox.requests
            if (method is None or entry['method'] == method)
            and (path is None or entry['path'] == path)]


def profiles(count, start=0, **attributes):
    return [{'integrationId': 'bulk-%05d' % i, 'attributes': dict(attributes, n=i)}
            for i in range(start, start + count)]


# ---------------------------------------------------------------- profiles

def test_profiles_update_sends_chunks_of_the_api_s_size_and_stores_every_profile(
        sandbox, client):
    records = iter(profiles(2500, tier='gold'))           # any iterable: a generator too
    report = bulk.profiles.update(client, records)
    assert isinstance(report, bulk.BulkReport)
    assert (report.records, report.sent, report.accepted) == (2500, 2500, 2500)
    assert report.failures == []
    assert report.ok and report.calls == 3 and report.chunks == 3 and report.elapsed > 0
    calls = sent(sandbox, 'PUT', '/v2/customer_profiles')     # (bodies over 64 KiB are cut)
    assert [entry['status'] for entry in calls] == [204] * 3
    assert all(state(sandbox, 'profile', 'bulk-%05d' % i)['attributes'] == {'tier': 'gold', 'n': i}
               for i in range(2500))


def test_models_and_attribute_names_are_records_too(sandbox, client):
    records = [talon_one.MultipleCustomerProfileIntegrationRequestItem(
        integration_id='m-1', attributes={'a': 1}), {'integration_id': 'm-2', 'attributes': {}}]
    report = bulk.profiles.update(talon_one.IntegrationApi(client), records)
    assert report.accepted == 2 and report.ok
    assert state(sandbox, 'profile', 'm-1')['attributes'] == {'a': 1}


def test_invalid_records_are_reported_not_sent_and_do_not_stop_the_rest(sandbox, client):
    records = profiles(5)
    records[1] = {'integrationId': '', 'attributes': {}}
    records[3] = {'integrationId': 'x' * 1001}
    records.append({'integrationId': 'ok-2', 'attribute': {'typo': 1}})
    records.append('not a record')
    report = bulk.profiles.update(client, records)
    assert (report.records, report.sent, report.accepted, report.invalid) == (7, 3, 3, 4)
    assert [(f.index, f.stage, f.status) for f in report.failures] == [
        (1, 'validation', None), (3, 'validation', None), (5, 'validation', None),
        (6, 'validation', None)]
    assert 'must not be empty' in report.failures[0].message
    assert 'at most 1000 characters' in report.failures[1].message
    assert "unknown field 'attribute'" in report.failures[2].message
    [body] = [e['requestBody'] for e in sent(sandbox, 'PUT', '/v2/customer_profiles')]
    assert [p['integrationId'] for p in body['customerProfiles']] == [
        'bulk-00000', 'bulk-00002', 'bulk-00004']
    assert not report.ok


def test_audience_changes_follow_the_attributes(sandbox, client):
    records = [{'integrationId': 'aud-1', 'attributes': {'city': 'Berlin'},
                'audiencesChanges': {'adds': [BERLIN], 'deletes': []}},
               {'integrationId': ADA, 'audiencesChanges': {'adds': [], 'deletes': [NEWSLETTER]}},
               {'integrationId': 'aud-2', 'audiencesChanges': {'adds': [99999], 'deletes': []}},
               {'integrationId': 'aud-3', 'audiencesChanges': {'adds': ['4'], 'deletes': []}}]
    report = bulk.profiles.update(client, records)
    assert report.accepted == 2
    assert [(f.index, f.id, f.status, f.stage) for f in report.failures] == [
        (2, 'aud-2', 404, 'api'), (3, None, None, 'validation')]
    assert 'audience 99999 not found' in report.failures[0].message
    assert state(sandbox, 'audience', BERLIN)['members'] == ['aud-1']
    assert ADA not in state(sandbox, 'audience', NEWSLETTER)['members']
    assert state(sandbox, 'profile', 'aud-1')['attributes'] == {'city': 'Berlin'}
    # The attributes of aud-2 were stored: only its audience change failed.
    assert state(sandbox, 'profile', 'aud-2') is not None


def test_a_refused_chunk_is_split_to_find_the_records_at_fault(sandbox, client):
    ids = [ADA, 'nobody-1', 'BZGGC2454PA', 'R195412', 'nobody-2', 'DRPVV9476AF']
    report = bulk.audiences.add_members(client, BERLIN, ids)
    assert report.accepted == 4
    assert [(f.index, f.id, f.status) for f in report.failures] == [
        (1, 'nobody-1', 404), (4, 'nobody-2', 404)]
    assert sorted(state(sandbox, 'audience', BERLIN)['members']) == sorted(
        [ADA, 'BZGGC2454PA', 'R195412', 'DRPVV9476AF'])
    assert report.calls == len(sent(sandbox, 'POST', '/v2/customer_audiences')) > 1

    unsplit = bulk.audiences.remove_members(client, BERLIN, ids, isolate_failures=False)
    assert unsplit.calls == 1 and unsplit.accepted == 0 and unsplit.failures_total == 6


def test_delete_customer_data(sandbox, client):
    bulk.profiles.update(client, profiles(3))
    report = bulk.profiles.delete_customer_data(
        client, ['bulk-00000', {'integrationId': 'bulk-00001'}, 'nobody'])
    assert report.accepted == 2
    assert [(f.id, f.status) for f in report.failures] == [('nobody', 404)]
    assert state(sandbox, 'profile', 'bulk-00000') is None
    assert state(sandbox, 'profile', 'bulk-00002') is not None
    again = bulk.profiles.delete_customer_data(client, ['bulk-00000', 'bulk-00002'],
                                               missing_ok=True)
    assert again.ok and again.accepted == 2 and again.calls == 2


def test_update_audiences_and_audience_attributes(sandbox, client):
    report = bulk.profiles.update_audiences(client, [
        {'profileIntegrationId': ADA, 'audienceId': BERLIN, 'action': 'add'},
        talon_one.CustomerProfileAudienceRequestItem(
            action='delete', profile_integration_id='BZGGC2454PA', audience_id=NEWSLETTER),
        {'profileIntegrationId': ADA, 'audienceId': BERLIN, 'action': 'join'}])
    assert report.accepted == 2 and [f.index for f in report.failures] == [2]
    assert "one of" in report.failures[0].message or 'join' in report.failures[0].message
    assert state(sandbox, 'audience', BERLIN)['members'] == [ADA]
    assert state(sandbox, 'audience', NEWSLETTER)['members'] == [ADA]

    report = bulk.audiences.update_attributes(client, [
        {'audienceId': NEWSLETTER, 'attributes': {'newsletter': True}},
        {'audienceId': 99999, 'attributes': {'x': 1}}])
    assert report.accepted == 1 and [f.status for f in report.failures] == [404]
    assert state(sandbox, 'profile', ADA)['attributes']['newsletter'] is True


def test_referrals_for_many_advocates(sandbox, client):
    report = bulk.referrals.create(client, 45, [ADA, 'DRPVV9476AF', 'R195412'], usage_limit=1,
                                   chunk_size=2)
    assert report.ok and report.accepted == 3 and report.calls == 2
    bodies = [e['requestBody'] for e in sent(sandbox, 'POST',
                                               '/v1/referrals_for_multiple_advocates')]
    assert sorted(b['advocateProfileIntegrationIds'] for b in bodies) == sorted([
        [ADA, 'DRPVV9476AF'], ['R195412']])
    assert all(b['campaignId'] == 45 and b['usageLimit'] == 1 for b in bodies)
    with pytest.raises(ValueError, match='usage_limit'):
        bulk.referrals.create(client, 45, [ADA], usage_limit=-1)


# ---------------------------------------------------------------- catalogs

def _catalog(sandbox):
    return state(sandbox, 'catalog', CATALOG)


def test_catalog_sync_one_action_type_per_request_in_order_with_the_version(sandbox, client):
    actions = ([{'type': 'ADD', 'payload': {'sku': 'NEW-%d' % i, 'price': 10 + i}}
                for i in range(5)] +
               [{'type': 'PATCH', 'payload': {'sku': 'NEW-1', 'price': 99}},
                talon_one.CatalogAction(type='PATCH', payload={'sku': 'SOCKS-01',
                                                               'attributes': {'color': 'red'}}),
                {'type': 'REMOVE', 'payload': {'sku': 'NEW-4'}},
                {'type': 'ADD', 'payload': {'sku': 'NEW-4', 'price': 1}}])
    report = bulk.catalogs.sync(client, CATALOG, actions, version=1, chunk_size=3)
    assert report.ok and report.accepted == 9
    bodies = [e['requestBody'] for e in sent(sandbox, 'PUT', '/v1/catalogs/6/sync')]
    assert [([a['type'] for a in b['actions']], b['version']) for b in bodies] == [
        (['ADD'] * 3, 1), (['ADD'] * 2, 2), (['PATCH'] * 2, 3), (['REMOVE'], 4), (['ADD'], 5)]
    items = _catalog(sandbox)['items']
    assert items['NEW-1']['price'] == 99 and items['NEW-4']['price'] == 1
    assert items['SOCKS-01']['attributes']['color'] == 'red'
    assert _catalog(sandbox)['version'] == 6


def test_catalog_sync_stops_when_the_version_moved_on(sandbox, client):
    actions = [{'type': 'PATCH', 'payload': {'sku': 'SOCKS-01', 'price': p}} for p in (1, 2)]
    report = bulk.catalogs.sync(client, CATALOG, actions, version=7)
    assert report.stopped and 'version' in report.stopped and not report.ok
    assert [(f.index, f.status) for f in report.failures] == [(0, 400), (1, 400)]
    assert _catalog(sandbox)['version'] == 1 and report.calls == 1


def test_catalog_bad_actions_are_isolated_and_the_rest_applied(sandbox, client):
    actions = [{'type': 'PATCH', 'payload': {'sku': sku, 'price': 5}}
               for sku in ('SOCKS-01', 'GONE', 'COFFEE-01')]
    actions.append({'type': 'PATCH', 'payload': {'sku': 'COFFEE-01', 'price': 'cheap'}})
    actions.append({'type': 'MOVE', 'payload': {'sku': 'COFFEE-01'}})
    report = bulk.catalogs.sync(client, CATALOG, actions)
    assert report.accepted == 2
    assert [(f.index, f.status, f.stage) for f in report.failures] == [
        (1, 404, 'api'), (3, None, 'validation'), (4, None, 'validation')]
    assert _catalog(sandbox)['items']['COFFEE-01']['price'] == 5


# ---------------------------------------------------------------- checkpoints

def test_a_rerun_with_the_checkpoint_skips_the_finished_chunks(sandbox, client, tmp_path):
    path = str(tmp_path / 'import.ckpt')
    records = profiles(250)
    records[7] = {'integrationId': ''}

    def interrupted_after(count):
        yield from records[:count]
        raise KeyboardInterrupt          # Ctrl-C while the input is read

    with pytest.raises(bulk.BulkInterrupted) as stop:
        bulk.profiles.update(client, interrupted_after(120), chunk_size=50, checkpoint=path)
    first = stop.value.report
    # Chunks hold 50 valid records: the first two were read; those a worker had started
    # were finished (the others taken back, not sent).
    assert first.interrupted and first.chunks in (0, 1, 2)
    assert first.accepted == first.sent == 50 * first.chunks
    before = len(sent(sandbox, 'PUT', '/v2/customer_profiles'))
    assert before == first.chunks
    second = bulk.profiles.update(client, records, chunk_size=50, checkpoint=path)
    assert second.skipped == second.accepted_earlier == first.accepted
    bodies = [e['requestBody'] for e in sent(sandbox, 'PUT', '/v2/customer_profiles')][before:]
    assert sorted(b['customerProfiles'][0]['integrationId'] for b in bodies) == [
        'bulk-00000', 'bulk-00051', 'bulk-00101', 'bulk-00151', 'bulk-00201'][first.chunks:]
    assert second.accepted == 249 - first.accepted
    assert [(f.index, f.stage) for f in second.failures] == [(7, 'validation')]
    assert second.ok is False

    third = bulk.profiles.update(client, records, chunk_size=50, checkpoint=path)
    assert third.sent == 0 and third.calls == 0 and third.skipped == 249
    with pytest.raises(CheckpointError, match=r'chunkSize.: 50'):
        bulk.profiles.update(client, records, chunk_size=10, checkpoint=path)
    with pytest.raises(CheckpointError, match=r'profiles\.update'):
        bulk.profiles.delete_customer_data(client, ['a'], checkpoint=path)
    with pytest.raises(CheckpointError, match='input differs'):
        bulk.profiles.update(client, profiles(250, start=1), chunk_size=50, checkpoint=path)


def test_failures_of_finished_chunks_are_reported_again_as_earlier(sandbox, client, tmp_path):
    path = str(tmp_path / 'members.ckpt')
    ids = [ADA, 'nobody', 'R195412']
    first = bulk.audiences.add_members(client, BERLIN, ids, checkpoint=path)
    second = bulk.audiences.add_members(client, BERLIN, ids, checkpoint=path)
    assert first.failures_total == second.failures_total == 1
    assert second.calls == 0 and second.failures[0].earlier and not second.ok
    assert second.failures[0].id == 'nobody'


def test_a_chunk_that_met_a_transient_failure_is_sent_again_by_a_rerun(
        sandbox, tmp_path):
    path = str(tmp_path / 'ckpt')
    configuration = sandbox.configuration(max_retries=0)
    with talon_one.ApiClient(configuration) as api_client:
        sandbox.inject_fault('PUT', '/v2/customer_profiles', status=503, times=1)
        first = bulk.profiles.update(api_client, profiles(30), chunk_size=10, concurrency=1,
                                     checkpoint=path)
        assert first.accepted == 20 and [f.status for f in first.failures] == [503] * 10
        second = bulk.profiles.update(api_client, profiles(30), chunk_size=10, checkpoint=path)
    assert second.ok                  # transient failures are not recorded: sent again
    assert second.skipped == 20 and second.sent == 10 and second.accepted == 10
    assert second.failures == []


def test_refused_credentials_stop_the_run_and_a_rerun_sends_everything(sandbox, tmp_path):
    path = str(tmp_path / 'ckpt')
    wrong = sandbox.configuration(max_retries=0)
    wrong.api_key = {'Authorization': 'not-the-key'}
    with talon_one.ApiClient(wrong) as api_client:
        first = bulk.profiles.update(api_client, profiles(50), chunk_size=10, concurrency=1,
                                     checkpoint=path)
    # The refused chunk and the one queued behind it (the runner keeps one waiting per
    # worker), then no more of the five.
    assert first.calls <= 2 and first.sent <= 20
    assert first.stopped and 'refused the credentials (401' in first.stopped
    assert first.accepted == 0
    with talon_one.ApiClient(sandbox.configuration()) as api_client:
        second = bulk.profiles.update(api_client, profiles(50), chunk_size=10, checkpoint=path)
    assert second.ok and second.accepted == 50 and second.skipped == 0   # nothing recorded


def test_a_torn_last_line_is_dropped(tmp_path):
    path = str(tmp_path / 'ckpt')
    with Checkpoint(path, 'x', {}) as checkpoint:
        assert not checkpoint.resumed
    with open(path, 'a') as handle:
        handle.write('{"chunk": 0, "digest": "ab", "records": 1, "accepted": 1}\n'
                     '{"chunk": 1, "dig')
    with Checkpoint(path, 'x', {}) as checkpoint:
        assert checkpoint.resumed and sorted(checkpoint.done) == [0]
    with open(path) as handle:
        assert handle.read().endswith('"accepted": 1}\n')
    with Checkpoint(path, 'x', {}) as checkpoint:
        with pytest.raises(CheckpointError, match='in use'):
            Checkpoint(path, 'x', {})
    with open(str(tmp_path / 'other'), 'w') as handle:
        handle.write('hello\n')
    with pytest.raises(CheckpointError, match='not a talon-one checkpoint'):
        Checkpoint(str(tmp_path / 'other'), 'x', {})


# ---------------------------------------------------------------- the runner's rules

class FakeApi(talon_one.IntegrationApi):
    """Records the calls, and which profiles were being updated at the same moment."""

    def __init__(self, delay=0.01):
        super().__init__(talon_one.ApiClient(talon_one.Configuration(host='http://fake.invalid')))
        self.delay = delay
        self.lock = threading.Lock()
        self.active = set()
        self.overlaps = []
        self.peak = 0
        self.in_flight = 0
        self.order = []
        self.times = []

    def update_customer_profiles_v2(self, body, **kwargs):
        ids = [p['integrationId'] if isinstance(p, dict) else p.integration_id
               for p in body.customer_profiles]
        with self.lock:
            self.times.append(time.monotonic())
            if self.active & set(ids):
                self.overlaps.append(self.active & set(ids))
            self.active |= set(ids)
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self.order.append(ids)
        time.sleep(self.delay)
        with self.lock:
            self.active -= set(ids)
            self.in_flight -= 1


def test_two_chunks_never_touch_one_profile_at_once_and_keep_input_order():
    api = FakeApi()
    ids = ['u%d' % i for i in range(200)]
    for position in (2, 7, 17, 33, 34, 120):            # chunks 0, 1, 3, 6, 6, 24
        ids[position] = 'shared'
    records = [{'integrationId': one, 'attributes': {'seq': n}} for n, one in enumerate(ids)]
    report = bulk.profiles.update(api, records, chunk_size=5, concurrency=4)
    assert report.ok and report.calls == 40
    assert api.overlaps == [] and 2 <= api.peak <= 4
    chunks_with_shared = [chunk for chunk in api.order if 'shared' in chunk]
    assert len(chunks_with_shared) == 5
    assert [api.order.index(chunk) for chunk in chunks_with_shared] == sorted(
        api.order.index(chunk) for chunk in chunks_with_shared)

    api = FakeApi(delay=0.002)
    same = [{'integrationId': 'p%d' % (i % 7), 'attributes': {'seq': i}} for i in range(100)]
    bulk.profiles.update(api, same, chunk_size=5, concurrency=4)
    assert api.overlaps == [] and api.peak == 1       # every chunk overlaps the next one
    assert [one for chunk in api.order for one in chunk] == [r['integrationId'] for r in same]


def test_concurrency_bounds_the_calls_in_flight():
    api = FakeApi(delay=0.02)
    report = bulk.profiles.update(api, profiles(400), chunk_size=10, concurrency=3)
    assert report.ok and report.calls == 40 and 2 <= api.peak <= 3
    api = FakeApi(delay=0.005)
    bulk.profiles.update(api, profiles(50), chunk_size=10, concurrency=1)
    assert api.peak == 1


def test_the_rate_limit_paces_the_calls():
    api = FakeApi(delay=0)
    started = time.monotonic()
    bulk.profiles.update(api, profiles(60), chunk_size=10, concurrency=4,
                         max_calls_per_second=20)
    # The k-th call starts no earlier than k / 20 s after the first slot (however the
    # threads are scheduled, each call waits for its slot, and slots are 1/20 s apart).
    for k, moment in enumerate(sorted(api.times)):
        assert moment - started >= k / 20 - 0.005


def test_rate_limiter_gives_each_caller_the_next_slot():
    now = [100.0]
    limiter = RateLimiter(4, clock=lambda: now[0], sleep=lambda s: None)
    assert [limiter.delay() for _ in range(3)] == [0.0, 0.25, 0.5]
    now[0] = 200.0
    assert limiter.delay() == 0.0
    assert RateLimiter(None).delay() == 0.0
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_progress_is_called_with_done_and_total():
    calls = []
    bulk.profiles.update(FakeApi(delay=0), profiles(25) + [{'integrationId': ''}], chunk_size=10,
                         progress=lambda done, total: calls.append((done, total)), total=26)
    assert calls[-1] == (26, 26)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_dry_run_sends_nothing(sandbox, client):
    records = profiles(1500) + [{'integrationId': ''}]
    report = bulk.profiles.update(client, records, dry_run=True, checkpoint='never-made.ckpt')
    assert report.dry_run and report.sent == 0 and report.calls == 0 and report.chunks == 2
    assert report.invalid == 1 and not os.path.exists('never-made.ckpt')
    assert sent(sandbox) == []


def test_options_are_checked_before_anything_is_sent(client):
    with pytest.raises(ValueError, match='chunk_size must be 1 to 1000'):
        bulk.profiles.update(client, [], chunk_size=1001)
    with pytest.raises(ValueError, match='concurrency'):
        bulk.profiles.update(client, [], concurrency=0)
    with pytest.raises(ValueError, match='catalog_id'):
        bulk.catalogs.sync(client, 0, [])


def test_keep_failures_bounds_the_list_not_the_count():
    records = [{'integrationId': ''}] * 50
    seen = []
    report = bulk.profiles.update(FakeApi(delay=0), records, keep_failures=5,
                                  on_failure=seen.append)
    assert report.failures_total == 50 and len(report.failures) == 5 and len(seen) == 50
    assert json.loads(json.dumps(report.to_dict()))['failed'] == 50


def test_after_a_version_conflict_the_later_chunks_are_not_sent(sandbox, client):
    actions = [{'type': 'PATCH', 'payload': {'sku': 'SOCKS-01', 'price': 1}},
               {'type': 'REMOVE', 'payload': {'sku': 'COFFEE-01'}}]
    report = bulk.catalogs.sync(client, CATALOG, actions, version=3)
    assert report.calls == 1 and report.sent == 1
    assert report.stopped.startswith('catalog 6 moved on from version 3')
    assert report.failures[1].message.startswith('not sent: the run stopped: catalog 6 moved')
    assert 'COFFEE-01' in _catalog(sandbox)['items']


def test_progress_displays(capsys):
    import io

    from talon_one.bulk import progress

    stream = io.StringIO()
    now = [0.0]
    log = progress.LogProgress(interval=5, stream=stream, clock=lambda: now[0])
    log(10, 100)
    now[0] = 6.0
    log(60, 100)
    now[0] = 7.0
    log(100, 100)
    log.close()
    assert stream.getvalue().splitlines() == [
        '60/100 records (60%), 10/s, ETA 0:00:04', '100/100 records (100%), 14/s, ETA 0:00:00']
    quiet = io.StringIO()
    short = progress.LogProgress(stream=quiet)
    short(5, None)
    short.close()
    assert quiet.getvalue() == ''                     # a short run shows nothing
    assert isinstance(progress.terminal(io.StringIO()), progress.LogProgress)  # not a tty
    pytest.importorskip('tqdm')
    bar_stream = io.StringIO()
    bar = progress.terminal(bar_stream, use_tqdm=True)
    assert isinstance(bar, progress.TqdmProgress)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    assert '100%' in bar_stream.getvalue() and 'records/s' in bar_stream.getvalue()


def test_with_a_checkpoint_a_resent_chunk_is_answered_by_its_idempotency_key(sandbox, client,
                                                                             tmp_path):
    path = str(tmp_path / 'referrals.ckpt')
    advocates = [ADA, 'DRPVV9476AF', 'R195412', 'BZGGC2454PA']
    first = bulk.referrals.create(client, 45, advocates, usage_limit=1, chunk_size=2,
                                  concurrency=1, checkpoint=path)
    assert first.ok and first.calls == 2
    codes = sandbox.server.service.store.count('referral')
    # As if the process had died before recording the second chunk: drop its line.
    with open(path) as handle:
        lines = handle.read().splitlines(True)
    with open(path, 'w') as handle:
        handle.writelines(lines[:-1])
    second = bulk.referrals.create(client, 45, advocates, usage_limit=1, chunk_size=2,
                                   checkpoint=path)
    assert second.ok and second.skipped == 2 and second.sent == 2
    assert sandbox.server.service.store.count('referral') == codes      # no second code
    keys = [e['requestHeaders'].get('idempotency-key')
            for e in sent(sandbox, 'POST', '/v1/referrals_for_multiple_advocates')]
    assert len(keys) == 3 and keys[1] == keys[2] != keys[0] and keys[0].startswith(
        'talon-one-bulk-')
    without = bulk.referrals.create(client, 45, advocates[:1], usage_limit=1)
    assert without.ok
    assert sent(sandbox, 'POST', '/v1/referrals_for_multiple_advocates')[-1][
        'requestHeaders'].get('idempotency-key') is None


def test_a_catalog_chunk_resent_after_a_crash_is_not_refused_by_its_version(sandbox, client,
                                                                            tmp_path):
    path = str(tmp_path / 'catalog.ckpt')
    actions = [{'type': 'PATCH', 'payload': {'sku': 'SOCKS-01', 'price': 3}},
               {'type': 'REMOVE', 'payload': {'sku': 'COFFEE-01'}}]
    assert bulk.catalogs.sync(client, CATALOG, actions, version=1, checkpoint=path).ok
    with open(path) as handle:
        lines = handle.read().splitlines(True)
    with open(path, 'w') as handle:
        handle.writelines(lines[:-1])              # the REMOVE chunk was in flight
    again = bulk.catalogs.sync(client, CATALOG, actions, version=1, checkpoint=path)
    assert again.ok and again.skipped == 1 and again.accepted == 1
    assert _catalog(sandbox)['version'] == 3
