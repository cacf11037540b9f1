"""The store: private copies, JSON-shaped documents only, the same in memory and with SQLite."""

import pytest

from talon_one.sandbox import Sandbox, WorldError
from talon_one.sandbox.store import Store


@pytest.fixture(params=['memory', 'db'])
def store(request, tmp_path):
    opened = Store(str(tmp_path / 'store.sqlite3') if request.param == 'db' else None)
    yield opened
    opened.close()


def test_readers_get_private_copies(store):
    store.commit({('profile', 'P'): {'attributes': {'a': [1, 2]}}})
    first = store.get('profile', 'P')
    first['attributes']['a'].append(3)
    assert store.get('profile', 'P') == {'attributes': {'a': [1, 2]}}
    assert store.items('profile') == [('P', {'attributes': {'a': [1, 2]}})]


@pytest.mark.parametrize('doc, problem', [
    ({'a': (1, 2)}, 'a tuple is not a JSON value'),
    ({'a': {1: 'x'}}, 'key 1 is not a string'),
    ({'a': [{1, 2}]}, 'a set is not a JSON value'),
])
def test_documents_must_be_json_shaped(store, doc, problem):
    with pytest.raises(TypeError) as caught:
        store.commit({('profile', 'OK'): {'fine': True}, ('profile', 'BAD'): doc})
    assert str(caught.value) == 'profile BAD: ' + problem
    assert store.get('profile', 'OK') is None       # nothing of the change set was stored


def test_restore_brings_back_a_snapshot(store):
    store.commit({('coupon', 'C1'): {'usageCounter': 0}})
    store.next_id('coupon')
    snapshot = store.snapshot()
    store.commit({('coupon', 'C1'): {'usageCounter': 5}, ('coupon', 'C2'): {'usageCounter': 1}})
    store.next_id('coupon')
    store.restore(snapshot)
    assert store.items('coupon') == [('C1', {'usageCounter': 0})]
    assert store.next_id('coupon') == 2


def test_items_newest_first_and_limited(store):
    store.commit({('session', 'S%d' % i): {'n': i} for i in range(5)})
    assert [key for key, _ in store.items('session', limit=2)] == ['S0', 'S1']
    assert [key for key, _ in store.items('session', limit=2, newest_first=True)] == ['S4', 'S3']
    assert store.count('session') == 5 and store.count('nothing') == 0


def test_a_world_given_as_a_dict_is_taken_as_json():
    world = {'application': {}, 'profiles': [{'integrationId': 'T', 'attributes': {'t': (1, 2)}}]}
    with Sandbox(world=world) as sandbox:
        assert sandbox.store.get('profile', 'T')['attributes'] == {'t': [1, 2]}
    world['profiles'][0]['attributes'] = {'s': {1, 2}}
    with pytest.raises(WorldError) as caught:
        Sandbox(world=world).start()
    assert 'not representable as JSON' in str(caught.value)


# -- group commit (SQLite) ------------------------------------------------------------

def _commit_while_the_file_is_busy(store, count, write_sql=None):
    """``count`` threads commit while the file is held; returns (transactions, errors)."""
    import threading
    import time
    transactions, errors = [], []
    real_write = store._write_sql

    def counting_write(rows, meta):
        transactions.append(sorted(key for (kind, key), _ in rows))
        return (write_sql or real_write)(rows, meta)

    store._write_sql = counting_write

    def commit(index):
        try:
            store.commit({('session', 'S%d' % index): {'n': index}})
        except Exception as exc:    # collected: the test asserts on them
            errors.append(exc)

    threads = [threading.Thread(target=commit, args=(i,)) for i in range(count)]
    with store._file_lock:          # the file is being written: commits queue up
        for thread in threads:
            thread.start()
        for _ in range(2000):       # bounded poll: one commit is writing, the rest queued
            with store._queue_lock:
                if len(store._queue) == count - 1:
                    break
            time.sleep(0.005)
        else:
            raise AssertionError('the commits never queued up')
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)
    return transactions, errors


def test_commits_that_wait_for_the_file_share_one_transaction(tmp_path):
    path = str(tmp_path / 'group.sqlite3')
    store = Store(path)
    transactions, errors = _commit_while_the_file_is_busy(store, 8)
    assert errors == []
    # The first commit writes alone; the seven that queued behind it go in together.
    assert sorted(len(keys) for keys in transactions) == [1, 7]
    assert sorted(key for keys in transactions for key in keys) == ['S%d' % i for i in range(8)]
    assert store.count('session') == 8
    store.close()
    reopened = Store(path)          # every answered commit is in the file
    assert sorted(key for key, _ in reopened.items('session')) == ['S%d' % i for i in range(8)]
    reopened.close()


def test_a_failed_group_write_fails_each_of_its_commits_and_stores_none(tmp_path):
    import sqlite3
    store = Store(str(tmp_path / 'failing.sqlite3'))

    def full_disk(rows, meta):
        raise sqlite3.OperationalError('database or disk is full')

    transactions, errors = _commit_while_the_file_is_busy(store, 5, write_sql=full_disk)
    assert len(errors) == 5 and all('disk is full' in str(e) for e in errors)
    assert store.count('session') == 0          # memory never got ahead of the file
    store._write_sql = Store._write_sql.__get__(store)
    store.commit({('session', 'AFTER'): {'n': 1}})   # the next commit writes normally
    assert store.get('session', 'AFTER') == {'n': 1}
    store.close()


def test_a_view_is_decoded_once_and_dropped_when_its_kind_changes(store):
    store.commit({('audience', 'A1'): {'id': 1, 'members': ['P']}})
    first = store.view('audience')
    assert first == {'A1': {'id': 1, 'members': ['P']}}
    assert store.view('audience') is first              # shared until a change
    store.commit({('profile', 'P'): {'attributes': {}}})
    assert store.view('audience') is first              # another kind changed
    store.commit({('audience', 'A2'): {'id': 2, 'members': []}})
    assert store.view('audience') == {'A1': {'id': 1, 'members': ['P']},
                                      'A2': {'id': 2, 'members': []}}
    snapshot = store.snapshot()
    store.commit({('audience', 'A1'): None})
    assert list(store.view('audience')) == ['A2']
    store.restore(snapshot)
    assert sorted(store.view('audience')) == ['A1', 'A2']


def test_a_group_keeps_the_last_change_of_a_document_in_the_file_too(tmp_path):
    import threading
    import time
    path = str(tmp_path / 'order.sqlite3')
    store = Store(path)

    def queued(count):
        for _ in range(2000):   # bounded poll
            with store._queue_lock:
                if len(store._queue) == count:
                    return
            time.sleep(0.005)
        raise AssertionError('the commits never queued up')

    threads = []
    with store._file_lock:      # the file is busy: what follows queues up in this order
        for number, change in enumerate([{('session', 'OTHER'): {'v': 0}},     # writes alone
                                         {('session', 'K'): {'v': 2}},
                                         {('session', 'K'): None}]):
            thread = threading.Thread(target=store.commit, args=(change,))
            thread.start()
            threads.append(thread)
            queued(number)      # the first one is writing; the others wait in order
    for thread in threads:
        thread.join(10)
    assert store.get('session', 'K') is None
    store.close()
    reopened = Store(path)
    assert reopened.get('session', 'K') is None and reopened.get('session', 'OTHER') == {'v': 0}
    reopened.close()
