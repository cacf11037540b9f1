"""Sandbox latency and throughput, measured through the SDK over real HTTP.

For each storage mode (memory, then ``--db`` with a fresh SQLite file) a sandbox is started as its
own process (``python -m talon_one.sandbox``) and measured from this process through
``talon_one.IntegrationApi``:

- latency: p50/p90 of a session update, and of a GET of the session just updated, one
  keep-alive connection, interleaved (update, get, update, get, ...);
- throughput: session updates per second from 8 client threads, each with its own ApiClient
  (one keep-alive connection each) and its own sessions;
- reset: p50 of ``POST /_sandbox/reset`` back to the world's seed (plain http.client).

The updates are not one body sent to one session: a seeded workload (``--seed``, so runs repeat)
spreads them over several sessions (8 for the latencies, 4 per thread), each with its own
profile (the example world's customers and new ones), and every update carries a different cart
-- empty to 12 items drawn from the example catalog and some others, quantities 1-3 -- and the
valid coupon XMAS-20-2021, an unknown code, or none. Before timing, every body is sent once and
the answers must show both an accepted and a rejected coupon.

``--scale N`` generates a world with N extra profiles and N extra coupons (written to a temporary
file) and also prints how long the sandbox took to start with it (until it listens).

    python bench/bench_sandbox.py [--requests 600] [--seconds 5] [--threads 8] [--scale 100000]
                                  [--mode memory|db|both] [--seed 1]

Targets on the 2-core development machine: update p50 <= 0.8 ms, GET p50 <= 0.5 ms,
8 threads >= 1,500 updates/s in memory and >= 800/s with --db; start with 100,000 profiles and
100,000 coupons <= 5 s. The machine is small and noisy: run it twice before reading much into it.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import talon_one  # noqa: E402
from talon_one.sandbox.world import EXAMPLE_WORLD  # noqa: E402

API_KEY = 'bench-key'
COUPON = 'XMAS-20-2021'
CART = [('Air Glide', 'SKU1241028', 1, 99.99, 'shoes'), ('Socks', 'SKU-SOCKS', 2, 9.5, 'socks')]
# What the varied workload's carts are drawn from: the example catalog, then other products.
PRODUCTS = ([('Air Glide', 'SKU1241028', 99.99, 'shoes'),
             ('Trail Runner', 'SKU1241029', 119.0, 'shoes'),
             ('Running socks', 'SOCKS-01', 9.5, 'socks')]
            + [('Bench product %d' % i, 'BENCH-SKU-%03d' % i, round(4.5 + 7.25 * i, 2),
                ('shoes', 'socks', 'shirts', 'bags')[i % 4]) for i in range(17)])
CART_SIZES = (0, 1, 2, 3, 5, 8, 12)
COUPONS = (COUPON, 'NO-SUCH-COUPON', None)     # valid, unknown, none
PROFILES = ('URNGV8294NV', 'BZGGC2454PA', 'DRPVV9476AF')   # the example world's customers


def scaled_world(count, path):
    """The example world plus ``count`` profiles and ``count`` coupons, written to ``path``."""
    with open(EXAMPLE_WORLD, encoding='utf-8') as handle:
        world = json.load(handle)
    campaign = world['coupons'][0]['campaignId']
    world['profiles'] += [{'integrationId': 'SCALE-P-%06d' % i,
                           'attributes': {'Name': 'Customer %d' % i, 'tier': i % 5}}
                          for i in range(count)]
    world['coupons'] += [{'value': 'SCALE-C-%06d' % i, 'campaignId': campaign, 'usageLimit': 1}
                         for i in range(count)]
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(world, handle)


@contextlib.contextmanager
def sandbox_process(world=None, db=None, launch=('-m', 'talon_one.sandbox'), root=ROOT):
    """A sandbox subprocess; yields (base URL, seconds until it listened).

    ``launch``: how Python starts it (the CLI by default); ``root``: the tree whose
    ``talon_one`` it runs (also its working directory, which ``-c`` puts first on the path)."""
    command = [sys.executable] + list(launch) + ['--port', '0', '--api-key', API_KEY]
    if world:
        command += ['--world', world]
    if db:
        command += ['--db', db]
    env = dict(os.environ, PYTHONPATH=root)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, text=True, cwd=root)
    try:
        line = process.stdout.readline()
        startup = time.perf_counter() - started
        if 'listening on' not in line:
            raise SystemExit('sandbox did not start: %r' % line)
        yield line.split()[-1], startup
    finally:
        process.terminate()
        process.wait(30)
        process.stdout.close()


def api_for(url):
    configuration = talon_one.Configuration(host=url, api_key={'Authorization': API_KEY},
                                            max_retries=0)
    client = talon_one.ApiClient(configuration)
    return client, talon_one.IntegrationApi(client)


def session_request(profile_id):
    items = [talon_one.CartItem(name=name, sku=sku, quantity=quantity, price=price,
                                category=category)
             for name, sku, quantity, price, category in CART]
    return talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        profile_id=profile_id, coupon_codes=[COUPON], cart_items=items))


def varied_workload(seed, sessions=8, bodies=64, prefix='bench-latency'):
    """``bodies`` (session id, IntegrationRequest) pairs over ``sessions`` sessions, in a seeded
    random order: each session has one profile (every other one an example customer, the rest
    new), each body its own cart (CART_SIZES items of PRODUCTS, quantities 1-3) and coupon
    (COUPONS: valid, unknown or none)."""
    rng = random.Random(seed)
    owners = [('%s-%d' % (prefix, i),
               PROFILES[i // 2 % len(PROFILES)] if i % 2 == 0 else '%s-P-%d' % (prefix.upper(), i))
              for i in range(sessions)]
    pairs = []
    for number in range(bodies):
        session_id, profile_id = owners[number % sessions]
        items = [talon_one.CartItem(name=name, sku=sku, quantity=rng.randint(1, 3), price=price,
                                    category=category)
                 for name, sku, price, category in rng.sample(PRODUCTS, rng.choice(CART_SIZES))]
        coupon = rng.choice(COUPONS)
        session = talon_one.NewCustomerSessionV2(
            profile_id=profile_id, cart_items=items,
            coupon_codes=[coupon] if coupon else None)
        pairs.append((session_id, talon_one.IntegrationRequest(customer_session=session)))
    rng.shuffle(pairs)
    return pairs


def describe(pairs):
    """One line on what a workload holds."""
    sizes = [len(body.customer_session.cart_items or ()) for _, body in pairs]
    codes = [(body.customer_session.coupon_codes or [None])[0] for _, body in pairs]
    return ('%d bodies over %d sessions, carts %d-%d items (mean %.1f), coupon valid %d / '
            'unknown %d / none %d' % (len(pairs), len({session for session, _ in pairs}),
                                      min(sizes), max(sizes), statistics.mean(sizes),
                                      codes.count(COUPON), codes.count('NO-SUCH-COUPON'),
                                      codes.count(None)))


def check_answers(api, pairs):
    """Send every body once (warm-up) and check the coupons were judged, both ways."""
    seen = set()
    for session_id, body in pairs:
        state = api.update_customer_session_v2(session_id, body)
        seen.update(effect.effect_type for effect in state.effects)
        api.get_customer_session(session_id)
    assert {'acceptCoupon', 'rejectCoupon'} <= seen, seen


def percentiles(samples):
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.9)] * 1000)


def timed_pairs(api, body, count):
    """``count`` (session update, GET of that session) pairs: (update seconds, GET seconds, the
    last update's answer). ``body``: one IntegrationRequest, sent to session bench-latency every
    time, or a list of (session id, IntegrationRequest) pairs (``varied_workload``), taken in
    turn."""
    pairs = list(body) if isinstance(body, (list, tuple)) else [('bench-latency', body)]
    updates, gets, state = [], [], None
    for index in range(count):
        session_id, request = pairs[index % len(pairs)]
        start = time.perf_counter()
        state = api.update_customer_session_v2(session_id, request)
        middle = time.perf_counter()
        api.get_customer_session(session_id)
        updates.append(middle - start)
        gets.append(time.perf_counter() - middle)
    return updates, gets, state


def latencies(url, requests, seed=1):
    client, api = api_for(url)
    with client:
        pairs = varied_workload(seed)
        check_answers(api, pairs)    # also warms: connection, caches
        updates, gets, _ = timed_pairs(api, pairs, requests)
    return percentiles(updates), percentiles(gets)


def throughput(url, threads, seconds, seed=1):
    counts = [0] * threads
    errors = []
    ready = threading.Barrier(threads + 1)
    stop = threading.Event()

    def worker(index):
        client, api = api_for(url)
        with client:
            pairs = varied_workload(seed + 1 + index, sessions=4, bodies=32,
                                    prefix='bench-thread-%d' % index)
            try:
                for session_id, body in pairs:
                    api.update_customer_session_v2(session_id, body)
                ready.wait()
                while not stop.is_set():
                    session_id, body = pairs[counts[index] % len(pairs)]
                    api.update_customer_session_v2(session_id, body)
                    counts[index] += 1
            except Exception as exc:    # reported, not hidden: a failed run prints its error
                errors.append(exc)
                stop.set()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    elapsed = time.perf_counter() - start
    for thread in workers:
        thread.join()
    if errors:
        raise SystemExit('throughput run failed: %r' % errors[0])
    return sum(counts) / elapsed


def reset_time(url, rounds=20):
    """p50 of ``POST /_sandbox/reset`` (after the runs above changed the state), in ms."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    samples = []
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            connection.request('POST', '/_sandbox/reset',
                               headers={'Authorization': 'ApiKey-v1 ' + API_KEY})
            response = connection.getresponse()
            response.read()
            samples.append(time.perf_counter() - start)
            assert response.status == 204, response.status
    finally:
        connection.close()
    return statistics.median(samples) * 1000


def run_mode(label, args, world, tmp):
    db = os.path.join(tmp, 'bench-%s.sqlite3' % label) if label == 'db' else None
    with sandbox_process(world, db) as (url, startup):
        (update_p50, update_p90), (get_p50, get_p90) = latencies(url, args.requests, args.seed)
        rate = throughput(url, args.threads, args.seconds, args.seed)
        reset = reset_time(url)
    print('%-6s start %5.2f s | update p50 %.3f ms p90 %.3f ms | GET p50 %.3f ms p90 %.3f ms | '
          '%d threads %5.0f updates/s | reset p50 %.1f ms'
          % (label, startup, update_p50, update_p90, get_p50, get_p90, args.threads, rate, reset))
    sys.stdout.flush()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--requests', type=int, default=600, help='latency samples per kind')
    parser.add_argument('--seconds', type=float, default=5.0, help='throughput run length')
    parser.add_argument('--threads', type=int, default=8, help='client threads for throughput')
    parser.add_argument('--scale', type=int, default=0,
                        help='add this many profiles and coupons to the example world')
    parser.add_argument('--mode', choices=('memory', 'db', 'both'), default='both')
    parser.add_argument('--seed', type=int, default=1,
                        help="the varied workload's seed (same seed, same carts and sessions)")
    args = parser.parse_args(argv)
    print('latency workload (seed %d): %s' % (args.seed, describe(varied_workload(args.seed))))
    print('throughput: %d threads, each %s' % (args.threads, describe(
        varied_workload(args.seed + 1, sessions=4, bodies=32, prefix='bench-thread-0'))))
    with tempfile.TemporaryDirectory() as tmp:
        world = None
        if args.scale:
            world = os.path.join(tmp, 'world.json')
            scaled_world(args.scale, world)
            print('world: example + %d profiles + %d coupons' % (args.scale, args.scale))
        modes = ('memory', 'db') if args.mode == 'both' else (args.mode,)
        for label in modes:
            run_mode(label, args, world, tmp)


if __name__ == '__main__':
    main()
