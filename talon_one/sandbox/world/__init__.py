"""The world: a world file loaded and checked, and the state it seeds (world/seed.py)."""

from talon_one.sandbox.world.load import EXAMPLE_WORLD, from_dict, load
from talon_one.sandbox.world.model import World, WorldError, code_key

__all__ = ['EXAMPLE_WORLD', 'World', 'WorldError', 'code_key', 'from_dict', 'load']
