"""talon_one.bulk's asyncio variant (``*_async``, ``talon_one.bulk.aiorunner``) through the
asyncio client against the sandbox, in memory and with ``--db``: what it sent (the sandbox's
request log), what it stored, what it reported; the per-id exclusion, the pace and the
checkpoint of the thread runner, with tasks."""

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest

pytest.importorskip('aiohttp')

import talon_one
from talon_one import bulk

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERLIN = 4               # an empty audience of the example world
PROFILES = '/v2/customer_profiles'


@pytest.fixture
def sandbox(sandbox_memory_and_db):
    return sandbox_memory_and_db


def arun(sandbox, job, **options):
    """``await job(api)`` on a fresh event loop with an ``AsyncIntegrationApi``."""
    async def go():
        async with talon_one.AsyncApiClient(sandbox.configuration(**options)) as client:
            return await job(talon_one.AsyncIntegrationApi(client))
    return asyncio.run(go())


def state(sandbox, kind, key):
    return sandbox.server.service.store.get(kind, key)


def sent(sandbox, method='PUT', path=PROFILES):
    return [entry for entry in sandbox.requests
            if entry['method'] == method and entry['path'] == path]


def profiles(count, start=0, **attributes):
    return [{'integrationId': 'bulk-%05d' % i, 'attributes': dict(attributes, n=i)}
            for i in range(start, start + count)]


class Recording(talon_one.AsyncIntegrationApi):
    """The sandbox's API, recording when each profiles request starts and which profiles
    are being updated at the same moment (the sandbox answers after its delay faults)."""

    def __init__(self, client):
        super().__init__(client)
        self.active = set()
        self.overlaps = []
        self.in_flight = self.peak = 0
        self.times = []

    async def update_customer_profiles_v2(self, body, **kwargs):
        ids = {p['integrationId'] if isinstance(p, dict) else p.integration_id
               for p in body.customer_profiles}
        self.times.append(time.monotonic())
        if self.active & ids:
            self.overlaps.append(self.active & ids)
        self.active |= ids
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await super().update_customer_profiles_v2(body, **kwargs)
        finally:
            self.active -= ids
            self.in_flight -= 1


def recorded(sandbox, job):
    async def go():
        async with talon_one.AsyncApiClient(sandbox.configuration()) as client:
            api = Recording(client)
            return api, await job(api)
    return asyncio.run(go())


def test_profiles_update_async_stores_every_profile_in_chunks_with_four_tasks(sandbox):
    progress = []
    report = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, iter(profiles(3000, tier='gold')), chunk_size=250, concurrency=4,
        progress=lambda done, total: progress.append(done), total=3000))
    assert isinstance(report, bulk.BulkReport)
    assert (report.records, report.sent, report.accepted) == (3000, 3000, 3000)
    assert report.ok and report.calls == report.chunks == 12 and report.failures == []
    calls = sent(sandbox)
    assert [entry['status'] for entry in calls] == [204] * 12
    assert all(state(sandbox, 'profile', 'bulk-%05d' % i)['attributes'] == {'tier': 'gold', 'n': i}
               for i in range(3000))
    assert progress[-1] == 3000 and progress == sorted(progress)


def test_an_async_api_client_is_a_client_too(sandbox):
    async def go():
        async with talon_one.AsyncApiClient(sandbox.configuration()) as client:
            return await bulk.audiences.add_members_async(client, BERLIN, ['URNGV8294NV'])
    assert asyncio.run(go()).accepted == 1
    assert state(sandbox, 'audience', BERLIN)['members'] == ['URNGV8294NV']


def test_invalid_records_are_reported_not_sent(sandbox):
    records = profiles(5)
    records[1] = {'integrationId': '', 'attributes': {}}
    records[3] = {'integrationId': 'x' * 1001}
    records.append({'integrationId': 'ok-2', 'attribute': {'typo': 1}})
    report = arun(sandbox, lambda api: bulk.profiles.update_async(api, records))
    assert (report.records, report.sent, report.accepted, report.invalid) == (6, 3, 3, 3)
    assert [(f.index, f.stage) for f in report.failures] == [
        (1, 'validation'), (3, 'validation'), (5, 'validation')]
    [body] = [entry['requestBody'] for entry in sent(sandbox)]
    assert [p['integrationId'] for p in body['customerProfiles']] == [
        'bulk-00000', 'bulk-00002', 'bulk-00004']
    assert not report.ok


def test_a_checkpoint_rerun_skips_the_finished_chunks(sandbox, tmp_path):
    path = str(tmp_path / 'import.ckpt')
    records = profiles(250)
    first = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, records[:150], chunk_size=50, checkpoint=path))
    assert first.accepted == 150 and len(sent(sandbox)) == 3
    second = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, records, chunk_size=50, checkpoint=path))
    assert second.skipped == second.accepted_earlier == 150
    assert second.sent == second.accepted == 100 and second.calls == 2
    bodies = [entry['requestBody'] for entry in sent(sandbox)][3:]
    assert sorted(b['customerProfiles'][0]['integrationId'] for b in bodies) == [
        'bulk-00150', 'bulk-00200']
    third = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, records, chunk_size=50, checkpoint=path))
    assert third.calls == 0 and third.skipped == 250 and third.ok
    with pytest.raises(bulk.CheckpointError, match='input differs'):
        arun(sandbox, lambda api: bulk.profiles.update_async(
            api, profiles(250, start=1), chunk_size=50, checkpoint=path))


def test_a_cancelled_run_finishes_and_records_its_chunks_in_flight(sandbox, tmp_path):
    path = str(tmp_path / 'import.ckpt')
    records = profiles(400)
    sandbox.inject_fault('PUT', PROFILES, delay=0.3, times=100)

    async def cancelled(api):
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.15):
                await bulk.profiles.update_async(api, records, chunk_size=50, concurrency=2,
                                                 checkpoint=path)
    arun(sandbox, cancelled)
    first = len(sent(sandbox))
    assert first == 2                     # the two in flight were answered, not dropped
    sandbox.clear_faults()
    report = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, records, chunk_size=50, checkpoint=path))
    assert report.skipped == 100 and report.sent == 300 and report.ok
    assert len(sent(sandbox)) == first + 6


def test_two_chunks_never_touch_one_profile_at_once(sandbox):
    ids = ['u%d' % i for i in range(120)]
    for position in (2, 7, 17, 33, 34, 90):             # chunks 0, 1, 3, 6, 6, 18
        ids[position] = 'shared'
    records = [{'integrationId': one, 'attributes': {'seq': n}} for n, one in enumerate(ids)]
    sandbox.inject_fault('PUT', PROFILES, delay=0.02, times=1000)
    api, report = recorded(sandbox, lambda api: bulk.profiles.update_async(
        api, records, chunk_size=5, concurrency=4))
    assert report.ok and report.calls == 24 and len(sent(sandbox)) == 24
    assert api.overlaps == [] and 2 <= api.peak <= 4
    order = [[p['integrationId'] for p in entry['requestBody']['customerProfiles']]
             for entry in sent(sandbox)]
    assert sum('shared' in chunk for chunk in order) == 5
    # 'shared' is updated in input order: its last value is the last record's.
    assert state(sandbox, 'profile', 'shared')['attributes'] == {'seq': 90}

    sandbox.clear_requests()
    same = [{'integrationId': 'p%d' % (i % 7), 'attributes': {'seq': i}} for i in range(60)]
    api, report = recorded(sandbox, lambda api: bulk.profiles.update_async(
        api, same, chunk_size=5, concurrency=4))
    assert api.overlaps == [] and api.peak == 1          # every chunk overlaps the next one
    assert [p['integrationId'] for entry in sent(sandbox)
            for p in entry['requestBody']['customerProfiles']] == [
        r['integrationId'] for r in same]


def test_concurrency_bounds_the_tasks(sandbox):
    sandbox.inject_fault('PUT', PROFILES, delay=0.02, times=1000)
    api, report = recorded(sandbox, lambda api: bulk.profiles.update_async(
        api, profiles(200), chunk_size=10, concurrency=3))
    assert report.ok and report.calls == 20 and api.peak == 3
    api, _ = recorded(sandbox, lambda api: bulk.profiles.update_async(
        api, profiles(50), chunk_size=10, concurrency=1))
    assert api.peak == 1


def test_the_rate_limit_paces_the_calls(sandbox):
    started = time.monotonic()
    api, report = recorded(sandbox, lambda api: bulk.profiles.update_async(
        api, profiles(60), chunk_size=10, concurrency=4, max_calls_per_second=20))
    assert report.ok and report.calls == 6 and len(sent(sandbox)) == 6
    # The k-th call starts no earlier than k / 20 s after the first slot.
    for k, moment in enumerate(sorted(api.times)):
        assert moment - started >= k / 20 - 0.005
    assert time.monotonic() - started >= 5 / 20 - 0.005


def test_dry_run_and_options(sandbox):
    report = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, profiles(1500) + [{'integrationId': ''}], dry_run=True))
    assert report.dry_run and report.sent == 0 and report.chunks == 2 and report.invalid == 1
    assert sent(sandbox) == []
    with pytest.raises(ValueError, match='concurrency'):
        arun(sandbox, lambda api: bulk.profiles.update_async(api, [], concurrency=0))


def test_the_other_operations_have_async_variants(sandbox):
    async def job(api):
        deleted = await bulk.profiles.delete_customer_data_async(
            api, ['nobody'], missing_ok=True)
        changes = await bulk.profiles.update_audiences_async(
            api, [{'profileIntegrationId': 'URNGV8294NV', 'audienceId': BERLIN,
                   'action': 'add'}])
        removed = await bulk.audiences.remove_members_async(api, BERLIN, ['URNGV8294NV'])
        return deleted, changes, removed
    deleted, changes, removed = arun(sandbox, job)
    assert deleted.ok and changes.accepted == 1 and removed.accepted == 1
    assert state(sandbox, 'audience', BERLIN)['members'] == []
    for module, name in ((bulk.catalogs, 'sync_async'), (bulk.referrals, 'create_async'),
                         (bulk.audiences, 'update_attributes_async')):
        assert asyncio.iscoroutinefunction(getattr(module, name))


def test_import_talon_one_and_talon_one_bulk_do_not_import_aiohttp():
    probe = ('import sys, talon_one, talon_one.bulk\n'
             'talon_one.bulk.profiles.update_async\n'
             'import talon_one.bulk.aiorunner\n'
             'import json\n'
             'print(json.dumps(sorted(m for m in sys.modules '
             'if m.split(".")[0] == "aiohttp" or m == "talon_one.aio")))')
    result = subprocess.run([sys.executable, '-c', probe], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_a_keyboard_interrupt_in_the_input_ends_the_run_with_bulk_interrupted(sandbox,
                                                                              tmp_path):
    path = str(tmp_path / 'import.ckpt')
    records = profiles(250)

    def interrupted_after(count):
        yield from records[:count]
        raise KeyboardInterrupt

    with pytest.raises(bulk.BulkInterrupted) as stop:
        arun(sandbox, lambda api: bulk.profiles.update_async(
            api, interrupted_after(120), chunk_size=50, checkpoint=path))
    first = stop.value.report
    assert first.interrupted and first.chunks == 2 and first.accepted == 100
    second = arun(sandbox, lambda api: bulk.profiles.update_async(
        api, records, chunk_size=50, checkpoint=path))
    assert second.skipped == 100 and second.accepted == 150 and second.ok


def test_the_readme_async_bulk_example_runs_against_the_sandbox(sandbox, tmp_path, capsys):
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    section = readme.split('\n## Bulk imports\n', 1)[1].split('\n## ', 1)[0]
    [code] = [block for block in (part.split('```', 1)[0]
                                  for part in section.split('```python\n')[1:])
              if 'update_async' in block]
    code = (code.replace('https://yourbaseurl.talon.one', sandbox.url)
            .replace('YOUR_API_KEY', sandbox.api_key)
            .replace('"customers-async.ckpt"', repr(str(tmp_path / 'customers-async.ckpt')))
            .replace('range(25000)', 'range(2500)'))
    exec(compile(code, 'README.md (Bulk imports, asyncio)', 'exec'), {'__name__': 'readme'})
    assert '2500 accepted' in capsys.readouterr().out
    assert len(sent(sandbox)) == 3
