"""pytest fixtures for the sandbox: ``talon_sandbox`` (isolated per test) and friends.

Enable them in your conftest.py::

    pytest_plugins = ["talon_one.sandbox.pytest_plugin"]

    def test_checkout(talon_sandbox):
        api = talon_one.IntegrationApi(talon_one.ApiClient(talon_sandbox.configuration()))

- ``talon_sandbox``: a running sandbox whose state is the world's seed at the start of each
  test (and whose request log is empty). One server per world is started for the whole run
  and reset before each test (a reset takes milliseconds, a start much longer).
- ``talon_sandbox_fresh``: a brand-new server for this test only, stopped afterwards.
- ``talon_sandbox_world``: the world both use (None = the example world). Set it with the
  ``talon_sandbox_world`` ini option or override the fixture (return a path or a dict).
"""

import json
from typing import Any, Dict, Iterator

import pytest

from talon_one.sandbox.runner import Sandbox


def pytest_addoption(parser: Any) -> None:
    parser.addini('talon_sandbox_world', 'world file for the talon_sandbox fixture', default='')


@pytest.fixture
def talon_sandbox_world(request: Any) -> Any:
    """The world used by ``talon_sandbox`` (None = the example world)."""
    try:
        return request.config.getini('talon_sandbox_world') or None
    except ValueError:      # the plugin was imported, not registered: no ini option
        return None


@pytest.fixture(scope='session')
def _talon_sandbox_servers() -> Iterator[Dict[str, Sandbox]]:
    servers: Dict[str, Sandbox] = {}
    yield servers
    for sandbox in servers.values():
        sandbox.stop()


@pytest.fixture
def talon_sandbox(talon_sandbox_world: Any,
                  _talon_sandbox_servers: Dict[str, Sandbox]) -> Iterator[Sandbox]:
    """A running sandbox reset to the world's seed for this test."""
    key = json.dumps(talon_sandbox_world, sort_keys=True, default=str)
    sandbox = _talon_sandbox_servers.get(key)
    if sandbox is None or sandbox.server is None:      # first use, or a test stopped it
        sandbox = _talon_sandbox_servers[key] = Sandbox(world=talon_sandbox_world).start()
    else:
        sandbox.reset()
    yield sandbox


@pytest.fixture
def talon_sandbox_fresh(talon_sandbox_world: Any) -> Iterator[Sandbox]:
    """A new sandbox for this test only; stopped afterwards."""
    with Sandbox(world=talon_sandbox_world) as sandbox:
        yield sandbox
