"""The HTTP server's limits: sizes, timeouts, backlog and connections (documented in WORLD.md)."""

import dataclasses

MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Limits:
    """What one sandbox server accepts; every field can be set on ``Sandbox(...)``."""

    max_body: int = 2 * MIB             # request body bytes (413 above)
    max_request_line: int = 8 * 1024    # method, target and version (414 above)
    max_header_bytes: int = 64 * 1024   # the whole request head (431 above)
    max_headers: int = 100              # header fields in one request (431 above)
    header_timeout: float = 10.0        # seconds from a request's first byte to its blank line
    body_timeout: float = 30.0          # seconds to receive a whole body once the head is in
    idle_timeout: float = 30.0          # seconds a keep-alive connection may wait for a request
    backlog: int = 128                  # listen queue (the kernel may cap it at somaxconn)
    max_connections: int = 256          # open connections; 503 beyond
    drain_limit: int = 64 * MIB         # oversized bodies up to this are read and dropped

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError('Limits.%s: must be a positive number, got %r'
                                 % (field.name, value))
