"""The store: private copies, JSON-shaped documents only, the same in memory and with SQLite."""

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox import WorldError
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


# -- deferred commits (SQLite): the server's loop writes one pass in one transaction -----

def _counting(store, write_sql=None):
    """Record the keys of every transaction ``store`` writes; ``write_sql`` replaces it."""
    transactions = []
    real_write = store._write_sql

    def counting_write(rows, meta):
        rows = list(rows)
        transactions.append(sorted(key for (kind, key), _ in rows))
        return (write_sql or real_write)(rows, meta)

    store._write_sql = counting_write
    return transactions


def test_deferred_commits_are_seen_at_once_and_written_in_one_transaction(tmp_path):
    path = str(tmp_path / 'deferred.sqlite3')
    store = Store(path)
    transactions = _counting(store)
    store.defer()
    assert not store.deferred_changes()
    for index in range(8):
        store.commit({('session', 'S%d' % index): {'n': index}})
        assert store.get('session', 'S%d' % index) == {'n': index}    # readers see it
    assert store.deferred_changes() and transactions == []            # the file not yet
    assert store.flush() is None
    assert transactions == [['S%d' % i for i in range(8)]]
    store.commit({('session', 'AFTER'): {'n': 9}})     # not deferred any more: written now
    assert transactions[-1] == ['AFTER']
    store.close()
    reopened = Store(path)
    assert sorted(key for key, _ in reopened.items('session')) == \
        ['AFTER'] + ['S%d' % i for i in range(8)]
    reopened.close()


def test_a_failed_flush_puts_memory_back_and_stores_nothing(tmp_path):
    import sqlite3
    path = str(tmp_path / 'failing.sqlite3')
    store = Store(path)
    store.commit({('session', 'KEPT'): {'v': 1}, ('session', 'GONE'): {'v': 1}})

    def full_disk(rows, meta):
        raise sqlite3.OperationalError('database or disk is full')

    _counting(store, write_sql=full_disk)
    store.defer()
    store.commit({('session', 'KEPT'): {'v': 2}, ('session', 'NEW'): {'v': 2}})
    store.commit({('session', 'GONE'): None})
    store.commit({('session', 'KEPT'): {'v': 3}})
    failure = store.flush()
    assert 'disk is full' in str(failure)
    assert store.get('session', 'KEPT') == {'v': 1}        # as before defer()
    assert store.get('session', 'GONE') == {'v': 1}
    assert store.get('session', 'NEW') is None
    store._write_sql = Store._write_sql.__get__(store)
    store.commit({('session', 'AFTER'): {'n': 1}})          # the next commit writes normally
    store.close()
    reopened = Store(path)
    assert dict(reopened.items('session')) == {'KEPT': {'v': 1}, 'GONE': {'v': 1},
                                               'AFTER': {'n': 1}}
    reopened.close()


def test_deferred_commits_keep_the_last_change_of_a_document(tmp_path):
    path = str(tmp_path / 'order.sqlite3')
    store = Store(path)
    store.defer()
    store.commit({('session', 'K'): {'v': 1}, ('session', 'OTHER'): {'v': 0}})
    store.commit({('session', 'K'): {'v': 2}})
    store.commit({('session', 'K'): None})
    assert store.flush() is None
    assert store.get('session', 'K') is None
    store.close()
    reopened = Store(path)
    assert reopened.get('session', 'K') is None and reopened.get('session', 'OTHER') == {'v': 0}
    reopened.close()


def test_only_the_deferring_thread_defers(tmp_path):
    import threading
    store = Store(str(tmp_path / 'threads.sqlite3'))
    transactions = _counting(store)
    store.defer()
    other = threading.Thread(target=store.commit, args=({('session', 'ELSEWHERE'): {'v': 1}},))
    other.start()
    other.join(10)
    assert transactions == [['ELSEWHERE']]      # written at once, as outside a pass
    store.commit({('session', 'MINE'): {'v': 1}})
    assert transactions == [['ELSEWHERE']]
    assert store.flush() is None and transactions[-1] == ['MINE']
    store.close()


def test_a_reset_drops_what_a_pass_had_not_written(tmp_path):
    path = str(tmp_path / 'reset.sqlite3')
    store = Store(path)
    snapshot = store.snapshot()
    store.defer()
    store.commit({('session', 'BEFORE-RESET'): {'v': 1}})
    store.restore(snapshot)
    assert store.flush() is None
    assert store.get('session', 'BEFORE-RESET') is None
    store.close()
    reopened = Store(path)
    assert reopened.get('session', 'BEFORE-RESET') is None     # the file agrees with memory
    reopened.close()


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


def test_a_commit_from_another_thread_during_a_pass_is_the_latest_in_the_file_too(tmp_path):
    import sqlite3
    import threading
    path = str(tmp_path / 'overtaken.sqlite3')
    store = Store(path)
    store.commit({('profile', 'P'): {'v': 0}})
    store.defer()
    store.commit({('profile', 'P'): {'v': 1}})      # the loop's request, deferred
    other = threading.Thread(target=store.commit, args=({('profile', 'P'): {'v': 2}},))
    other.start()
    other.join(10)
    assert store.flush() is None
    assert store.get('profile', 'P') == {'v': 2}
    # And when the flush fails, memory goes back to what the other thread stored.
    store.defer()
    store.commit({('profile', 'P'): {'v': 3}})
    other = threading.Thread(target=store.commit, args=({('profile', 'P'): {'v': 4}},))
    other.start()
    other.join(10)

    def full_disk(rows, meta):
        raise sqlite3.OperationalError('database or disk is full')

    store._write_sql = full_disk
    assert store.flush() is not None
    assert store.get('profile', 'P') == {'v': 4}
    store.close()
    reopened = Store(path)
    assert reopened.get('profile', 'P') == {'v': 4}
    reopened.close()
