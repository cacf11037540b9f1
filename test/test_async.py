"""async_req=True: results, errors, the lazy daemon thread pool and process exit."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

from support import Reply
from talon_one._async import AsyncResult, DaemonThreadPool
from talon_one.exceptions import NotFoundException

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_async_call_returns_a_result(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {'async': True})
    result = client.call_api('/v2/customer_sessions/{id}', 'GET', {'id': '175KJPS947296'},
                             response_type='object', async_req=True,
                             _return_http_data_only=True)
    assert result.get(timeout=30) == {'async': True}
    assert result.ready() and result.successful()
    result.wait(1)  # already finished: returns at once
    assert http_server.last_request.path == '/v2/customer_sessions/175KJPS947296'


def test_async_call_with_http_info(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(201, {'id': 1})
    data, status, headers = client.call_api('/v2/audiences', 'POST', body={'name': 'a'},
                                            response_type={201: 'object'},
                                            async_req=True).get(30)
    assert (data, status, headers['Content-Type']) == ({'id': 1}, 201, 'application/json')


def test_async_errors_are_raised_by_get(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(404, {'message': 'Session not found'})
    result = client.call_api('/x', 'GET', async_req=True)
    with pytest.raises(NotFoundException, match='Session not found'):
        result.get(30)
    assert result.ready() and not result.successful()


def test_get_timeout_and_unfinished_result(make_api_client, http_server):
    client = make_api_client()
    http_server.hang()
    result = client.call_api('/never', 'GET', async_req=True)
    assert http_server.wait_for_requests(1)
    assert not result.ready()
    with pytest.raises(ValueError, match='not finished'):
        result.successful()
    with pytest.raises(TimeoutError):
        result.get(timeout=0.1)
    result.wait(0.05)
    assert not result.ready()


def test_pool_is_created_lazily_and_closed(make_api_client, http_server):
    client = make_api_client()
    assert client._pool is None
    http_server.respond(200, {})
    client.call_api('/sync', 'GET')
    assert client._pool is None
    http_server.respond(200, {'n': 1})
    assert client.call_api('/a', 'GET', response_type='object', async_req=True,
                           _return_http_data_only=True).get(30) == {'n': 1}
    pool = client.pool
    assert pool is client.pool
    client.close()
    assert pool.closed and client._pool is None
    # The client stays usable after close(): a new pool is made on demand.
    http_server.respond(200, {'n': 2})
    assert client.call_api('/b', 'GET', response_type='object', async_req=True,
                           _return_http_data_only=True).get(30) == {'n': 2}


def test_pool_threads_run_calls_concurrently(make_api_client, http_server):
    client = make_api_client(pool_threads=3)
    barrier = threading.Barrier(3, timeout=20)

    def all_three_at_once(request):
        barrier.wait()  # breaks (and the test fails) unless 3 requests are in flight
        return Reply(200, {'path': request.path})

    http_server.handler = all_three_at_once
    results = [client.call_api('/c%d' % n, 'GET', response_type='object', async_req=True,
                               _return_http_data_only=True) for n in range(3)]
    assert [r.get(30) for r in results] == [{'path': '/c0'}, {'path': '/c1'}, {'path': '/c2'}]
    assert len(client.pool._threads) == 3


def test_single_thread_pool_runs_calls_in_order(make_api_client, http_server):
    client = make_api_client(pool_threads=1)
    http_server.handler = lambda request: Reply(200, {'path': request.path})
    results = [client.call_api('/s%d' % n, 'GET', response_type='object', async_req=True,
                               _return_http_data_only=True) for n in range(4)]
    assert [r.get(30)['path'] for r in results] == ['/s0', '/s1', '/s2', '/s3']
    assert [r.path for r in http_server.requests] == ['/s0', '/s1', '/s2', '/s3']
    assert len(client.pool._threads) == 1


def test_daemon_pool_unit_behaviour():
    pool = DaemonThreadPool(2)
    ok = pool.apply_async(lambda a, b=0: a + b, (1,), {'b': 2})
    boom = pool.apply_async(lambda: 1 / 0)
    assert ok.get(10) == 3
    with pytest.raises(ZeroDivisionError):
        boom.get(10)
    assert all(thread.daemon for thread in pool._threads)
    pool.close()
    pool.join(10)
    assert not any(thread.is_alive() for thread in pool._threads)
    with pytest.raises(RuntimeError, match='closed'):
        pool.apply_async(print)
    with pytest.raises(ValueError, match='pool_threads'):
        DaemonThreadPool(0)
    assert isinstance(ok, AsyncResult)


@pytest.mark.parametrize('close_style', ['no close', 'context manager'])
def test_pending_async_request_does_not_keep_the_process_alive(http_server, close_style):
    def never_answer_then_confirm(request):
        if request.path == '/never':
            return Reply(delay=None, drop=True)  # held until the server stops
        # '/ping' is answered once '/never' is in flight, so the subprocess exits
        # with its async request provably pending.
        arrived = http_server.wait_for(
            lambda requests: any(r.path == '/never' for r in requests), timeout=30)
        return Reply(200 if arrived else 500, {})

    http_server.handler = never_answer_then_confirm
    fire = """
        result = client.call_api('/never', 'GET', async_req=True)
        client.call_api('/ping', 'GET')
    """
    if close_style == 'context manager':
        body = 'with ApiClient(config) as client:\n' + textwrap.indent(
            textwrap.dedent(fire), '    ')
    else:
        body = 'client = ApiClient(config)\n' + textwrap.dedent(fire)
    script = textwrap.dedent("""
        import sys
        from talon_one.api_client import ApiClient
        from talon_one.configuration import Configuration
        config = Configuration(host=%r, timeout=(30, 300), max_retries=0)
    """) % http_server.url + body + textwrap.dedent("""
        assert not result.ready()
        assert 'multiprocessing' not in sys.modules
        print('fired')
    """)
    env = dict(os.environ, PYTHONPATH=REPO_ROOT)
    # The child checks what it imported: not measured by coverage, which imports
    # multiprocessing itself.
    env.pop('COVERAGE_PROCESS_CONFIG', None)
    finished = subprocess.run([sys.executable, '-c', script], cwd=REPO_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == 'fired'
    assert [r.path for r in http_server.requests] in (['/never', '/ping'],
                                                      ['/ping', '/never'])
