"""The README's "Hooks and tracing" examples run against the sandbox (in a fresh process)."""

import pytest

from talon_one.sandbox import Sandbox

from test_readme import (BLOCKS, PLACEHOLDER_HOST, PLACEHOLDER_KEY, report,
                         run_python)

SECTION = 'Hooks and tracing'


def _blocks():
    found = [code for title, language, code in BLOCKS
             if title == SECTION and language == 'python']
    assert len(found) == 2, found
    return found


def _live(code, sandbox):
    return code.replace(PLACEHOLDER_HOST, sandbox.url).replace(PLACEHOLDER_KEY, sandbox.api_key)


def test_the_latency_histogram_counts_each_call():
    histogram_code, _ = _blocks()
    calls = ('\napi = talon_one.IntegrationApi(talon_one.ApiClient(configuration))\n'
             'for _ in range(3):\n'
             '    api.get_customer_session("175KJPS947296")\n'
             'print(sum(histogram["get_customer_session"]), len(BUCKETS))\n')
    with Sandbox() as sandbox:
        result = run_python(_live(histogram_code, sandbox) + calls)
    assert result.returncode == 0, report(result)
    assert result.stdout.split() == ['3', '7'], report(result)


def test_the_console_exporter_prints_the_two_spans():
    pytest.importorskip('opentelemetry.sdk.trace', reason='needs opentelemetry-sdk')
    _, console_code = _blocks()
    with Sandbox() as sandbox:
        result = run_python(_live(console_code, sandbox))
        key = sandbox.api_key
    assert result.returncode == 0, report(result)
    assert '"name": "talon_one.get_customer_session"' in result.stdout, report(result)
    assert '"name": "GET"' in result.stdout, report(result)
    assert '"talon_one.session_id": "175KJPS947296"' in result.stdout, report(result)
    assert key not in result.stdout
