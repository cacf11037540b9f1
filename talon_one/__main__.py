"""``python -m talon_one``: the ``talon-one`` command (see ``talon_one.cli``)."""

from talon_one.cli import run

if __name__ == '__main__':
    run()
