"""What observability costs: the SDK's per-call time with hooks and tracing off, against the
commit this work started from, and with OpenTelemetry on, against itself.

Every side is a worker process (``bench/_obs_worker.py``) making S2 calls -- a small session
update: 3 cart items sent, a 3-item, 5-effect state back, a few fields read -- against
canned answers served by nginx (as bench_floor.py), for a slice of time when told to. Each
round runs the two sides of a row in A B B A slices (the order flips every round: this
machine's speed drifts by +-25% over seconds, so only ratios measured side by side mean
anything) and takes the ratio of their times per call; the table shows the median over the
rounds and the spread (min-max). The time is the worker's CPU time (the client's own cost:
what the SDK adds), not the wall clock, which on a shared machine mostly measures the other
processes; ``--wall`` shows wall-clock ratios instead.

Rows (A / B):

- ``off: this tree / REF`` -- no hook, no tracer: this checkout against ``git archive`` of
  ``--reference`` (default: the commit the observability work started from); target <= 1.02;
- ``OTel SDK, no-op exporter / off`` -- this tree, ``tracer_provider`` an SDK TracerProvider
  with a no-op exporter (``--processor simple``: exported on the calling thread, the default;
  ``batch``: a BatchSpanProcessor) against the same tree without; target <= 1.10;
- the same on the wall clock against the local sandox (``talon_one.sandbox``, in this
  process): the whole call as an application on the same host sees it, the server's work
  included (against Talon.One itself the network adds milliseconds more);
- ``talon_one tracing / the same two spans made by hand`` and ``the two spans made by hand
  / off``: the OpenTelemetry row split into what talon_one adds (the first) and what the
  OpenTelemetry SDK itself costs for a call span and an attempt span with these attributes
  (the second), for information;
- ``otel imported, no provider / off`` and ``a response hook / off`` -- for information.

    python bench/bench_observability.py [--rounds 7] [--seconds 0.3] [--reference f37e000]
                                        [--processor simple|batch] [--nginx /usr/sbin/nginx]

Needs nginx, git and this repository's history, and opentelemetry-sdk. Not a test: nothing
here fails on a number.
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import bench_floor  # noqa: E402  (its Nginx and canned state)

from talon_one.sandbox import Sandbox  # noqa: E402  (bench_floor put this tree on sys.path)

REFERENCE = 'f37e000'   # main when the observability work (issue 22) started
WORKER = os.path.join(HERE, '_obs_worker.py')


def extract(revision, into):
    try:
        archive = subprocess.run(['git', '-C', ROOT, 'archive', revision, 'talon_one'],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit('cannot read revision %s with git archive (%s)'
                         % (revision, error)) from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into)
    return into


class Worker(object):
    def __init__(self, label, tree, url, mode, processor, api_key='bench-key'):
        self.label = label
        env = dict(os.environ)
        env.pop('PYTHONPATH', None)
        env.pop('TALON_ONE_LOG', None)
        self.process = subprocess.Popen(
            [sys.executable, WORKER, tree, url, mode, processor, api_key], cwd=tree, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if line.strip() != 'ready':
            raise SystemExit('worker %s did not start' % label)

    def run(self, seconds, wall):
        self.process.stdin.write('%r\n' % seconds)
        self.process.stdin.flush()
        calls, cpu, elapsed = self.process.stdout.readline().split()
        return int(calls), float(elapsed if wall else cpu)

    def close(self):
        self.process.stdin.close()
        self.process.wait(10)


def ratio_of(a, b, seconds, flip, wall):
    """A's time per call / B's, from A B B A slices (B A A B when ``flip``)."""
    totals = {a: [0, 0.0], b: [0, 0.0]}
    order = [b, a, a, b] if flip else [a, b, b, a]
    for worker in order:
        calls, elapsed = worker.run(seconds / 2, wall)
        totals[worker][0] += calls
        totals[worker][1] += elapsed
    per_call = {w: spent / calls for w, (calls, spent) in totals.items()}
    return per_call[a] / per_call[b], per_call[a], per_call[b]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--seconds', type=float, default=0.3, help='per side per round')
    parser.add_argument('--reference', default=REFERENCE)
    parser.add_argument('--processor', choices=('simple', 'batch'), default='simple')
    parser.add_argument('--wall', action='store_true', help='wall-clock time, not CPU time')
    parser.add_argument('--nginx', default=shutil.which('nginx') or '/usr/sbin/nginx')
    options = parser.parse_args()

    state = json.dumps(bench_floor.small_state()).encode()
    nginx = bench_floor.Nginx(options.nginx, {'/v2/customer_sessions/small': state})
    scratch = tempfile.mkdtemp(prefix='talon-bench-obs-')
    workers = []
    stopping = []
    try:
        reference = extract(options.reference, os.path.join(scratch, 'reference'))

        def worker(label, tree, mode):
            made = Worker(label, tree, nginx.url, mode, options.processor)
            workers.append(made)
            return made

        sandbox = Sandbox().start()
        stopping.append(sandbox)

        def sandbox_worker(label, mode):
            made = Worker(label, ROOT, sandbox.url, mode, options.processor,
                          sandbox.api_key)
            workers.append(made)
            return made

        off = worker('off', ROOT, 'plain')
        traced = worker('otel', ROOT, 'otel')
        by_hand = worker('otel-by-hand', ROOT, 'otel-by-hand')
        sandbox_off = sandbox_worker('sandbox-off', 'plain')
        sandbox_reference = Worker('sandbox-reference', reference, sandbox.url, 'plain',
                                   options.processor, sandbox.api_key)
        workers.append(sandbox_reference)
        sandbox_traced = sandbox_worker('sandbox-otel', 'otel')
        clock = 'wall' if options.wall else 'CPU'
        wall = options.wall
        rows = [
            ('off: this tree / %s (%s)' % (options.reference, clock),
             off, worker('reference', reference, 'plain'), 1.02, wall),
            ('OTel SDK, no-op exporter (%s) / off (%s)' % (options.processor, clock),
             traced, off, 1.10, wall),
            ('sandbox: off: this tree / %s (wall)' % options.reference,
             sandbox_off, sandbox_reference, 1.02, True),
            ('sandbox: OTel SDK, no-op exporter (%s) / off (wall)' % options.processor,
             sandbox_traced, sandbox_off, 1.10, True),
            ('OTel SDK: talon_one tracing / the same two spans made by hand (%s)' % clock,
             traced, by_hand, None, wall),
            ('OTel SDK: the two spans made by hand / off (%s)' % clock, by_hand, off, None,
             wall),
            ('otel imported, no provider / off (%s)' % clock,
             worker('otel-imported', ROOT, 'otel-imported'), off, None, wall),
            ('a response hook / off (%s)' % clock, worker('hook', ROOT, 'hook'), off, None,
             wall),
        ]
        print('S2 (small session update) per call, %d rounds of %.2f s per side; canned '
              'answers from nginx (CPU: the client process\'s CPU time), or the sandbox '
              '(wall clock)' % (options.rounds, options.seconds))
        print()
        print('| row | A per call | B per call | A/B median | spread | target |')
        print('|---|---|---|---|---|---|')
        for label, a, b, target, wall in rows:
            results = [ratio_of(a, b, options.seconds, bool(index % 2), wall)
                       for index in range(options.rounds)]
            ratios = [r[0] for r in results]
            print('| %s | %.1f us | %.1f us | %.3f | %.3f-%.3f | %s |' % (
                label, statistics.median(r[1] for r in results) * 1e6,
                statistics.median(r[2] for r in results) * 1e6, statistics.median(ratios),
                min(ratios), max(ratios), '<= %.2f' % target if target else '-'), flush=True)
    finally:
        for made in workers:
            made.close()
        for sandbox in stopping:
            sandbox.stop()
        nginx.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    main()
