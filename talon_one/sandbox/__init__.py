"""A local, stateful Talon.One Integration API server (standard library only).

Run it: ``python -m talon_one.sandbox``; in tests: ``with Sandbox() as sb:``;
the demo: ``python -m talon_one.sandbox.demo``. World format: WORLD.md.
"""

from talon_one.sandbox.runner import Sandbox, build_server
from talon_one.sandbox.world import EXAMPLE_WORLD, WorldError

__all__ = ['Sandbox', 'build_server', 'EXAMPLE_WORLD', 'WorldError']
