"""``Sandbox.start()`` returns once the loop serves (the descriptor test of
test_event_loop.py relies on it), and a loop that cannot start (no file descriptor left for
its selector) says so instead of leaving ``shutdown()`` waiting forever. In subprocesses:
the descriptor limit is the process's."""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_NO_DESCRIPTOR_FOR_THE_LOOP = r'''
import os, resource, threading
from talon_one.sandbox.runner import build_server
server = build_server(world=None, api_key=None, db=None, host='127.0.0.1', port=0)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
spare = []
try:
    while True:
        spare.append(os.dup(0))
except OSError:
    pass
thread = threading.Thread(target=server.serve_forever, daemon=True)
thread.start()
try:
    server.wait_started()
except RuntimeError as error:
    print('refused:', 'Too many open files' in str(error))
for fd in spare:
    os.close(fd)
resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
server.shutdown()      # returns: no loop is running
server.server_close()
thread.join(10)
print('stopped:', not thread.is_alive())
'''

def _run(code):
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT))


def test_a_loop_without_a_descriptor_for_its_selector_fails_and_shutdown_returns():
    result = _run(_NO_DESCRIPTOR_FOR_THE_LOOP)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split('\n')[:2] == ['refused: True', 'stopped: True']
