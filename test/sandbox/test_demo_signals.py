"""``demo --keep-running`` says it serves only once a signal will end it cleanly.

A signal sent the moment "Serving until Ctrl+C" is read must stop the demo with status 0,
also when the demo was started with SIGINT ignored (as background jobs of a shell are):
there Python installs no KeyboardInterrupt handler of its own.
"""

import os
import signal
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize('signum, inherited', [
    (signal.SIGINT, None), (signal.SIGINT, _ignore_sigint), (signal.SIGTERM, None)])
def test_a_signal_right_after_the_serving_line_ends_the_demo(signum, inherited):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    process = subprocess.Popen([sys.executable, '-m', 'talon_one.sandbox.demo', '--keep-running'],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               # SIG_IGN must be set in the child before exec (the point of
                               # the test); the hook only calls signal.signal.
                               env=env, preexec_fn=inherited)  # noqa: PLW1509
    try:
        for line in process.stdout:
            if line.startswith('Serving until Ctrl+C'):
                break
        process.send_signal(signum)     # at once: no time for anything to settle
        assert process.wait(timeout=30) == 0
        assert 'Traceback' not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
