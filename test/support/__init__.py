"""Helpers shared by the test suite (a real HTTP server for wire tests).

pytest puts ``test/`` on ``sys.path`` (rootdir conftest), so tests import this as
``support`` (``from support import Reply``); the fixtures live in ``test/conftest.py``.
"""

from .http_server import RecordedRequest, Reply, TestHTTPServer

# Credentials used by the fixtures (tests assert that they never leak).
TEST_API_KEY = 'test-secret-api-key-7f3a9c'
TEST_APPLICATION_ID = 17
TEST_APPLICATION_KEY = '5f1c9a2b7d3e4f60a1b2c3d4e5f60718'

__all__ = ['RecordedRequest', 'Reply', 'TestHTTPServer', 'TEST_API_KEY',
           'TEST_APPLICATION_ID', 'TEST_APPLICATION_KEY']
