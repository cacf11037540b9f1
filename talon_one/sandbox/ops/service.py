"""What every operation works with, composed in one place: the world, the store, the clock
and the id counters. The operations themselves are functions of the modules beside this one
(one module per domain), given a ``Service`` and a ``Request`` (http/routes.py maps routes)."""

import datetime
from typing import Callable, List, Optional, Tuple, Union

from talon_one.sandbox.clock import Clock
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.store import Store
from talon_one.sandbox.world import World


class Service(object):
    def __init__(self, world: World, store: Store) -> None:
        self.world = world
        self.store = store
        self.clock = Clock()    # real time unless a test moved it (/_sandbox/clock)

    def now(self) -> datetime.datetime:
        return self.clock.now()

    def next_id(self, name: str) -> int:
        return self.store.next_id(name)


# What an operation answers: the status and the JSON document (None: no body; a list for
# the few operations that answer with an array, e.g. bestPriorPrice).
Answer = Tuple[int, Optional[Union[Doc, List[Doc]]]]
Operation = Callable[[Service, Request], Answer]
