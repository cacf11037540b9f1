"""The connection pools of a client: one per (scheme, host, port), kept by the client.

Connections come from urllib3, with two additions: while a request is sent and its response
read, they hand their socket to the deadline watchdog (``talon_one._deadlines``), so that
no step of an attempt outlives its deadline; and a request with a small body goes out in
one write (urllib3 writes the head and the body apart). Pools block when all their connections
are in use (up to the call's deadline) instead of opening extra ones that they would then drop.
"""

import ssl
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from talon_one._deadlines import current_plan

if TYPE_CHECKING:
    from talon_one._configuration import Configuration
    from talon_one._request import PreparedRequest

__all__ = ['Pools', 'WatchedHTTPConnection', 'WatchedHTTPSConnection']

Origin = Tuple[str, str, int]
_ONE_WRITE_LIMIT = 64 * 1024     # bodies up to this size are sent in one write with their head
_DEFAULT_PORTS = {'http': 80, 'https': 443}


class _Watched(object):
    """Puts the socket under the current attempt's deadline while the request is sent and
    its response read.

    Connecting is bounded by the connect timeout; after that the socket blocks without a
    timeout of its own (a timeout would cost a poll() before every read), and the watchdog
    ends a send or a response that outlasts the deadline.
    """

    sock: Any
    timeout: Any
    _held_head: Optional[List[bytes]] = None

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]  # the urllib3 connection class
        plan = current_plan()
        if plan is not None:
            self.sock.settimeout(None)
            plan.arm(self.sock)

    def request(self, method: str, url: str, body: Any = None, *args: Any,
                **kwargs: Any) -> None:
        plan = current_plan()
        if plan is not None and self.sock is not None:
            self.timeout = None  # a reused connection: no socket timeout while sending either
            plan.arm(self.sock)  # sending is bounded by the read budget too
        if isinstance(body, bytes) and len(body) <= _ONE_WRITE_LIMIT:
            self._held_head = []    # see send(): the head waits for the body
        try:
            super().request(method, url, body, *args, **kwargs)  # type: ignore[misc]
            held = self._held_head
        finally:
            self._held_head = None
        if held:                    # no body was sent (an empty one): the head alone
            super().send(held[0])  # type: ignore[misc]
        if plan is not None:
            plan.arm(self.sock)  # the read budget starts again once the request is sent

    def send(self, data: Any) -> None:
        """urllib3 writes the head, then the body: a small body goes out with its head in
        one write (one segment, one system call, one wake-up of the server)."""
        held = self._held_head
        if held is not None:
            if not held:
                held.append(data)
                return
            self._held_head = None
            data = held[0] + data
        super().send(data)  # type: ignore[misc]


class WatchedHTTPConnection(_Watched, HTTPConnection):
    """urllib3's HTTPConnection under the attempt's deadline."""


class WatchedHTTPSConnection(_Watched, HTTPSConnection):
    """urllib3's HTTPSConnection under the attempt's deadline."""


_WATCHED: Dict[Any, Any] = {HTTPConnection: WatchedHTTPConnection,
                            HTTPSConnection: WatchedHTTPSConnection}


def origin_of(scheme: str, host: str, port: Optional[int]) -> Origin:
    scheme = scheme.lower()
    return scheme, host.lower(), port or _DEFAULT_PORTS.get(scheme, 80)


class Pools(object):
    """Connection pools by origin, created on first use and reused by every call."""

    def __init__(self, configuration: 'Configuration', maxsize: int,
                 pool_manager: Optional[urllib3.PoolManager] = None) -> None:
        self.maxsize = maxsize
        self._manager = pool_manager  # set for a proxy: its pools go through the proxy
        # SOCKS connections are urllib3's own: their reads keep socket timeouts.
        self.watches = pool_manager is None or type(pool_manager).__name__ != 'SOCKSProxyManager'
        self._pools: Dict[Origin, HTTPConnectionPool] = {}
        self._lock = threading.Lock()
        self._http_args: Dict[str, Any] = {'maxsize': maxsize, 'block': True}
        if configuration.socket_options is not None:
            self._http_args['socket_options'] = configuration.socket_options
        tls: Dict[str, Any] = {
            'cert_reqs': ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            'ca_certs': _ca_bundle(configuration),
            'cert_file': configuration.cert_file,
            'key_file': configuration.key_file,
        }
        if configuration.assert_hostname is not None:
            tls['assert_hostname'] = configuration.assert_hostname
        if configuration.tls_server_name:
            tls['server_hostname'] = configuration.tls_server_name
        self._https_args = dict(self._http_args, **tls)

    def urlopen(self, request: 'PreparedRequest', **kwargs: Any) -> Any:
        """Send ``request`` on a connection of its origin's pool (``kwargs``: urllib3's)."""
        if self._manager is not None:
            # Through the proxy's manager: it adds the proxy headers and the request form the
            # proxy needs. The pool it picks gets the deadline-aware connections first.
            self._watched(self._manager.connection_from_host(request.host, request.port,
                                                             request.scheme))
            return self._manager.urlopen(request.method, request.url, body=request.body,
                                         headers=request.headers, **kwargs)
        pool = self.get(request.scheme, request.host, request.port)
        return pool.urlopen(request.method, request.target, body=request.body,
                            headers=request.headers, **kwargs)

    def get(self, scheme: str, host: str, port: Optional[int]) -> HTTPConnectionPool:
        """The pool of ``scheme://host:port`` (one per origin, made once)."""
        origin = origin_of(scheme, host, port)
        pool = self._pools.get(origin)
        if pool is None:
            with self._lock:
                pool = self._pools.get(origin)
                if pool is None:
                    pool = self._pools[origin] = self._new_pool(origin)
        return pool

    def _new_pool(self, origin: Origin) -> HTTPConnectionPool:
        scheme, host, port = origin
        if scheme == 'https':
            return self._watched(HTTPSConnectionPool(host, port, **self._https_args))
        return self._watched(HTTPConnectionPool(host, port, **self._http_args))

    @staticmethod
    def _watched(pool: HTTPConnectionPool) -> HTTPConnectionPool:
        watched = _WATCHED.get(pool.ConnectionCls)  # SOCKS and other classes are left as is
        if watched is not None:
            pool.ConnectionCls = watched
        return pool

    def _https_args_for_manager(self) -> Dict[str, Any]:
        """The TLS and socket settings, as keywords of a urllib3 PoolManager."""
        return {key: value for key, value in self._https_args.items()
                if key not in ('maxsize', 'block')}

    def clear(self) -> None:
        """Close the idle connections of every pool (the pools stay usable)."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()


def _ca_bundle(configuration: 'Configuration') -> str:
    if configuration.ssl_ca_cert is not None:
        return configuration.ssl_ca_cert
    import certifi  # here, not at import: it costs a noticeable part of `import talon_one`
    bundle: str = certifi.where()
    return bundle
