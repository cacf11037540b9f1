"""Run the sandbox in-process on a free port, in a background thread."""

import threading

from talon_one.sandbox import world as world_module
from talon_one.sandbox.seed import seed
from talon_one.sandbox.server import DEFAULT_MAX_BODY, SandboxHTTPServer
from talon_one.sandbox.service import Service
from talon_one.sandbox.store import Store


def build_server(world=None, api_key=None, db=None, host='127.0.0.1', port=0,
                 max_body=DEFAULT_MAX_BODY):
    """A ready (not yet serving) server. ``world``: path, dict or World."""
    if isinstance(world, world_module.World):
        loaded = world
    elif isinstance(world, dict):
        loaded = world_module.from_dict(world)
    else:
        loaded = world_module.load(world)
    store = Store(db)
    service = Service(loaded, store)
    try:
        seed(service)
        return SandboxHTTPServer((host, port), service, api_key or loaded.api_key, max_body)
    except BaseException:
        store.close()
        raise


class Sandbox(object):
    """A local Talon.One Integration API for tests and demos.

    >>> with Sandbox() as sandbox:
    ...     api = talon_one.IntegrationApi(talon_one.ApiClient(sandbox.configuration()))
    """

    def __init__(self, world=None, api_key=None, db=None, host='127.0.0.1', port=0,
                 max_body=DEFAULT_MAX_BODY):
        self._options = dict(world=world, api_key=api_key, db=db, host=host, port=port,
                             max_body=max_body)
        self.server = None
        self._thread = None

    def start(self):
        if self.server is not None:
            return self
        self.server = build_server(**self._options)
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={'poll_interval': 0.05},
                                        name='talon-one-sandbox', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server.service.store.close()
        self._thread.join()
        self.server = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return 'http://%s:%d' % (host, port)

    @property
    def api_key(self):
        return self.server.api_key

    @property
    def world(self):
        return self.server.service.world

    @property
    def store(self):
        return self.server.service.store

    def configuration(self, **overrides):
        """A ``talon_one.Configuration`` pointing at this sandbox, key set; overrides win."""
        from talon_one.configuration import Configuration   # the SDK is optional here
        world = self.world
        if world.application_key:
            overrides.setdefault('application_id', world.application_id)
            overrides.setdefault('application_key', world.application_key)
        overrides.setdefault('host', self.url)
        overrides.setdefault('api_key', {'Authorization': self.api_key})
        return Configuration(**overrides)

    def __repr__(self):
        state = self.url if self.server else 'stopped'
        return '<Sandbox %s>' % state
