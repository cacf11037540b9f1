"""TALON_ONE_LOG=debug|info|warning: the talon_one logger's level from the environment, and
stderr when no handler of the application would show the lines (each in a fresh process)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A GET that answers, then one the sandbox fails once with a 503 (a retry: a WARNING line).
_CALLS = r'''
import logging, sys
import talon_one
from talon_one.sandbox import Sandbox
%s
with Sandbox() as sandbox:
    api = talon_one.IntegrationApi(talon_one.ApiClient(sandbox.configuration(
        retry_backoff_factor=0.001)))
    api.get_customer_session('175KJPS947296')
    with sandbox.inject_fault('GET', '/v2/customer_sessions/*', status=503, retry_after=0):
        api.get_customer_session('175KJPS947296')
print('level', logging.getLogger('talon_one').level)
'''


def _run(value, setup=''):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('TALON_ONE_LOG', None)
    if value is not None:
        env['TALON_ONE_LOG'] = value
    result = subprocess.run([sys.executable, '-c', _CALLS % setup], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True, timeout=60)
    return result.stdout, result.stderr


def _lines(stderr, level):
    return [line for line in stderr.splitlines() if (' %s talon_one ' % level) in line]


def test_debug_shows_every_request_and_the_retry_on_stderr():
    stdout, stderr = _run('debug')
    requests = _lines(stderr, 'DEBUG')
    assert len(requests) == 3, stderr
    assert 'GET http://127.0.0.1:' in requests[0] and '-> 200' in requests[0]
    assert '-> 503' in requests[1]
    assert len(_lines(stderr, 'WARNING')) == 1
    assert 'level 10' in stdout
    assert 'Authorization' not in stderr and 'ApiKey' not in stderr


@pytest.mark.parametrize('value, level', [('info', 20), ('WARNING', 30), (' Info ', 20)])
def test_info_and_warning_show_the_retry_but_not_the_requests(value, level):
    stdout, stderr = _run(value)
    assert _lines(stderr, 'DEBUG') == []
    assert len(_lines(stderr, 'WARNING')) == 1
    assert 'Retrying GET' in stderr
    assert 'level %d' % level in stdout


def test_unset_shows_nothing():
    stdout, stderr = _run(None)
    assert stderr == ''
    assert 'level 0' in stdout


def test_a_handler_of_the_application_shows_each_line_once():
    # logging.basicConfig after the import: its handler shows the lines; ours stays quiet.
    setup = "logging.basicConfig(stream=sys.stderr, format='APP %(levelname)s %(message)s')"
    _, stderr = _run('debug', setup)
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 4, stderr
    assert all(line.startswith('APP ') for line in lines)


def test_debug_true_adds_no_second_handler():
    setup = ("configuration = talon_one.Configuration(debug=True)\n"
             "assert configuration.logger_stream_handler is None")
    _, stderr = _run('debug', setup)
    assert len(_lines(stderr, 'DEBUG')) == 3


def test_an_unknown_value_is_reported_and_ignored():
    stdout, stderr = _run('verbose')
    assert stderr.splitlines() == [
        "talon_one: TALON_ONE_LOG='verbose' is not one of debug, info, warning; ignored"]
    assert 'level 0' in stdout


def test_apply_in_process(monkeypatch, capsys):
    """The same function, on a logger of its own (for coverage in this process)."""
    import logging

    from talon_one import _log_env

    target = logging.getLogger('talon_one_log_env_probe')
    target.propagate = False
    monkeypatch.delenv('TALON_ONE_LOG', raising=False)
    assert _log_env.apply(target) is None
    monkeypatch.setenv('TALON_ONE_LOG', 'nonsense')
    assert _log_env.apply(target) is None
    assert 'ignored' in capsys.readouterr().err
    monkeypatch.setenv('TALON_ONE_LOG', 'info')
    handler = _log_env.apply(target)
    try:
        assert isinstance(handler, _log_env.FallbackHandler)
        assert target.level == logging.INFO
        target.info('shown by the fallback')
        with open(os.devnull, 'w') as sink:
            other = logging.StreamHandler(sink)
            target.addHandler(other)
            target.info('shown by the other handler only')
            target.removeHandler(other)
    finally:
        target.removeHandler(handler)
    err = capsys.readouterr().err
    assert 'shown by the fallback' in err and 'other handler only' not in err
