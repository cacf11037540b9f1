"""The demo runs end to end through the SDK and prints a readable summary.

The ``talon_sandbox`` fixture comes from the plugin registered in test/conftest.py.
"""

import io
import os
import re
import signal
import subprocess
import sys

import pytest

import talon_one

from .http_client import Client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_demo_walks_the_whole_flow():
    from talon_one.sandbox import demo
    out = io.StringIO()
    assert demo.main([], out=out) == 0
    text = out.getvalue()
    assert 'coupon XMAS-20-2021 accepted' in text
    assert 'discount Christmas 20%' in text
    assert 'discount Free shipping          -4.95 on shipping' in text
    # 233.43 - 45.70 (coupon) - 20.00 (shoes) - 4.95 (shipping, free from 150)
    assert '=> the customer pays 162.78' in text
    assert 'session state: closed' in text
    assert 'coupon XMAS-20-2021 used 1 time(s)' in text
    assert '+15 points Review bonus' in text
    assert 'session state: partially_returned' in text
    assert 'rollbackAddedLoyaltyPoints' in text
    assert 'Shop points: active 27.85' in text
    assert re.search(r'^Inspector page \(asks for the API key\): '
                     r'http://127\.0\.0\.1:\d+/_sandbox/ ', text, re.M)


def test_demo_can_keep_serving_for_the_inspector():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    process = subprocess.Popen([sys.executable, '-m', 'talon_one.sandbox.demo', '--keep-running'],
                               stdout=subprocess.PIPE, text=True, env=env)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith('Serving until Ctrl+C'):
                break
        url = re.search(r'(http://\S+/_sandbox/)', ''.join(lines)).group(1)
        page = Client(url.rsplit('/_sandbox/', 1)[0], 'sandbox-api-key').get('/_sandbox/')
        assert page.status == 200 and b'DEMO-ORDER-1' in page.raw
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_pytest_fixture_gives_a_ready_configuration(talon_sandbox):
    api = talon_one.IntegrationApi(talon_one.ApiClient(talon_sandbox.configuration()))
    balances = api.get_loyalty_balances(125, 'URNGV8294NV')
    assert balances.balance.active_points == 180
    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_session('NO-SUCH-SESSION')


def test_configuration_overrides_win(talon_sandbox):
    config = talon_sandbox.configuration(api_key={'Authorization': 'other-key'},
                                         host='http://127.0.0.1:1')
    assert config.api_key == {'Authorization': 'other-key'}
    assert config.host == 'http://127.0.0.1:1'
    default = talon_sandbox.configuration()
    assert default.host == talon_sandbox.url
    assert default.api_key == {'Authorization': talon_sandbox.api_key}


def test_world_doc_says_dry_events_need_silent_no(talon_sandbox):
    import os
    from talon_one import sandbox
    with open(os.path.join(os.path.dirname(sandbox.__file__), 'WORLD.md')) as handle:
        text = handle.read()
    assert 'dry=true&silent=no' in text
    client = Client(talon_sandbox.url, talon_sandbox.api_key)
    silent = client.post('/v2/events', {'type': 'review_written', 'profileId': 'P1'},
                         query={'dry': 'true'})
    shown = client.post('/v2/events', {'type': 'review_written', 'profileId': 'P1'},
                        query={'dry': 'true', 'silent': 'no'})
    assert silent.status == 204 and silent.body is None
    assert shown.status == 200 and shown.body['effects']
