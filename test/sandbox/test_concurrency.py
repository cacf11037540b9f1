"""Parallel requests: 409 for the same session, no blocking across sessions."""

import threading

from talon_one.sandbox.errors import SandboxError

from .http_client import Client, assert_error

CART = [{'sku': 'A', 'quantity': 1, 'price': 10.0}]


def test_update_of_a_busy_session_is_409(sandbox, client):
    client.session('BUSY', profileId='P1', cartItems=CART)
    # Another request is in the middle of updating BUSY: hold its lock.
    with sandbox.store.locked((), exclusive=('session:BUSY',)):
        response = client.session('BUSY', profileId='P1', state='closed', cartItems=CART)
        returns = client.put('/v2/customer_sessions/BUSY/reopen')
        other = client.session('NOT-BUSY', profileId='P1', cartItems=CART)
    assert_error(response, 409)
    assert_error(returns, 409)
    assert other.status == 200              # other sessions are not blocked
    assert client.get('/v2/customer_sessions/BUSY').body['customerSession']['state'] == 'open'
    assert client.session('BUSY', profileId='P1', state='closed', cartItems=CART).status == 200


def test_parallel_updates_of_one_session_get_200_or_409(sandbox):
    client = Client(sandbox.url, sandbox.api_key)
    client.session('SAME', profileId='P1', cartItems=CART)
    statuses = []
    lock = threading.Lock()

    def worker(index):
        for _ in range(5):
            items = [dict(CART[0], quantity=index + 1)]
            response = client.session('SAME', profileId='P1', cartItems=items)
            with lock:
                statuses.append(response.status)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 409}
    assert statuses.count(200) >= 1
    session = client.get('/v2/customer_sessions/SAME').body['customerSession']
    assert session['cartItems'][0]['quantity'] in range(1, 7)


def test_many_clients_many_sessions(sandbox):
    client = Client(sandbox.url, sandbox.api_key)
    failures = []

    def worker(index):
        for round_ in range(4):
            session_id = 'PAR-%d-%d' % (index, round_)
            response = client.session(session_id, profileId='PP-%d' % index, state='closed',
                                      couponCodes=['XMAS-20-2021'],
                                      cartItems=[dict(CART[0], price=60.0)])
            if response.status != 200:
                failures.append(response)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    # Every close was counted exactly once on the shared coupon.
    coupon = sandbox.store.get('coupon', 'XMAS-20-2021')
    assert coupon['usageCounter'] == 32
    for index in range(8):
        assert sandbox.store.get('profile', 'PP-%d' % index)['closedSessions'] == 4


def test_open_updates_only_read_a_coupon_and_a_close_waits_for_it(sandbox, client):
    # Another request holds the coupon (say, a close that is redeeming it).
    SHOES = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 99.99, 'category': 'shoes'}]
    results = {}
    with sandbox.store.locked(['coupon:XMAS-20-2021']):
        opening = threading.Thread(target=lambda: results.update(open=client.session(
            'READS-CODE', profileId='CODE-READER', couponCodes=['XMAS-20-2021'],
            cartItems=SHOES)))
        opening.start()
        opening.join(10)
        assert not opening.is_alive(), 'the open update waited for the coupon lock'
        closing = threading.Thread(target=lambda: results.update(close=client.session(
            'READS-CODE', profileId='CODE-READER', state='closed', couponCodes=['XMAS-20-2021'],
            cartItems=SHOES)))
        closing.start()
        _wait_until_held(sandbox.store, 'session:READS-CODE')
        closing.join(0.3)
        assert closing.is_alive()       # the close waits: it will change the coupon
        assert sandbox.store.get('coupon', 'XMAS-20-2021')['usageCounter'] == 0
    closing.join()
    assert results['open'].status == 200    # answered while the coupon was held
    assert 'acceptCoupon' in [e['effectType'] for e in results['open'].body['effects']]
    assert results['close'].status == 200
    assert sandbox.store.get('coupon', 'XMAS-20-2021')['usageCounter'] == 1


def _wait_until_held(store, key):
    """Block until another request holds ``key`` (bounded; a poll, not a timing check)."""
    for _ in range(2000):
        try:
            with store.locked((), exclusive=(key,)):
                pass
        except SandboxError:
            return
        threading.Event().wait(0.005)
    raise AssertionError('%s was never locked' % key)


def _orphans(store):
    return [key for key, session in store.items('session')
            if session.get('profileId') and store.get('profile', session['profileId']) is None]


def test_delete_waits_for_a_running_session_update(sandbox, client):
    for round_ in range(3):
        profile_id, session_id, code = 'DEL-%d' % round_, 'DEL-S-%d' % round_, 'HOLD-%d' % round_
        assert client.session(session_id, profileId=profile_id, state='closed',
                              couponCodes=[code], cartItems=CART).status == 200
        results = {}

        def reopen(results=results, session_id=session_id):
            results['reopen'] = client.put('/v2/customer_sessions/%s/reopen' % session_id)

        def delete(results=results, profile_id=profile_id):
            results['delete'] = client.delete('/v1/customer_data/' + profile_id)

        # The reopen takes its session lock and then waits for the coupon lock we hold, so it
        # is in the middle of its update when the deletion arrives.
        with sandbox.store.locked(['coupon:' + code]):
            reopening = threading.Thread(target=reopen)
            reopening.start()
            _wait_until_held(sandbox.store, 'session:' + session_id)
            deleting = threading.Thread(target=delete)
            deleting.start()
            deleting.join(0.3)      # without session locks the deletion finishes right here
        reopening.join()
        deleting.join()
        assert results['reopen'].status == 200, results['reopen']
        assert results['delete'].status == 204, results['delete']
        assert_error(client.get('/v2/customer_sessions/' + session_id), 404)
        assert _orphans(sandbox.store) == []


def test_concurrent_updates_and_deletes_leave_no_orphan_sessions(sandbox):
    client = Client(sandbox.url, sandbox.api_key)
    statuses = []

    def record(response):
        statuses.append(response.status)

    for round_ in range(15):
        profile_id = 'RACE-%d' % round_
        session_ids = ['RACE-%d-%d' % (round_, i) for i in range(3)]
        for session_id in session_ids:
            client.session(session_id, profileId=profile_id, state='closed', cartItems=CART)
        jobs = [lambda p=profile_id: record(client.delete('/v1/customer_data/' + p))]
        for session_id in session_ids:
            jobs.append(lambda s=session_id: record(
                client.put('/v2/customer_sessions/%s/reopen' % s)))
            jobs.append(lambda s=session_id: record(
                client.session(s, state='cancelled', cartItems=CART)))
        threads = [threading.Thread(target=job) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert _orphans(sandbox.store) == []
    assert all(status < 500 for status in statuses), statuses
