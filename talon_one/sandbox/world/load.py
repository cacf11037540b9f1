"""Load a world: a world file (see WORLD.md for the format) or a dict, checked."""

import json
import os
from typing import Any, Optional

from talon_one.sandbox.world.checks import check
from talon_one.sandbox.world.model import World, WorldError

EXAMPLE_WORLD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             'example_world.json')


def load(path: Optional[str] = None) -> World:
    """Read and validate a world file (the example world when ``path`` is None)."""
    path = path or EXAMPLE_WORLD
    try:
        with open(path, 'rb') as handle:
            data = json.loads(handle.read().decode('utf-8'))
    except OSError as exc:
        raise WorldError('world file: cannot read %s: %s' % (path, exc.strerror)) from exc
    except ValueError as exc:
        raise WorldError('world file: %s is not valid JSON: %s' % (path, exc)) from exc
    return from_dict(data)


def from_dict(data: Any) -> World:
    """A world from decoded JSON (a dict), checked."""
    return World(check(data))
