"""Version of the talon_one package."""

__version__ = "4.1.0"
