"""Parallel requests: 409 for the same session, no blocking across sessions."""

import threading

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
        for round_ in range(5):
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
