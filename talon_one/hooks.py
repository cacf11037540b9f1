"""The events your ``Configuration.hooks`` receive (see ``talon_one._hooks``).

::

    from talon_one.hooks import Hooks, ResponseEvent

    def record(event: ResponseEvent) -> None:
        latencies.setdefault(event.operation, []).append(event.elapsed)

    configuration.hooks = Hooks(response=record)
"""

from talon_one._hooks import Hooks as Hooks
from talon_one._hooks import RequestEvent as RequestEvent
from talon_one._hooks import ResponseEvent as ResponseEvent
from talon_one._hooks import RetryEvent as RetryEvent

__all__ = ['Hooks', 'RequestEvent', 'ResponseEvent', 'RetryEvent']
