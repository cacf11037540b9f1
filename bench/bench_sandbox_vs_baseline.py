"""The sandbox side by side with its reference: the pre-speed-work sandbox plus TCP_NODELAY.

The speed targets of the sandbox were set against that reference on the development machine
(update p50 0.96 ms, GET p50 0.58 ms, 8 threads 1,190 updates/s; 506/s with ``--db``):
update p50 <= 0.8 ms, GET p50 <= 0.5 ms, 8 threads >= 1,500/s, ``--db`` >= 800/s. Machines
here drift by +-25% (and some days run far slower), so this script runs the reference and
today's sandbox at the same time, as two processes, and alternates the load between them:
latencies in alternating blocks of requests, throughput in short rounds whose order flips. It
prints each ratio (today / reference: the median over pairs of blocks or rounds, and the
spread) beside the ratio the target implies (0.8 / 0.96 = 0.83 for the update, and so on).

Latencies are measured twice. First as the reference figures were: through the SDK of the same
revision, each side from its own client process (the targets are judged on this). Then the
servers alone: today's SDK, in this process, against both. Throughput uses today's SDK on both
sides (8 threads of the older SDK would be slower still: the ratio is the servers' own).

    python bench/bench_sandbox_vs_baseline.py [--rounds 9] [--seconds 0.6] [--requests 800]
                                              [--reference 4d5c52b]

The reference is the ``talon_one`` tree of ``--reference`` (a git revision of this repository,
read with ``git archive``), started with TCP_NODELAY set on its accepted sockets -- the one-line
patch the targets were measured against. Needs git and the repository's history. Another
revision (``--reference HEAD``, say) compares a working change with what is committed; the
printed targets then mean nothing.
"""

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'bench'))
sys.path.insert(0, ROOT)

import bench_sandbox as bench  # noqa: E402

REFERENCE = '4d5c52b'   # the last revision before the sandbox's own HTTP layer
WORLD = os.path.join('talon_one', 'sandbox', 'example_world.json')
# (name, what it is in the reference's numbers, target / reference, True when higher is better)
TARGETS = [('update p50', 0.8 / 0.96, False), ('GET p50', 0.5 / 0.58, False),
           ('8 threads', 1500 / 1190, True), ('8 threads --db', 800 / 506, True)]

# The reference's server with TCP_NODELAY on every accepted connection, then its own CLI.
_BOOT = '''
import runpy, socket, sys
try:
    from talon_one.sandbox.http import server
except ImportError:                 # a tree from before the sandbox's packages
    from talon_one.sandbox import server
if hasattr(server, 'Handler'):      # the http.server-based sandbox (later ones set it)
    _setup = server.Handler.setup
    def setup(self):
        _setup(self)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    server.Handler.setup = setup
sys.argv = ['talon_one.sandbox'] + sys.argv[1:]
runpy.run_module('talon_one.sandbox', run_name='__main__')
'''


def extract_reference(revision, into):
    try:
        archive = subprocess.run(['git', '-C', ROOT, 'archive', revision, 'talon_one'],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit('cannot read revision %s with git archive (%s): this script needs '
                         "the repository's history" % (revision, exc)) from exc
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into)
    return into


# A client through one tree's own SDK, in its own process: on each line "N" from stdin it runs
# N (update, GET) pairs and prints their latencies as JSON. (bench_sandbox.timed_pairs in
# text: importing bench_sandbox would import today's talon_one, not the tree's.)
_CLIENT = '''
import json, sys, time
import talon_one
url, api_key, cart = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
configuration = talon_one.Configuration(host=url, api_key={'Authorization': api_key})
api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
items = [talon_one.CartItem(name=n, sku=s, quantity=q, price=p, category=c)
         for n, s, q, p, c in cart]
body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
    profile_id='BENCH-LATENCY', coupon_codes=[sys.argv[4]], cart_items=items))
api.update_customer_session_v2('bench-latency', body)
api.get_customer_session('bench-latency')
for line in sys.stdin:
    api.get_customer_session('bench-latency')   # back to this server: warm up
    updates, gets = [], []
    for _ in range(int(line)):
        start = time.perf_counter()
        api.update_customer_session_v2('bench-latency', body)
        middle = time.perf_counter()
        api.get_customer_session('bench-latency')
        updates.append(middle - start)
        gets.append(time.perf_counter() - middle)
    print(json.dumps([updates, gets]), flush=True)
'''


class _OwnClient(object):
    """Blocks of requests through ``root``'s own SDK, run by a client process."""

    def __init__(self, url, root):
        self.process = subprocess.Popen(
            [sys.executable, '-c', _CLIENT, url, bench.API_KEY, json.dumps(bench.CART),
             bench.COUPON], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=root, env=dict(os.environ, PYTHONPATH=root))

    def block(self, count):
        self.process.stdin.write('%d\n' % count)
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit('a benchmark client failed (see its error above)')
        return json.loads(line)

    def close(self):
        self.process.stdin.close()
        self.process.wait(30)


class _TodaysClient(object):
    """Blocks of requests through today's SDK, in this process."""

    def __init__(self, url):
        self.client, self.api = bench.api_for(url)
        self.body = bench.session_request('BENCH-LATENCY')
        self.api.update_customer_session_v2('bench-latency', self.body)

    def block(self, count):
        self.api.get_customer_session('bench-latency')  # back to this server: warm up
        updates, gets, _ = bench.timed_pairs(self.api, self.body, count)
        return updates, gets

    def close(self):
        self.client.close()


def paired_latencies(clients, requests, block=40):
    """Per pair of blocks, today's p50 over the reference's, for update and GET; and the p50
    of every sample of each side. ``clients``: (reference's, today's). The two alternate in
    blocks of ``block`` requests (request by request, each server would always start cold:
    two Python processes evicting each other's caches is not what a test suite sees); the
    order flips every pair."""
    samples = [([], []) for _ in clients]
    ratios = ([], [])
    try:
        for index in range(max(1, requests // block)):
            order = (0, 1) if index % 2 == 0 else (1, 0)
            medians = {}
            for side in order:
                updates, gets = clients[side].block(block)
                samples[side][0].extend(updates)
                samples[side][1].extend(gets)
                medians[side] = (statistics.median(updates), statistics.median(gets))
            for kind in (0, 1):
                ratios[kind].append(medians[1][kind] / medians[0][kind])
    finally:
        for client in clients:
            client.close()
    return ratios, [(statistics.median(updates), statistics.median(gets))
                    for updates, gets in samples]


def report_latencies(title, clients, requests, judged):
    ratios, ((old_update, old_get), (new_update, new_get)) = paired_latencies(clients, requests)
    print('%s: latency p50, ms: reference update %.3f GET %.3f | today update %.3f GET %.3f '
          '(all samples)' % (title, old_update * 1e3, old_get * 1e3, new_update * 1e3,
                             new_get * 1e3))
    for name, kind in (('update p50', 0), ('GET p50', 1)):
        verdict(name, statistics.median(ratios[kind]), min(ratios[kind]), max(ratios[kind]),
                judged=judged)


def paired_throughput(urls, rounds, seconds, threads):
    """Per round, today's updates/s over the reference's, the two run one after the other."""
    ratios, rates = [], ([], [])
    for number in range(rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        rate = {}
        for side in order:
            rate[side] = bench.throughput(urls[side], threads, seconds)
            rates[side].append(rate[side])
        ratios.append(rate[1] / rate[0])
    return ratios, [statistics.median(r) for r in rates]


def verdict(name, ratio, low=None, high=None, judged=True):
    _, target, higher = next(t for t in TARGETS if t[0] == name)
    ok = ratio >= target if higher else ratio <= target
    spread = '' if low is None else '  (%.2f - %.2f)' % (low, high)
    print('  %-16s %5.2fx%s  target %s %.2fx  %s' % (
        name, ratio, spread, '>=' if higher else '<=', target,
        ('ok' if ok else 'MISSED') if judged else '(for information)'))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--reference', default=REFERENCE, help='git revision of the reference')
    parser.add_argument('--requests', type=int, default=800, help='latency samples per side')
    parser.add_argument('--rounds', type=int, default=9, help='throughput rounds per mode')
    parser.add_argument('--seconds', type=float, default=0.6, help='length of a round, per side')
    parser.add_argument('--threads', type=int, default=8)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old = extract_reference(args.reference, os.path.join(tmp, 'reference'))
        print('today / reference (%s + TCP_NODELAY), side by side; median of rounds, spread'
              % args.reference)
        for label in ('memory', 'db'):
            db = (os.path.join(tmp, 'reference.sqlite3'),
                  os.path.join(tmp, 'today.sqlite3')) if label == 'db' else (None, None)
            with contextlib.ExitStack() as stack:
                # The same world on both sides: the reference's example world (today's has
                # more campaigns, so more to evaluate per request).
                urls = [stack.enter_context(bench.sandbox_process(
                            db=db[0], launch=('-c', _BOOT), root=old))[0],
                        stack.enter_context(bench.sandbox_process(
                            world=os.path.join(old, WORLD), db=db[1]))[0]]
                if label == 'memory':
                    # As the targets were measured: each sandbox through its own revision's
                    # SDK (the SDK got faster too). Then the servers alone: today's SDK on
                    # both sides.
                    report_latencies('each through its own SDK',
                                     [_OwnClient(urls[0], old), _OwnClient(urls[1], ROOT)],
                                     args.requests, judged=True)
                    report_latencies("the servers alone (today's SDK on both sides)",
                                     [_TodaysClient(url) for url in urls], args.requests,
                                     judged=False)
                ratios, (old_rate, new_rate) = paired_throughput(urls, args.rounds,
                                                                 args.seconds, args.threads)
                name = '8 threads' if label == 'memory' else '8 threads --db'
                print("%s, today's SDK on both sides: reference %.0f updates/s, today %.0f "
                      'updates/s (medians)' % (name, old_rate, new_rate))
                verdict(name, statistics.median(ratios), min(ratios), max(ratios))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
