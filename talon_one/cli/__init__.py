"""The ``talon-one`` command (``python -m talon_one``): bulk imports from files.

``main(argv)`` runs it and returns the exit status; see ``talon-one --help``.
"""

from typing import IO, Optional, Sequence

__all__ = ['main', 'run']


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[IO[str]] = None,
         stderr: Optional[IO[str]] = None) -> int:
    from talon_one.cli.app import main as app_main
    return app_main(argv, stdout, stderr)


def run() -> None:
    from talon_one.cli.app import run as app_run
    app_run()
