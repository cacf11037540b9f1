"""pytest fixture ``talon_sandbox``: a fresh sandbox with the example world.

Enable it in your conftest.py::

    pytest_plugins = ["talon_one.sandbox.pytest_plugin"]

    def test_checkout(talon_sandbox):
        api = talon_one.IntegrationApi(talon_one.ApiClient(talon_sandbox.configuration()))

Point it at your own world with the ``talon_sandbox_world`` ini option or by
overriding the ``talon_sandbox_world`` fixture (return a path or a dict).
"""

import pytest

from talon_one.sandbox.runner import Sandbox


def pytest_addoption(parser):
    parser.addini('talon_sandbox_world', 'world file for the talon_sandbox fixture', default='')


@pytest.fixture
def talon_sandbox_world(request):
    """The world used by ``talon_sandbox`` (None = the example world)."""
    try:
        return request.config.getini('talon_sandbox_world') or None
    except ValueError:      # the plugin was imported, not registered: no ini option
        return None


@pytest.fixture
def talon_sandbox(talon_sandbox_world):
    """A running sandbox, fresh for each test; stopped afterwards."""
    with Sandbox(world=talon_sandbox_world) as sandbox:
        yield sandbox
