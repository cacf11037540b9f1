"""talon_one.aio side by side: against raw aiohttp + json, and against the sync SDK's threads.

Three rows, each a ratio measured in one run with the two sides alternating in slices of
every round (this machine's speed drifts, so only side-by-side ratios mean something), in
wall time and in the process's CPU time (steadier when other work shares the cores):

- ``64 concurrent small updates``: 64 updates of 64 sessions (a ~3 KB state each; one
  session each, as 64 customers: updates of one session wait for each other by design,
  ``Configuration.order_writes_per_id``) gathered on one event loop; the SDK's time per
  call over raw aiohttp + json's doing the same requests (the same connection limit, the
  same bodies, reading the same fields). Target <= 1.15.
- ``64 calls: aio vs async_req on 8 threads``: the same 64 calls with the sync SDK and
  ``async_req=True`` on an 8-thread pool; the async SDK's throughput over theirs.
  Target >= 2.
- ``one 1 MB state``: one session update answered with a ~1 MB state, SDK over raw aiohttp
  + json. Target <= 1.2.

nginx serves canned answers (as in bench_floor.py; ``apt-get install nginx-light``)::

    python bench/bench_aio.py [--rounds 5] [--seconds 0.6] [--nginx /usr/sbin/nginx]

Not a test: nothing here fails on a number.
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

import aiohttp  # noqa: E402

import talon_one  # noqa: E402
import talon_one.aio  # noqa: E402
from bench_floor import (API_KEY, HEADERS, Nginx, big_state, read_state_dict,  # noqa: E402
                         read_state_model, sdk_session, session_body, state)

CONCURRENCY = 64
TARGETS = {'64 concurrent small updates': ('<=', 1.15),
           '64 calls: aio vs async_req on 8 threads': ('>=', 2.0),
           'one 1 MB state': ('<=', 1.2),
           # For scale (no target of its own): the ceiling of the row above, raw aiohttp + json
           # against the sync SDK's threads.
           '64 calls: raw aiohttp vs async_req on 8 threads': ('>=', 2.0)}


def small_state():
    """About 3 KB: two cart items, four effects."""
    return state(2, 4)


def time_pair(first, second, seconds, slices=6, flip=False):
    """Per run of each side (plain callables), alternating in slices of a round:
    ((wall first, wall second), (cpu first, cpu second)) in seconds; cpu is this process's
    CPU time (its threads included), which other load on the machine disturbs less."""
    wall = [0.0, 0.0]
    cpu = [0.0, 0.0]
    runs = [0, 0]
    order = [(1, second), (0, first)] if flip else [(0, first), (1, second)]
    for _ in range(slices):
        for index, function in order:
            started, cpu_started = time.perf_counter(), time.process_time()
            stop = started + seconds / slices
            count = 0
            while True:
                function()
                count += 1
                now = time.perf_counter()
                if now >= stop:
                    break
            wall[index] += now - started
            cpu[index] += time.process_time() - cpu_started
            runs[index] += count
        order.reverse()
    return ((wall[0] / runs[0], wall[1] / runs[1]), (cpu[0] / runs[0], cpu[1] / runs[1]))


class Sides(object):
    """The three clients, each with its connections open; one event loop for both async ones."""

    def __init__(self, url):
        self.url = url
        self.loop = asyncio.new_event_loop()
        configuration = talon_one.Configuration(
            host=url, api_key={'Authorization': API_KEY}, connection_pool_maxsize=CONCURRENCY)
        self.aio_client = talon_one.aio.AsyncApiClient(configuration)
        self.aio = talon_one.aio.AsyncIntegrationApi(self.aio_client)
        self.sync_client = talon_one.ApiClient(talon_one.Configuration(
            host=url, api_key={'Authorization': API_KEY}, connection_pool_maxsize=8),
            pool_threads=8)
        self.sync = talon_one.IntegrationApi(self.sync_client)

        async def raw_session():
            return aiohttp.ClientSession(connector=aiohttp.TCPConnector(
                limit=0, limit_per_host=CONCURRENCY))
        self.raw = self.loop.run_until_complete(raw_session())

    def close(self):
        self.loop.run_until_complete(self.aio_client.close())
        self.loop.run_until_complete(self.raw.close())
        self.loop.close()
        self.sync_client.close()

    # -- one side each -------------------------------------------------------------------

    async def _sdk_one(self, session_id):
        return read_state_model(await self.aio.update_customer_session_v2(
            session_id, sdk_session(3)))

    async def _raw_one(self, session_id):
        body = json.dumps(session_body(3), separators=(',', ':')).encode()
        async with self.raw.put('%s/v2/customer_sessions/%s' % (self.url, session_id),
                                data=body, headers=HEADERS) as response:
            if response.status != 200:
                raise RuntimeError('raw: %s' % response.status)
            return read_state_dict(json.loads(await response.read()))

    def sdk_batch(self):
        async def batch():
            return await asyncio.gather(*(self._sdk_one('small-%d' % i)
                                          for i in range(CONCURRENCY)))
        return self.loop.run_until_complete(batch())

    def raw_batch(self):
        async def batch():
            return await asyncio.gather(*(self._raw_one('small-%d' % i)
                                          for i in range(CONCURRENCY)))
        return self.loop.run_until_complete(batch())

    def threads_batch(self):
        pending = [self.sync.update_customer_session_v2('small-%d' % i, sdk_session(3),
                                                        async_req=True)
                   for i in range(CONCURRENCY)]
        return [read_state_model(result.get(timeout=60)) for result in pending]

    def sdk_big(self):
        return self.loop.run_until_complete(self._sdk_one('big'))

    def raw_big(self):
        return self.loop.run_until_complete(self._raw_one('big'))


def check_same_answers(sides):
    assert sides.sdk_batch() == sides.raw_batch() == sides.threads_batch()
    assert sides.sdk_big() == sides.raw_big()


def summarize(name, ratios, cpu_ratios):
    sense, target = TARGETS[name]

    def met(value):
        return 'yes' if (value <= target if sense == '<=' else value >= target) else 'NO'
    wall, cpu = statistics.median(ratios), statistics.median(cpu_ratios)
    return '| %s | %.3f | %.3f-%.3f | %.3f | %.3f-%.3f | %s %.2f | %s, %s |' % (
        name, wall, min(ratios), max(ratios), cpu, min(cpu_ratios), max(cpu_ratios), sense,
        target, met(wall), met(cpu))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--seconds', type=float, default=0.6,
                        help='seconds of each side per round (default 0.6)')
    parser.add_argument('--nginx', default=shutil.which('nginx') or '/usr/sbin/nginx')
    args = parser.parse_args()
    if not os.path.exists(args.nginx):
        raise SystemExit('nginx is needed (apt-get install nginx-light), or --nginx PATH')

    small = json.dumps(small_state()).encode()
    big = json.dumps(big_state()).encode()
    answers = {'/v2/customer_sessions/small-%d' % i: small for i in range(CONCURRENCY)}
    answers['/v2/customer_sessions/big'] = big
    server = Nginx(args.nginx, answers)
    sides = Sides(server.url)
    try:
        check_same_answers(sides)
        for _ in range(3):  # warm both sides: connections, caches
            sides.sdk_batch(), sides.raw_batch(), sides.threads_batch()
        rows = {name: [] for name in TARGETS}
        cpu_rows = {name: [] for name in TARGETS}
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        for round_index in range(args.rounds):
            flip = bool(round_index % 2)
            (sdk, raw), (sdk_cpu, raw_cpu) = time_pair(sides.sdk_batch, sides.raw_batch,
                                                       args.seconds, flip=flip)
            rows['64 concurrent small updates'].append(sdk / raw)
            cpu_rows['64 concurrent small updates'].append(sdk_cpu / raw_cpu)
            (aio, threads), (aio_cpu, threads_cpu) = time_pair(
                sides.sdk_batch, sides.threads_batch, args.seconds, flip=flip)
            rows['64 calls: aio vs async_req on 8 threads'].append(threads / aio)
            cpu_rows['64 calls: aio vs async_req on 8 threads'].append(threads_cpu / aio_cpu)
            (raw, threads), (raw_cpu, threads_cpu) = time_pair(
                sides.raw_batch, sides.threads_batch, args.seconds, flip=flip)
            rows['64 calls: raw aiohttp vs async_req on 8 threads'].append(threads / raw)
            cpu_rows['64 calls: raw aiohttp vs async_req on 8 threads'].append(
                threads_cpu / raw_cpu)
            (sdk, raw), (sdk_cpu, raw_cpu) = time_pair(sides.sdk_big, sides.raw_big,
                                                       args.seconds * 2, flip=flip)
            rows['one 1 MB state'].append(sdk / raw)
            cpu_rows['one 1 MB state'].append(sdk_cpu / raw_cpu)
        nginx_share = (server.cpu_seconds() - cpu_before) / (time.perf_counter() - wall_before)
        per_call = sides_per_call(sides, args.seconds)
    finally:
        sides.close()
        server.stop()

    print('talon_one.aio, %d rounds of %.1f s a side (state %d bytes small, %d bytes big; '
          'aiohttp %s, Python %s)' % (args.rounds, args.seconds, len(small), len(big),
                                      aiohttp.__version__, sys.version.split()[0]))
    print()
    print('| row | wall: median ratio | spread | cpu: median ratio | spread | target | '
          'met (wall, cpu) |')
    print('|---|---|---|---|---|---|---|')
    for name in TARGETS:
        print(summarize(name, rows[name], cpu_rows[name]))
    print()
    print('wall per call (last measurement): SDK %.0f us, raw aiohttp %.0f us, sync threads '
          '%.0f us (64 concurrent); nginx used %.0f%% of a core; load average %.1f' % (
              per_call[0] * 1e6, per_call[1] * 1e6, per_call[2] * 1e6, nginx_share * 100,
              os.getloadavg()[0]))


def sides_per_call(sides, seconds):
    (sdk, raw), _ = time_pair(sides.sdk_batch, sides.raw_batch, seconds)
    (_, threads), _ = time_pair(sides.sdk_batch, sides.threads_batch, seconds)
    return sdk / CONCURRENCY, raw / CONCURRENCY, threads / CONCURRENCY


if __name__ == '__main__':
    main()
