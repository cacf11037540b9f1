"""``TALON_ONE_LOG=debug|info|warning``: the ``talon_one`` logger's level from the environment.

Read once, when ``talon_one`` is imported. It sets the level of the ``talon_one`` logger and,
like ``Configuration.debug = True``, makes the lines show on stderr when no handler of the
application would show them: a :class:`FallbackHandler` is added that writes a record only
while nothing else (a handler on ``talon_one`` or on a logger above it) would, so an
application that configures logging later (``logging.basicConfig()``...) sees each line
once. Code still wins: ``Configuration(debug=True)`` or ``logger.setLevel`` later change it.
"""

import logging
import os
import sys
from typing import Optional

__all__ = ['ENV', 'FallbackHandler', 'LEVELS', 'apply']

ENV = 'TALON_ONE_LOG'
LEVELS = {'debug': logging.DEBUG, 'info': logging.INFO, 'warning': logging.WARNING}
FORMAT = '%(asctime)s %(levelname)s %(name)s %(message)s'


class FallbackHandler(logging.StreamHandler):  # type: ignore[type-arg]  # (generic in typeshed)
    """Writes to stderr the records that no other handler would show."""

    def handle(self, record: logging.LogRecord) -> bool:
        if _shown_elsewhere(logging.getLogger(record.name), self):
            return False
        return bool(super().handle(record))


def _shown_elsewhere(start: logging.Logger, this: logging.Handler) -> bool:
    current: Optional[logging.Logger] = start
    while current is not None:
        for handler in current.handlers:
            if handler is not this and not isinstance(handler, logging.NullHandler):
                return True
        if not current.propagate:
            return False
        current = current.parent
    return False


def apply(logger: logging.Logger) -> Optional[logging.Handler]:
    """Set ``logger`` up as ``$TALON_ONE_LOG`` says; the handler added, if any."""
    value = os.environ.get(ENV, '').strip()
    if not value:
        return None
    level = LEVELS.get(value.lower())
    if level is None:
        # (the logger has no output yet: say it where it is seen)
        sys.stderr.write('talon_one: %s=%r is not one of %s; ignored\n'
                         % (ENV, value, ', '.join(LEVELS)))
        return None
    logger.setLevel(level)
    handler = FallbackHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    return handler
