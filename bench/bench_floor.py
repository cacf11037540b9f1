"""How close talon_one gets to the floor: the same HTTP calls made with raw urllib3 and json.

Each scenario does the same user-level work twice -- once through the SDK (build the request
models, call the method, read a few fields of the result) and once with urllib3 and json alone
(build the dicts, json.dumps, urllib3 request, json.loads, read the same keys) -- against canned
responses served by nginx, and prints the SDK/floor time ratio. The big session update reads
every date-time of its 1 MB state (3,004: the session's and profile's, and three for each of
1,000 created coupons) as a ``datetime`` on both sides -- the floor with
``datetime.fromisoformat`` -- so the SDK's lazy parsing cannot skip them. The two sides alternate
within each round and the order flips every round (this machine's speed drifts by +-25% over
seconds, so only ratios measured side by side mean something); the table shows the median
ratio over the rounds and its spread.

    python bench/bench_floor.py [--rounds 7] [--nginx /usr/sbin/nginx] [--only WORDS]

``--only`` runs the scenarios whose name contains WORDS (say ``--only big``), to look at one
row more closely; the full table needs no option.

nginx (Debian package ``nginx`` or ``nginx-light``) is started on a free port and stopped at
the end; its CPU use is reported, to show it is not the bottleneck. Not a test: nothing here
fails on a number.
"""

import argparse
import datetime
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import urllib3  # noqa: E402

import talon_one  # noqa: E402

API_KEY = 'bench-key'
NOW = '2026-11-22T10:15:30.123456Z'
BIG = 'big session update (1 MB state)'
TARGETS = {BIG: 1.2, 'small session update': 1.15,
           "track_event_v2(silent='no')": 1.1, 'update_customer_profiles_v2 x1000': 1.5,
           '8 threads, small updates': 1.2, 'import talon_one': 0.8,
           'peak RSS after the 1 MB parse': 1.15}
# Seconds each side runs per round. The two large-response rows get longer rounds: a call
# takes 5-20 ms there and a full GC pass (~10 ms, on either side) lands in some slices and
# not others, so short rounds measure where the collector ran more than the SDK.
ROUND_SECONDS = {BIG: 1.2, 'update_customer_profiles_v2 x1000': 1.2}


# -- canned data ----------------------------------------------------------------------------

def cart_item(index):
    return {'name': 'Item number %d of the cart' % index, 'sku': 'SKU-%08d' % index,
            'quantity': 1 + index % 3, 'returnedQuantity': 0, 'remainingQuantity': 1,
            'price': 10.5 + index, 'category': 'shoes/running/men', 'weight': 1.5,
            'height': 10.0, 'width': 20.0, 'length': 30.0, 'position': index,
            'catalogItemID': 1000 + index,
            'attributes': {'color': 'red', 'size': 42, 'material': 'mesh', 'season': 'SS26',
                           'description': 'A light running shoe with a mesh upper ' * 12},
            'additionalCosts': {'shipping': {'price': 2.5}, 'wrapping': {'price': 1.0}}}


def effect(index):
    return {'campaignId': 10 + index % 4, 'rulesetId': 3, 'ruleIndex': index % 5,
            'ruleName': 'rule %d' % index, 'effectType': 'setDiscountPerItem',
            'props': {'name': '10% off', 'value': 1.05, 'position': index},
            'triggeredByCoupon': 44, 'conditionIndex': 0, 'effectIndex': index}


def coupon(index):
    return {'id': index, 'created': NOW, 'campaignId': 10, 'value': 'CODE-%d' % index,
            'usageLimit': 1, 'startDate': NOW, 'expiryDate': NOW, 'usageCounter': 0,
            'recipientIntegrationId': 'p', 'importId': 1, 'reservation': True, 'batchId': 'b'}


def state(items, effects, coupons=0):
    return {
        'customerSession': {
            'integrationId': 'session-1', 'created': NOW, 'applicationId': 5,
            'profileId': 'URNGV8294NV', 'couponCodes': ['XMAS-20-2021'], 'state': 'open',
            'cartItems': [cart_item(i) for i in range(items)],
            'additionalCosts': {'shipping': {'price': 9}}, 'identifiers': ['91.11.156.141'],
            'attributes': {'ShippingCity': 'Berlin'}, 'firstSession': False, 'total': 1234.5,
            'cartItemTotal': 1200.0, 'additionalCostTotal': 34.5, 'updated': NOW},
        'customerProfile': {
            'id': 6, 'created': NOW, 'integrationId': 'URNGV8294NV',
            'attributes': {'Language': 'english'}, 'accountId': 31, 'closedSessions': 3,
            'totalSales': 299.99, 'lastActivity': NOW, 'sandbox': False},
        'effects': [effect(i) for i in range(effects)],
        'createdCoupons': [coupon(i) for i in range(coupons)],
        'createdReferrals': [],
    }


def big_state():
    """About 1 MB: 500 cart items, 300 effects, 3,000 date-times."""
    body = state(500, 300, coupons=1000)
    for index, item in enumerate(body['effects']):
        item['props']['description'] = 'Discount applied by rule %d of the campaign' % index
    return body


def small_state():
    return state(3, 5)


def profiles_response(count=1000):
    return {'integrationStates': [{'customerProfile': {'id': i, 'created': NOW,
                                               'integrationId': 'p-%d' % i,
                                               'attributes': {'n': i}, 'accountId': 1,
                                               'closedSessions': 0, 'totalSales': 0.0,
                                               'lastActivity': NOW},
                                   'effects': [], 'createdCoupons': [],
                                   'createdReferrals': []} for i in range(count)]}


def count_datetimes(value):
    if isinstance(value, dict):
        return sum(count_datetimes(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_datetimes(v) for v in value)
    return 1 if value == NOW else 0


# -- nginx ----------------------------------------------------------------------------------

NGINX_CONF = """
worker_processes 1;
error_log %(prefix)s/error.log warn;
pid %(prefix)s/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    default_type application/json;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_max_body_size 50m;
    client_body_buffer_size 4m;
    sendfile on;
    tcp_nodelay on;
    open_file_cache max=100;
    server {
        listen 127.0.0.1:%(port)d;
        root %(prefix)s/www;
        location / {
            # Canned answers for PUT and POST too: the 405 of the static module becomes a 200.
            error_page 405 =200 $uri;
        }
    }
}
"""


class Nginx(object):
    def __init__(self, binary, files):
        self.binary = binary
        self.prefix = tempfile.mkdtemp(prefix='talon-bench-nginx-')
        os.chmod(self.prefix, 0o755)  # nginx's worker may run as another user (nobody)
        for path, body in files.items():
            full = os.path.join(self.prefix, 'www', path.lstrip('/'))
            os.makedirs(os.path.dirname(full), mode=0o755, exist_ok=True)
            with open(full, 'wb') as handle:
                handle.write(body)
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            self.port = probe.getsockname()[1]
        conf = os.path.join(self.prefix, 'nginx.conf')
        with open(conf, 'w') as handle:
            handle.write(NGINX_CONF % {'prefix': self.prefix, 'port': self.port})
        self.process = subprocess.Popen([binary, '-p', self.prefix, '-c', conf,
                                         '-g', 'daemon off;'], stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=0.2).close()
                break
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit('nginx did not start: %s'
                                     % self.process.stderr.read()) from None
                time.sleep(0.05)
        self.url = 'http://127.0.0.1:%d' % self.port

    def cpu_seconds(self):
        """CPU time used so far by the nginx processes (master and worker)."""
        total = 0.0
        tick = os.sysconf('SC_CLK_TCK')
        for pid in [self.process.pid] + self._children():
            try:
                with open('/proc/%d/stat' % pid) as handle:
                    fields = handle.read().rsplit(')', 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, IndexError, ValueError):
                pass
        return total

    def _children(self):
        try:
            with open('/proc/%d/task/%d/children' % (self.process.pid, self.process.pid)) as h:
                return [int(pid) for pid in h.read().split()]
        except OSError:
            return []

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        shutil.rmtree(self.prefix, ignore_errors=True)


# -- the two sides of each scenario -------------------------------------------------------

HEADERS = {'Authorization': 'ApiKey-v1 ' + API_KEY, 'Accept': 'application/json',
           'Content-Type': 'application/json', 'User-Agent': 'floor'}


class Floor(object):
    """The same calls with urllib3 and json, no SDK."""

    def __init__(self, url):
        self.pool = urllib3.PoolManager(maxsize=8)
        self.url = url

    def call(self, method, path, body):
        response = self.pool.request(method, self.url + path, headers=HEADERS,
                                     body=json.dumps(body, separators=(',', ':')).encode())
        if response.status != 200:
            raise RuntimeError('floor: %s %s -> %s' % (method, path, response.status))
        return json.loads(response.data)


def session_body(items):
    return {'customerSession': {'profileId': 'URNGV8294NV', 'couponCodes': ['XMAS-20-2021'],
                                'cartItems': [{'name': 'Item %d' % i, 'sku': 'SKU-%d' % i,
                                               'quantity': 1, 'price': 10.0}
                                              for i in range(items)]}}


def sdk_session(items):
    session = talon_one.NewCustomerSessionV2(
        profile_id='URNGV8294NV', coupon_codes=['XMAS-20-2021'],
        cart_items=[talon_one.CartItem(name='Item %d' % i, sku='SKU-%d' % i, quantity=1,
                                       price=10.0) for i in range(items)])
    return talon_one.IntegrationRequest(customer_session=session)


def read_state_dict(body):
    """What a shop reads after a session update: the effects, and the cart it sent."""
    total = 0.0
    for item in body['effects']:
        if item['effectType'] == 'setDiscountPerItem':
            total += item['props']['value']
    return total, len(body['customerSession']['cartItems']), body['customerSession']['state']


def read_state_model(state_model):
    total = 0.0
    for item in state_model.effects:
        if item.effect_type == 'setDiscountPerItem':
            total += item.props['value']
    session = state_model.customer_session
    return total, len(session.cart_items), session.state


def floor_datetime(text):
    """What a shop on raw json does with an RFC 3339 date-time ('Z' for Python < 3.11)."""
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))


def read_big_dict(body):
    """read_state_dict, and every date-time of the big state parsed into a datetime."""
    session, profile = body['customerSession'], body['customerProfile']
    stamps = [floor_datetime(session['created']), floor_datetime(session['updated']),
              floor_datetime(profile['created']), floor_datetime(profile['lastActivity'])]
    for item in body['createdCoupons']:
        stamps.append(floor_datetime(item['created']))
        stamps.append(floor_datetime(item['startDate']))
        stamps.append(floor_datetime(item['expiryDate']))
    return read_state_dict(body) + (stamps,)


def read_big_model(state_model):
    """read_state_model, and every date-time of the big state read from the models (parsing is
    lazy: a field nobody reads is never parsed, so the row reads them all)."""
    session, profile = state_model.customer_session, state_model.customer_profile
    stamps = [session.created, session.updated, profile.created, profile.last_activity]
    for item in state_model.created_coupons:
        stamps.append(item.created)
        stamps.append(item.start_date)
        stamps.append(item.expiry_date)
    return read_state_model(state_model) + (stamps,)


def profiles_request_dict(count=1000):
    return {'customerProfiles': [{'integrationId': 'p-%d' % i, 'attributes': {'n': i}}
                                 for i in range(count)]}


def profiles_request_model(count=1000):
    return talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
        talon_one.MultipleCustomerProfileIntegrationRequestItem(integration_id='p-%d' % i,
                                                                attributes={'n': i})
        for i in range(count)])


def scenarios(api, floor):
    event_dict = {'profileId': 'URNGV8294NV', 'type': 'pageView', 'attributes': {'page': '/'}}

    def sdk_event():
        body = talon_one.IntegrationEventV2Request(profile_id='URNGV8294NV', type='pageView',
                                                   attributes={'page': '/'})
        return read_state_model(api.track_event_v2(body, silent='no'))

    def sdk_profiles():
        result = api.update_customer_profiles_v2(profiles_request_model(), silent='no')
        return (len(result.integration_states),
                result.integration_states[-1].customer_profile.id)

    def floor_profiles():
        result = floor.call('PUT', '/v2/customer_profiles?silent=no', profiles_request_dict())
        states = result['integrationStates']
        return len(states), states[-1]['customerProfile']['id']

    return [
        (BIG,
         lambda: read_big_model(api.update_customer_session_v2('big', sdk_session(3))),
         lambda: read_big_dict(floor.call('PUT', '/v2/customer_sessions/big',
                                          session_body(3)))),
        ('small session update',
         lambda: read_state_model(api.update_customer_session_v2('small', sdk_session(3))),
         lambda: read_state_dict(floor.call('PUT', '/v2/customer_sessions/small',
                                            session_body(3)))),
        ("track_event_v2(silent='no')", sdk_event,
         lambda: read_state_dict(floor.call('POST', '/v2/events?silent=no', event_dict))),
        ('update_customer_profiles_v2 x1000', sdk_profiles, floor_profiles),
    ]


def time_pair(sdk, raw, seconds=0.3, slices=6, flip=False):
    """Seconds per call of each side, the two run in alternating slices of a round."""
    spent = {'sdk': 0.0, 'raw': 0.0}
    calls = {'sdk': 0, 'raw': 0}
    order = [('raw', raw), ('sdk', sdk)] if flip else [('sdk', sdk), ('raw', raw)]
    for _ in range(slices):
        for side, function in order:
            started = time.perf_counter()
            stop = started + seconds / slices
            count = 0
            while True:
                function()
                count += 1
                now = time.perf_counter()
                if now >= stop:
                    break
            spent[side] += now - started
            calls[side] += count
        order.reverse()
    return spent['sdk'] / calls['sdk'], spent['raw'] / calls['raw']


def threaded(function, threads=8, calls=120):
    barrier = threading.Barrier(threads + 1)

    def work():
        barrier.wait()
        for _ in range(calls):
            function()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


# -- whole-process figures ----------------------------------------------------------------

# ru_maxrss survives exec on Linux (it would report the parent's peak): VmHWM does not.
PEAK_RSS = """
def peak_rss():
    with open('/proc/self/status') as handle:
        for line in handle:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
"""
RSS_SDK = PEAK_RSS + """
import sys, talon_one
c = talon_one.Configuration(host=sys.argv[1], api_key={'Authorization': 'k'})
api = talon_one.IntegrationApi(talon_one.ApiClient(c))
session = talon_one.NewCustomerSessionV2(profile_id='p', cart_items=[
    talon_one.CartItem(name='i', sku='s', quantity=1, price=1.0)])
state = api.update_customer_session_v2(
    'big', talon_one.IntegrationRequest(customer_session=session))
total = sum(e.props['value'] for e in state.effects if e.effect_type == 'setDiscountPerItem')
print(peak_rss(), len(state.customer_session.cart_items))
"""
RSS_FLOOR = PEAK_RSS + """
import json, sys, urllib3
pool = urllib3.PoolManager()
body = {'customerSession': {'profileId': 'p', 'cartItems': [
    {'name': 'i', 'sku': 's', 'quantity': 1, 'price': 1.0}]}}
r = pool.request('PUT', sys.argv[1] + '/v2/customer_sessions/big', body=json.dumps(body).encode(),
                 headers={'Authorization': 'ApiKey-v1 k', 'Content-Type': 'application/json'})
state = json.loads(r.data)
total = sum(e['props']['value'] for e in state['effects']
            if e['effectType'] == 'setDiscountPerItem')
print(peak_rss(), len(state['customerSession']['cartItems']))
"""


def run_python(code, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('PYTHONDONTWRITEBYTECODE', None)  # compiled modules, as an installed package has
    started = time.perf_counter()
    result = subprocess.run([sys.executable, '-c', code] + list(args), env=env,
                            capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout.split()


# -- main ---------------------------------------------------------------------------------

def summarize(name, ratios):
    ratios = sorted(ratios)
    median = statistics.median(ratios)
    target = TARGETS[name]
    verdict = 'ok' if median <= target else 'OVER'
    print('%-36s %6.3fx  (%.3f - %.3f)  target <= %.2fx  %s'
          % (name, median, ratios[0], ratios[-1], target, verdict))
    return median


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--nginx', default=shutil.which('nginx') or '/usr/sbin/nginx')
    parser.add_argument('--only', default='',
                        help='run only the scenarios whose name contains this text')
    args = parser.parse_args()
    if not os.path.exists(args.nginx):
        raise SystemExit('nginx is not installed: `apt-get install nginx-light` (Debian), or '
                         'give its path with --nginx')

    big = json.dumps(big_state(), separators=(',', ':')).encode()
    files = {'/v2/customer_sessions/big': big,
             '/v2/customer_sessions/small': json.dumps(small_state()).encode(),
             '/v2/events': json.dumps(small_state()).encode(),
             '/v2/customer_profiles': json.dumps(profiles_response()).encode()}
    server = Nginx(args.nginx, files)
    try:
        print('talon_one %s, Python %s, urllib3 %s; big state %.2f MB, %d date-times (the '
              'big row reads them all), small state %.1f KB'
              % (talon_one.__version__, sys.version.split()[0], urllib3.__version__,
                 len(big) / 1e6, count_datetimes(big_state()),
                 len(files['/v2/customer_sessions/small']) / 1e3))
        configuration = talon_one.Configuration(host=server.url,
                                                api_key={'Authorization': API_KEY})
        api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
        floor = Floor(server.url)
        table = scenarios(api, floor)
        results = {name: [] for name, _, _ in table}
        results['8 threads, small updates'] = []
        results['import talon_one'] = []
        results['peak RSS after the 1 MB parse'] = []
        wanted = [name for name in TARGETS if args.only in name]
        if not wanted:
            raise SystemExit('no scenario name contains %r' % args.only)
        small = table[1]
        table = [row for row in table if row[0] in wanted]
        for name, sdk, raw in table:   # warm up, and check both sides agree
            assert sdk() == raw(), name
        if table and table[0][0] == BIG:
            # The big row reads every date-time of the state, as datetimes, on both sides.
            stamps = table[0][1]()[-1]
            assert len(stamps) == count_datetimes(big_state()), (len(stamps), BIG)
            assert all(isinstance(value, datetime.datetime) for value in stamps), BIG
        cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
        for round_number in range(args.rounds):
            flip = round_number % 2 == 1
            for name, sdk, raw in table:
                seconds = ROUND_SECONDS.get(name, 0.3)
                sdk_time, raw_time = time_pair(sdk, raw, seconds=seconds,
                                               slices=int(seconds * 20), flip=flip)
                results[name].append(sdk_time / raw_time)
            if '8 threads, small updates' not in wanted:
                continue
            sdk_small, raw_small = small[1], small[2]
            times = {}
            for function, side in ((raw_small, 'raw'), (sdk_small, 'sdk'))[::(-1 if flip else 1)]:
                times[side] = threaded(function)
            results['8 threads, small updates'].append(times['sdk'] / times['raw'])
        nginx_share = (server.cpu_seconds() - cpu_before) / (time.perf_counter() - wall_before)
        for round_number in range(args.rounds):
            if 'import talon_one' in wanted:
                pair = [('import talon_one', 'sdk'),
                        ('import urllib3, json, dateutil, certifi', 'raw')]
                times = {}
                for code, side in (pair[::-1] if round_number % 2 else pair):
                    times[side] = run_python(code)[0]
                results['import talon_one'].append(times['sdk'] / times['raw'])
            if 'peak RSS after the 1 MB parse' not in wanted:
                continue
            rss = {}
            for code, side in ((RSS_SDK, 'sdk'), (RSS_FLOOR, 'raw')):
                rss[side] = int(run_python(code, server.url)[1][0])
            results['peak RSS after the 1 MB parse'].append(rss['sdk'] / rss['raw'])
        print('%-36s %-8s %-16s' % ('scenario (SDK / floor)', 'median', '(min - max)'))
        for name in wanted:
            summarize(name, results[name])
        print('nginx used %.0f%% of one core during the timed rounds (the client side is the '
              'rest: nginx is not the bottleneck when this stays well under 100%%)'
              % (nginx_share * 100))
    finally:
        server.stop()


if __name__ == '__main__':
    main()
