"""The ``talon-one`` command end to end: real subprocesses against the sandbox (in memory
and with ``--db``), reading the files in test/data/; what they sent is read from the
sandbox's request log, what they changed from its state. Includes a run killed with
SIGKILL and resumed from its checkpoint, and bad files (in-process, for speed)."""

import collections
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from talon_one.cli import main
from talon_one.sandbox import Sandbox

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'test', 'data')


def data(name):
    return os.path.join(DATA, name)


@pytest.fixture
def sandbox(sandbox_memory_and_db):
    return sandbox_memory_and_db


def environment(sandbox=None):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('TALON_ONE_HOST', None)
    env.pop('TALON_ONE_API_KEY', None)
    if sandbox is not None:
        env.update(TALON_ONE_HOST=sandbox.url, TALON_ONE_API_KEY=sandbox.api_key)
    return env


def talon_one(sandbox, *args, cwd=None):
    """Run ``python -m talon_one ARGS``; return (exit status, stdout, stderr)."""
    result = subprocess.run([sys.executable, '-m', 'talon_one', *args], cwd=cwd or ROOT,
                            env=environment(sandbox), capture_output=True, text=True,
                            timeout=120)
    assert 'Traceback' not in result.stderr, result.stderr
    if sandbox is not None:
        assert sandbox.api_key not in result.stdout + result.stderr
    return result.returncode, result.stdout, result.stderr


def state(sandbox, kind, key):
    return sandbox.server.service.store.get(kind, key)


def sent(sandbox, method, path):
    return [entry for entry in sandbox.requests
            if entry['method'] == method and entry['path'] == path]


def test_profiles_update_from_csv(sandbox, tmp_path):
    status, out, err = talon_one(sandbox, 'profiles', 'update', data('bulk_profiles.csv'))
    assert status == 0, err
    assert 'profiles.update: 3 records read, 3 sent, 3 accepted, 0 failed' in out
    assert state(sandbox, 'profile', 'CLI-0001')['attributes'] == {
        'Name': 'Ada', 'age': 36, 'vip': True, 'tags': ['a']}
    assert state(sandbox, 'profile', 'CLI-0002')['attributes'] == {'Name': 'Grace', 'vip': False}
    assert state(sandbox, 'profile', 'CLI-0003')['attributes'] == {
        'Name': 'Linus', 'age': 54, 'tags': {'x': 1}}


def test_profiles_update_from_json_lines_with_a_report(sandbox, tmp_path):
    report = tmp_path / 'failures.jsonl'
    status, out, _err = talon_one(sandbox, 'profiles', 'update', data('bulk_profiles.jsonl'),
                                 '--report', str(report))
    assert status == 1
    assert '4 records read, 2 sent, 2 accepted, 2 failed (2 invalid, not sent)' in out
    assert '2 failures written to %s' % report in out
    failures = [json.loads(line) for line in report.read_text().splitlines()]
    assert [(f['line'], f['stage']) for f in failures] == [(4, 'validation'), (5, 'input')]
    assert "unknown field 'extra'" in failures[0]['message']
    assert 'JSON object is expected' in failures[1]['message']
    assert state(sandbox, 'audience', 4)['members'] == ['CLI-J-1']
    assert 'URNGV8294NV' not in state(sandbox, 'audience', 2)['members']


def test_catalog_sync_from_csv(sandbox):
    status, out, err = talon_one(sandbox, 'catalog', 'sync', '6', data('bulk_catalog.csv'),
                                 '--version', '1')
    assert status == 1
    assert '5 records read, 5 sent, 4 accepted, 1 failed' in out
    assert "line 6 (id NO-SUCH-SKU): (404)" in err
    items = state(sandbox, 'catalog', 6)['items']
    assert items['CLI-SKU-1']['price'] == 19.99 and items['CLI-SKU-1']['attributes'] == {
        'color': 'red'}
    assert items['SOCKS-01']['price'] == 12.5 and 'COFFEE-01' not in items
    bodies = [e['requestBody'] for e in sent(sandbox, 'PUT', '/v1/catalogs/6/sync')]
    assert [([a['type'] for a in b['actions']], b.get('version')) for b in bodies] == [
        (['ADD', 'ADD'], 1), (['PATCH'], 2), (['REMOVE'], 3),
        (['PATCH'], 4)]
    assert bodies[0]['actions'][0]['payload']['replaceIfExists'] is True


def test_audience_add_and_remove(sandbox):
    status, out, err = talon_one(sandbox, 'audience', 'add', '4', data('bulk_members.csv'))
    assert status == 1 and '4 records read, 4 sent, 3 accepted, 1 failed' in out
    assert 'line 4 (id NO-SUCH-PROFILE): (404)' in err
    assert sorted(state(sandbox, 'audience', 4)['members']) == [
        'BZGGC2454PA', 'R195412', 'URNGV8294NV']
    status, out, err = talon_one(sandbox, 'audience', 'remove', '4', data('bulk_members.csv'))
    assert status == 1 and state(sandbox, 'audience', 4)['members'] == []


def test_profiles_delete_and_dry_run(sandbox, tmp_path):
    ids = tmp_path / 'leavers.csv'
    ids.write_text('integrationId\nCLI-0001\nCLI-0003\n')
    talon_one(sandbox, 'profiles', 'update', data('bulk_profiles.csv'))
    before = len(sandbox.requests)
    status, out, err = talon_one(sandbox, 'profiles', 'delete', str(ids), '--dry-run')
    assert status == 0
    assert 'dry run: nothing was sent; 2 valid records would go in 1 requests' in out
    assert len(sandbox.requests) == before
    status, out, err = talon_one(sandbox, 'profiles', 'delete', str(ids))
    assert status == 0 and state(sandbox, 'profile', 'CLI-0001') is None
    assert state(sandbox, 'profile', 'CLI-0002') is not None
    status, out, err = talon_one(sandbox, 'profiles', 'delete', str(ids))
    assert status == 1 and '(404)' in err
    assert talon_one(sandbox, 'profiles', 'delete', str(ids), '--missing-ok')[0] == 0


def test_host_and_key_come_from_options_too(sandbox):
    result = subprocess.run(
        [sys.executable, '-m', 'talon_one', 'profiles', 'update', data('bulk_profiles.csv'),
         '--host', sandbox.url, '--api-key', sandbox.api_key], env=environment(),
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and sandbox.api_key not in result.stdout + result.stderr
    status, _out, err = talon_one(None, 'profiles', 'update', data('bulk_profiles.csv'))
    assert status == 2 and 'no API host' in err
    wrong = subprocess.run(
        [sys.executable, '-m', 'talon_one', 'audience', 'add', '4', data('bulk_members.csv'),
         '--host', sandbox.url, '--api-key', 'not-the-key-12345'], env=environment(),
        capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 1 and '(401)' in wrong.stderr
    assert 'not-the-key-12345' not in wrong.stdout + wrong.stderr


def test_help_has_an_example_per_subcommand():
    for command in (['profiles', 'update'], ['profiles', 'delete'], ['catalog', 'sync'],
                    ['audience', 'add'], ['audience', 'remove']):
        status, out, _err = talon_one(None, *command, '--help')
        assert status == 0 and 'example:' in out and '$ talon-one %s' % ' '.join(command) in out
    status, out, _ = talon_one(None, '--help')
    assert status == 0 and 'exit status' in out and 'TALON_ONE_API_KEY' in out
    assert talon_one(None, 'profiles')[0] == 2
    assert talon_one(None, 'catalog', 'sync', 'six', 'x.csv')[0] == 2
    assert talon_one(None, 'profiles', 'update', 'x.csv', '--concurrency', '0')[0] == 2


# ---------------------------------------------------------------- kill and resume

def _chunk_lines(path):
    try:
        with open(path) as handle:
            return max(len(handle.read().splitlines()) - 1, 0)
    except OSError:
        return 0


def test_a_run_killed_with_sigkill_resumes_losing_nothing_and_resending_only_the_in_flight_chunks(
        sandbox, tmp_path):
    source = data('bulk_profiles_2000.csv')
    with open(source) as handle:
        ids = [line.split(',')[0] for line in handle.read().splitlines()[1:]]
    checkpoint = str(tmp_path / 'import.ckpt')
    args = [sys.executable, '-m', 'talon_one', 'profiles', 'update', source, '--chunk-size', '20',
            '--concurrency', '2', '--checkpoint', checkpoint, '--no-progress']
    # Each update is applied at once but answered 0.15 s later: a chunk is in flight (done
    # by the server, not yet recorded by the client) nearly all the time.
    sandbox.inject_fault('PUT', '/v2/customer_profiles', delay=0.15, times=1000)
    process = subprocess.Popen(args, env=environment(sandbox), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _chunk_lines(checkpoint) < 15 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    time.sleep(0.3)                  # the answers the killed process never read
    sandbox.clear_faults()
    first_run = [entry['requestBody']['customerProfiles']
                 for entry in sent(sandbox, 'PUT', '/v2/customer_profiles')]
    recorded = _chunk_lines(checkpoint)
    assert 15 <= recorded < len(first_run) + 1 < 100      # killed mid-run

    status, out, err = talon_one(sandbox, 'profiles', 'update', source, '--chunk-size', '20',
                                 '--concurrency', '2', '--checkpoint', checkpoint,
                                 '--no-progress')
    assert status == 0, err
    assert 'records skipped: done by an earlier run' in out
    chunks = [[p['integrationId'] for p in body]
              for body in (entry['requestBody']['customerProfiles']
                           for entry in sent(sandbox, 'PUT', '/v2/customer_profiles'))]
    counts = collections.Counter(one for chunk in chunks for one in chunk)
    assert set(counts) == set(ids)                                    # nothing lost
    twice = {one for one, count in counts.items() if count > 1}
    assert all(counts[one] == 2 for one in twice)
    resent = [chunk for chunk in chunks[len(first_run):] if set(chunk) & twice]
    assert all(set(chunk) <= twice for chunk in resent)               # whole chunks only
    assert 1 <= len(resent) <= 2                                       # at most --concurrency
    assert len(twice) == 20 * len(resent)
    assert len(chunks) == 100 + len(resent)
    for one in (ids[0], ids[999], ids[-1]):
        assert state(sandbox, 'profile', one)['attributes']['Name'].startswith('Customer ')


def test_ctrl_c_finishes_the_chunks_in_flight_and_exits_130(tmp_path):
    with Sandbox() as sandbox:
        source = data('bulk_profiles_2000.csv')
        checkpoint = str(tmp_path / 'import.ckpt')
        sandbox.inject_fault('PUT', '/v2/customer_profiles', delay=0.1, times=1000)
        process = subprocess.Popen(
            [sys.executable, '-m', 'talon_one', 'profiles', 'update', source, '--chunk-size',
             '20', '--checkpoint', checkpoint, '--no-progress'], env=environment(sandbox),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while _chunk_lines(checkpoint) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert 'Traceback' not in err
        assert 'interrupted; run again with the same --checkpoint' in err
        assert 'interrupted before the end of the input' in out
        sent_before = len(sent(sandbox, 'PUT', '/v2/customer_profiles'))
        assert _chunk_lines(checkpoint) == sent_before      # every chunk sent was recorded
        sandbox.clear_faults()
        status, out, _ = talon_one(sandbox, 'profiles', 'update', source, '--chunk-size', '20',
                                   '--checkpoint', checkpoint, '--no-progress')
        assert status == 0
        assert len(sent(sandbox, 'PUT', '/v2/customer_profiles')) == 100   # none sent twice


# ---------------------------------------------------------------- bad files

def run_in_process(*args, env=None):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(args), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize('name, status, expected', [
    ('bulk_broken_row.csv', 1, [
        'line 3: 4 fields, but the header has 3 (integrationId, Name, age)',
        'line 4: not valid CSV: unexpected end of data (a quote that is never closed?)']),
    ('bulk_unknown_column.csv', 2, [
        "bulk_unknown_column.csv line 1: unknown column 'email': a profiles delete file has "
        "only the id column 'integrationId'"]),
    ('bulk_not_utf8.csv', 1, ['line 3: not UTF-8: byte 0xe9 at character 9']),
    ('bulk_empty.csv', 2, ['bulk_empty.csv line 1: the file is empty: a header row naming the '
                           'columns is expected']),
])
def test_bad_files_give_an_error_naming_the_line(name, status, expected):
    command = 'delete' if 'unknown_column' in name else 'update'
    got, out, err = run_in_process('profiles', command, data(name), '--dry-run', '--no-progress')
    assert got == status, (out, err)
    for text in expected:
        assert text in err
    assert 'Traceback' not in err


def test_bad_files_in_a_subprocess_never_show_a_traceback(tmp_path):
    for name in ('bulk_broken_row.csv', 'bulk_not_utf8.csv', 'bulk_empty.csv'):
        status, _, err = talon_one(None, 'profiles', 'update', data(name), '--dry-run')
        assert status in (1, 2) and 'line ' in err
    missing = str(tmp_path / 'missing.csv')
    status, _, err = talon_one(None, 'profiles', 'update', missing, '--dry-run')
    assert status == 2 and 'cannot be read' in err
    (tmp_path / 'noid.csv').write_text('id,Name\n1,Ada\n')
    status, _, err = talon_one(None, 'profiles', 'update', str(tmp_path / 'noid.csv'),
                                 '--dry-run')
    assert status == 2 and "no column 'integrationId' in the header row (columns: id, Name)" in err
    assert talon_one(None, 'profiles', 'update', str(tmp_path / 'noid.csv'), '--dry-run',
                     '--id-column', 'id')[0] == 0
    (tmp_path / 'types.csv').write_text('integrationId,age:float\n1,2\n')
    status, _, err = talon_one(None, 'profiles', 'update', str(tmp_path / 'types.csv'),
                                 '--dry-run')
    assert status == 2 and "column 'age': unknown type 'float'" in err
    (tmp_path / 'empty.jsonl').write_text('\n\n')
    status, _out, err = talon_one(None, 'audience', 'add', '4', str(tmp_path / 'empty.jsonl'),
                                 '--dry-run')
    assert status == 2 and 'empty.jsonl line 1: the file is empty' in err


# ---------------------------------------------------------------- README and packaging

def _readme_block(heading, language):
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('\n## %s\n' % heading, 1)[1].split('\n## ', 1)[0]
    return re.findall(r'```%s\n(.*?)\n```' % language, section, re.S)


def test_the_readme_example_runs_against_the_sandbox(tmp_path, monkeypatch):
    # (the asyncio example of the section runs in test_bulk_aio.py)
    (code,) = [block for block in _readme_block('Bulk imports', 'python')
               if 'update_async' not in block]
    monkeypatch.chdir(tmp_path)
    with Sandbox() as sandbox:
        code = code.replace('https://yourbaseurl.talon.one', sandbox.url).replace(
            'YOUR_API_KEY', sandbox.api_key)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, 'README.md', 'exec'), {'__name__': '__readme__'})
        assert state(sandbox, 'profile', 'CUST-24999')['attributes'] == {'Name': 'Customer 24999'}
    assert out.getvalue().startswith('profiles.update: 25000 records read, 25000 sent, 25000 '
                                     'accepted, 0 failed')
    assert (tmp_path / 'customers.ckpt').exists()


def test_the_readme_transcript_is_what_the_command_prints():
    (transcript,) = _readme_block('Bulk imports', 'text')
    assert '$ talon-one profiles update profiles.csv --dry-run' in transcript
    assert "failed: line 3: column 'age': 'forty' is not a number" in transcript
    assert 'records skipped: done by an earlier run' in transcript
    assert 'Traceback' not in transcript


def test_the_console_script_and_the_cli_extra_are_declared():
    with open(os.path.join(ROOT, 'setup.py'), encoding='utf-8') as handle:
        setup = handle.read()
    assert '"talon-one=talon_one.cli:run"' in setup and '"cli": ["tqdm>=4.40"]' in setup
    import talon_one.cli
    assert callable(talon_one.cli.run)
