"""Helpers shared by the test suite (a real HTTP server for wire tests).

pytest puts ``test/`` on ``sys.path`` (rootdir conftest), so tests import this as
``support`` (``from support import Reply``); the fixtures live in ``test/conftest.py``.
"""

import os

import pytest

from .http_server import RecordedRequest, Reply, TestHTTPServer

# The API spec and the official SDK's usage documents sit beside the checkout in
# ../shared; they are inputs, not part of the package, so a plain clone may lack them.
SHARED_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared'))


def require_shared(*parts):
    """Path of a file under ../shared; skips the calling test when the file is absent."""
    path = os.path.join(SHARED_DIR, *parts)
    if not os.path.exists(path):
        pytest.skip('needs %s (the spec and seeds are not shipped with the SDK)' % path)
    return path

# Credentials used by the fixtures (tests assert that they never leak).
TEST_API_KEY = 'test-secret-api-key-7f3a9c'
TEST_APPLICATION_ID = 17
TEST_APPLICATION_KEY = '5f1c9a2b7d3e4f60a1b2c3d4e5f60718'

__all__ = ['RecordedRequest', 'Reply', 'TestHTTPServer', 'SHARED_DIR', 'require_shared',
           'TEST_API_KEY',
           'TEST_APPLICATION_ID', 'TEST_APPLICATION_KEY']
