"""A local, stateful Talon.One Integration API server (standard library only).

Run it: ``python -m talon_one.sandbox``; in tests: ``with Sandbox() as sb:``;
the demo: ``python -m talon_one.sandbox.demo``. World format: WORLD.md.

Layers (http/ calls ops/, which uses engine/, store/ and world/; the engine uses no other
layer; world/seed.py seeds through the operations, as the API would):

- ``http/``: the wire parser, the event loop (the one thread that runs operations), routing,
  authentication, the ``/_sandbox/`` control routes and the inspector page;
- ``ops/``: the Integration API's operations, one module per domain, over one ``Service``;
- ``engine/``: the rules, pure: what an evaluation sees in, an outcome out;
- ``store/``: JSON documents in memory, optionally backed by SQLite, behind one ``Store``;
- ``world/``: the world file checked and loaded, its seeding, the request body schemas.
"""

from talon_one.sandbox.runner import Sandbox, build_server
from talon_one.sandbox.world import EXAMPLE_WORLD, WorldError

__all__ = ['Sandbox', 'build_server', 'EXAMPLE_WORLD', 'WorldError']
