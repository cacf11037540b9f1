"""Random codes from a pattern, for referral and coupon codes the sandbox creates."""

import random
from typing import Callable, Optional, Sequence

DEFAULT_CHARACTERS = tuple('ABCDEFGHJKLMNPQRSTUVWXYZ23456789')
DEFAULT_PATTERN = '########'
_ATTEMPTS = 100


def generate(pattern: Optional[str], characters: Optional[Sequence[str]],
             taken: Callable[[str], bool],
             normalize: Callable[[str], str] = lambda code: code) -> Optional[str]:
    """A code following ``pattern`` (each ``#`` becomes one of ``characters``) that
    ``taken`` does not know, after ``normalize`` (the application's code case); None
    when none was found in a bounded number of attempts (the pattern is too narrow)."""
    pattern = pattern or DEFAULT_PATTERN
    characters = characters or DEFAULT_CHARACTERS
    rng = random.SystemRandom()
    for _ in range(_ATTEMPTS):
        code = normalize(''.join(rng.choice(characters) if c == '#' else c for c in pattern))
        if not taken(code):
            return code
    return None
