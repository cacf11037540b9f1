"""talon_one.bulk: memory while streaming a huge file, and throughput against a hand loop.

1. Streaming. A CSV of ``--rows`` profiles (default 1,000,000) is written to a temporary file,
   then a fresh process imports it the way ``talon-one profiles update`` does (CsvReader ->
   profile records -> ``bulk.profiles.update``, concurrency 4) into a fake local HTTP server
   (another process, answering 204 at once). It reports the process's peak RSS (VmHWM) over
   its RSS as an idle client (SDK and bulk imported, one call made): the import must stay
   within 40 MB of it, whatever the file's size.
2. Throughput. ``--profiles`` profiles (default 100,000), in memory as dicts, go into a
   sandbox (``python -m talon_one.sandbox`` in its own process; ``--db`` for a SQLite file)
   at concurrency 4 through ``bulk.profiles.update``, and through a hand-written loop: the
   same 1000-profile chunks of ``update_customer_profiles_v2`` calls on a pool of 4 threads,
   building the models as one would (``MultipleCustomerProfileIntegrationRequestItem``), and
   again sending the dicts as they are, unchecked (the floor of any loop).
   The three alternate, ``--rounds`` times (each in each position once every three rounds);
   the table shows each round's times and the ratios of throughputs (bulk / hand loop; the
   target is >= 0.9 against the loop that builds models).

    python bench/bench_bulk.py [--rows 1000000] [--profiles 100000] [--rounds 6] [--db]
                               [--only memory|throughput]

Not a test: nothing fails on a number.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

FAKE_SERVER = r'''
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_PUT(self):
        length = int(self.headers.get('Content-Length') or 0)
        while length:
            length -= len(self.rfile.read(min(length, 1 << 16)))
        self.send_response(204)
        self.send_header('Content-Length', '0')
        self.end_headers()
    do_POST = do_PUT
    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
server.daemon_threads = True
print('http://127.0.0.1:%d' % server.server_address[1], flush=True)
server.serve_forever()
'''

STREAM_WORKER = r'''
import json, sys, time

def status(field):
    with open('/proc/self/status') as handle:
        for line in handle:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024.0

import talon_one
from talon_one import bulk
from talon_one.bulk.readers import CsvReader
from talon_one.cli.records import profile_records

host, path = sys.argv[1], sys.argv[2]
configuration = talon_one.Configuration(host=host, api_key={'Authorization': 'bench'})
with talon_one.ApiClient(configuration) as client:
    api = talon_one.IntegrationApi(client)
    api.update_customer_profiles_v2(talon_one.MultipleCustomerProfileIntegrationRequest(
        customer_profiles=[talon_one.MultipleCustomerProfileIntegrationRequestItem(
            integration_id='warm-up', attributes={'Name': 'x'})]))
    idle = status('VmRSS')
    started = time.perf_counter()
    report = bulk.profiles.update(client, profile_records(CsvReader(path), 'integrationId'),
                                  concurrency=4)
    elapsed = time.perf_counter() - started
print(json.dumps({'idle': idle, 'peak': status('VmHWM'), 'seconds': elapsed,
                  'accepted': report.accepted, 'records': report.records,
                  'calls': report.calls}))
'''


def write_csv(path, rows):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('integrationId,Name,score:number,vip:boolean,city\n')
        cities = ('Berlin', 'Lisbon', 'Oslo', 'Rome')
        block = []
        for i in range(rows):
            block.append('PROFILE-%08d,Customer %d,%d,%s,%s\n'
                         % (i, i, i % 1000, 'true' if i % 7 == 0 else 'false', cities[i % 4]))
            if len(block) == 10000:
                handle.write(''.join(block))
                block = []
        handle.write(''.join(block))


def start(code_or_args, *, code=True):
    args = [sys.executable, '-c', code_or_args] if code else code_or_args
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return process


def bench_memory(rows):
    import json

    server = start(FAKE_SERVER)
    try:
        host = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, 'profiles.csv')
            began = time.perf_counter()
            write_csv(path, rows)
            size = os.path.getsize(path) / 1e6
            print('streaming: %d rows, %.0f MB of CSV written in %.1f s'
                  % (rows, size, time.perf_counter() - began))
            result = subprocess.run([sys.executable, '-c', STREAM_WORKER, host, path],
                                    capture_output=True, text=True, cwd=ROOT, check=True)
            figures = json.loads(result.stdout.splitlines()[-1])
    finally:
        server.terminate()
        server.wait()
    grown = figures['peak'] - figures['idle']
    print()
    print('| streaming import (fake server) | value |')
    print('|---|---|')
    print('| rows read / accepted | %d / %d (%d calls) |'
          % (figures['records'], figures['accepted'], figures['calls']))
    print('| time | %.1f s (%.0f rows/s) |' % (figures['seconds'],
                                              figures['records'] / figures['seconds']))
    print('| RSS of the idle client | %.1f MB |' % figures['idle'])
    print('| peak RSS during the import | %.1f MB |' % figures['peak'])
    print('| peak - idle (target <= 40 MB) | **%.1f MB** |' % grown)
    print()


def profiles(count, round_number):
    return [{'integrationId': 'BENCH-%07d' % i,
             'attributes': {'Name': 'Customer %d' % i, 'round': round_number, 'score': i % 1000}}
            for i in range(count)]


def hand_loop(api, records, threads=4, models=True):
    """What one writes without talon_one.bulk: chunks of 1000, a pool of threads; the
    profiles as models (``models``), or the dicts as they are (no checks at all)."""
    from concurrent.futures import ThreadPoolExecutor

    import talon_one

    def send(chunk):
        if models:
            items = [talon_one.MultipleCustomerProfileIntegrationRequestItem(
                integration_id=record['integrationId'], attributes=record['attributes'])
                for record in chunk]
        else:
            items = chunk
        api.update_customer_profiles_v2(
            talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=items))

    chunks = [records[start:start + 1000] for start in range(0, len(records), 1000)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(send, chunks))


def bench_throughput(count, rounds, db):
    import talon_one
    from talon_one import bulk

    args = [sys.executable, '-m', 'talon_one.sandbox', '--port', '0']
    directory = tempfile.mkdtemp()
    if db:
        args += ['--db', os.path.join(directory, 'bench.sqlite3')]
    server = start(args, code=False)
    try:
        host = server.stdout.readline().split()[-1]
        key = server.stdout.readline().split()[-1]
        configuration = talon_one.Configuration(host=host, api_key={'Authorization': key})
        with talon_one.ApiClient(configuration) as client:
            api = talon_one.IntegrationApi(client)
            hand_loop(api, profiles(count, 0))       # create them all first: then both update
            rows, cpus = [], []
            for number in range(1, rounds + 1):
                records = profiles(count, number)
                timings = {}
                cpu = {}
                # Each side in each position once every three rounds (a Latin square).
                order = (('bulk', 'hand', 'dicts'), ('hand', 'dicts', 'bulk'),
                         ('dicts', 'bulk', 'hand'))[(number - 1) % 3]
                for name in order:
                    began, began_cpu = time.perf_counter(), time.process_time()
                    if name == 'bulk':
                        report = bulk.profiles.update(api, records, concurrency=4)
                        assert report.ok and report.accepted == count, report.summary()
                    else:
                        hand_loop(api, records, models=name == 'hand')
                    timings[name] = time.perf_counter() - began
                    cpu[name] = time.process_time() - began_cpu
                rows.append(timings)
                cpus.append(cpu)
    finally:
        server.terminate()
        server.wait()
    print('| round (%d profiles, sandbox %s, 4 threads) | hand loop (models) | '
          'hand loop (raw dicts) | bulk.profiles.update | bulk / models | bulk / raw dicts |'
          % (count, 'with --db' if db else 'in memory'))
    print('|---|---|---|---|---|---|')
    ratios, raw_ratios = [], []
    for number, timings in enumerate(rows, start=1):
        ratio = timings['hand'] / timings['bulk']
        raw = timings['dicts'] / timings['bulk']
        ratios.append(ratio)
        raw_ratios.append(raw)
        print('| %d | %.2f s (%.0f/s) | %.2f s (%.0f/s) | %.2f s (%.0f/s) | %.2f | %.2f |' % (
            number, timings['hand'], count / timings['hand'], timings['dicts'],
            count / timings['dicts'], timings['bulk'], count / timings['bulk'], ratio, raw))
    print('| median of the rounds\' ratios (target >= 0.9) | | | | **%.2f** | **%.2f** |'
          % (statistics.median(ratios), statistics.median(raw_ratios)))
    best = {name: min(timings[name] for timings in rows) for name in ('hand', 'dicts', 'bulk')}
    print('| best of the rounds (noise only slows) | %.2f s | %.2f s | %.2f s | **%.2f** | '
          '**%.2f** |' % (best['hand'], best['dicts'], best['bulk'], best['hand'] / best['bulk'],
                          best['dicts'] / best['bulk']))
    used = {name: statistics.median(cpu[name] for cpu in cpus)
            for name in ('hand', 'dicts', 'bulk')}
    print('| client CPU (median; all threads) | %.2f s | %.2f s | %.2f s | %.2f | %.2f |'
          % (used['hand'], used['dicts'], used['bulk'], used['bulk'] / used['hand'],
             used['bulk'] / used['dicts']))
    print()
    print('(the last row: CPU time of the client process, bulk / hand loop: its cost, which the '
          'noise of a busy machine moves far less than the wall times)')
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--rows', type=int, default=1000000)
    parser.add_argument('--profiles', type=int, default=100000)
    parser.add_argument('--rounds', type=int, default=6)
    parser.add_argument('--db', action='store_true', help='the sandbox keeps a SQLite file')
    parser.add_argument('--only', choices=('memory', 'throughput'))
    args = parser.parse_args()
    if args.only in (None, 'memory'):
        bench_memory(args.rows)
    if args.only in (None, 'throughput'):
        bench_throughput(args.profiles, args.rounds, args.db)


if __name__ == '__main__':
    main()
