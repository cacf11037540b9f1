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
