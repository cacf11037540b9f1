import pytest

from talon_one.sandbox import Sandbox

from .http_client import Client


@pytest.fixture
def sandbox():
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox):
    return Client(sandbox.url, sandbox.api_key)
