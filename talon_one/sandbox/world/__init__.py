"""The world: a validated world file, and the state it seeds."""

from talon_one.sandbox.world.checks import (EXAMPLE_WORLD, World, WorldError, code_key,
                                            from_dict, load)

__all__ = ['EXAMPLE_WORLD', 'World', 'WorldError', 'code_key', 'from_dict', 'load']
