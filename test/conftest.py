"""Shared fixtures: a real HTTP server, clients pointed at it, and clean global state.

- ``http_server``: a started ``support.TestHTTPServer`` (see test/support/http_server.py);
  ``https_server``: the same over TLS with a self-signed certificate.
- ``make_api_client(**configuration_kwargs)``: an ApiClient for ``http_server`` with a test
  API key and tiny retry backoff; closed after the test.
- ``retry_sleeps``: the waits the retry policy asked for (nothing actually sleeps).
- ``sandbox_memory_and_db``: a sandbox in memory and, as a second run, with ``--db``.
- ``self_signed``: (certificate path, server SSLContext) for 127.0.0.1, made with openssl.
- ``talon_sandbox``: the local sandbox (talon_one.sandbox.pytest_plugin), as users enable it.
"""

import logging
import shutil
import ssl
import subprocess

import pytest

from support import TEST_API_KEY, TestHTTPServer

pytest_plugins = ['talon_one.sandbox.pytest_plugin']


@pytest.fixture(scope='module')
def self_signed(tmp_path_factory):
    """A certificate for 127.0.0.1 made with the openssl command line tool."""
    openssl = shutil.which('openssl')
    if openssl is None:
        pytest.skip('the openssl command is not installed, so no certificate can be made '
                    '(the Python standard library cannot create one)')
    folder = tmp_path_factory.mktemp('tls')
    cert, key = str(folder / 'cert.pem'), str(folder / 'key.pem')
    subprocess.run([openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
                    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
                    '-keyout', key, '-out', cert], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


@pytest.fixture(params=['memory', 'db'])
def sandbox_memory_and_db(request, tmp_path):
    """A sandbox of the example world in memory, then one that keeps its state in a SQLite
    file (``--db``): a test that takes it runs once with each."""
    from talon_one.sandbox import Sandbox
    db = str(tmp_path / 'sandbox.sqlite3') if request.param == 'db' else None
    with Sandbox(db=db) as running:
        yield running


@pytest.fixture
def http_server():
    with TestHTTPServer() as server:
        yield server


@pytest.fixture
def https_server():
    """Like ``http_server`` but over TLS; trust ``https_server.ca_cert_path`` to verify it."""
    with TestHTTPServer(tls=True) as server:
        yield server


@pytest.fixture
def make_api_client(http_server):
    from talon_one.api_client import ApiClient
    from talon_one.configuration import Configuration

    clients = []

    def make(pool_threads=1, **configuration_kwargs):
        settings = {
            'host': http_server.url,
            'api_key': {'Authorization': TEST_API_KEY},
            'timeout': (5.0, 10.0),
            'retry_backoff_factor': 0.001,
            'retry_max_backoff': 0.01,
        }
        settings.update(configuration_kwargs)
        client = ApiClient(Configuration(**settings), pool_threads=pool_threads)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def retry_sleeps(monkeypatch):
    from talon_one import _retry as retry

    waits = []
    monkeypatch.setattr(retry, 'sleep', waits.append)
    return waits


@pytest.fixture(autouse=True)
def _restore_talon_one_globals():
    """Undo changes to the shared default Configuration and the ``talon_one`` logger."""
    from talon_one.configuration import Configuration

    package_logger = logging.getLogger('talon_one')
    level = package_logger.level
    handlers = list(package_logger.handlers)
    default = Configuration._default
    yield
    Configuration._default = default
    package_logger.setLevel(level)
    for handler in list(package_logger.handlers):
        if handler not in handlers:
            package_logger.removeHandler(handler)
            handler.close()


@pytest.fixture
def no_gc_pause():
    """For tests that time a call against its limit: collect the test process's garbage
    first and not during the call, so a full collection (a pytest process holds a lot, and
    a busy machine makes it slower) is not counted as the SDK's time."""
    import gc

    gc.collect()
    gc.disable()
    yield
    gc.enable()
