"""Parsed models convert a field the first time it is read; nothing else may tell.

Every behaviour is checked on a lazily parsed instance against an instance whose fields
were all read first (the eager result).
"""

import copy
import datetime
import pickle
import threading

import talon_one
from talon_one import _model

UTC = datetime.timezone.utc

STATE = {
    'customerSession': {
        'integrationId': 'S1', 'state': 'open', 'created': '2021-03-04T05:06:07Z',
        'cartItems': [{'name': 'Shoe', 'sku': 'SKU-1', 'quantity': 2, 'price': 49,
                       'additionalCosts': {'wrap': {'price': 1}}, 'futureField': 'f'}],
        'couponCodes': ['XMAS'],
    },
    'effects': [{'campaignId': 10, 'rulesetId': 2, 'ruleIndex': 0, 'ruleName': 'r',
                 'effectType': 'setDiscount', 'props': {'name': 'Xmas', 'value': 19.8}}],
    'createdCoupons': [],
    'unknownTopLevel': {'kept': True},
}


def parsed():
    return talon_one.IntegrationStateV2.from_wire(copy.deepcopy(STATE))


def fully_read(state):
    """Read every field, recursively (what an eager parse would have done)."""
    state.to_dict()
    return state


def test_nothing_is_converted_before_it_is_read():
    state = parsed()
    assert set(state.__dict__) == {'_wire'}
    session = state.customer_session
    assert set(state.__dict__) == {'_wire', 'customer_session'}
    assert isinstance(session, talon_one.CustomerSessionV2)
    assert session.created == datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)
    assert session.cart_items[0].additional_costs['wrap'].price == 1.0
    assert state.customer_session is session          # converted once, then a plain read


def test_results_equal_those_of_an_eager_parse():
    lazy, eager = parsed(), fully_read(parsed())
    assert lazy == eager
    assert lazy.to_dict() == eager.to_dict()
    assert parsed().to_wire() == eager.to_wire()
    assert repr(parsed()) == repr(eager)
    assert parsed().to_json(sort_keys=True) == eager.to_json(sort_keys=True)
    assert talon_one.IntegrationStateV2.from_wire(eager.to_wire()) == lazy


def test_unknown_fields_and_lenient_values_survive():
    state = parsed()
    assert state.extra_fields == {'unknownTopLevel': {'kept': True}}
    assert state.unknown_top_level == {'kept': True}      # snake_case name works too
    item = state.customer_session.cart_items[0]
    assert item.extra_fields == {'futureField': 'f'}
    odd = talon_one.CartItem.from_wire({'quantity': 'two', 'created': 'later'})
    assert odd.quantity == 'two'
    assert odd.to_wire() == {'quantity': 'two', 'created': 'later'}
    assert state.to_wire()['unknownTopLevel'] == {'kept': True}


def test_writes_before_and_after_the_first_read():
    state = parsed()
    state.effects = []                                  # never read: replaced
    assert state.effects == [] and state.to_wire()['effects'] == []
    session = state.customer_session
    session.cart_items[0].quantity = 5                  # nested model, read then written
    session.coupon_codes.append('NEW')
    wire = state.to_wire()['customerSession']
    assert wire['cartItems'][0]['quantity'] == 5
    assert wire['couponCodes'] == ['XMAS', 'NEW']
    state.unknown_top_level = 'changed'                 # an unknown field, written
    assert state.to_wire()['unknownTopLevel'] == 'changed'


def test_copy_deepcopy_and_pickle():
    for state in (parsed(), fully_read(parsed())):
        for clone in (copy.copy(state), copy.deepcopy(state),
                      pickle.loads(pickle.dumps(state)),
                      pickle.loads(pickle.dumps(state, protocol=2))):
            assert clone == state
            assert clone.customer_session.cart_items[0].sku == 'SKU-1'
            assert clone.extra_fields == state.extra_fields
        deep = copy.deepcopy(state)
        deep.customer_session.cart_items[0].sku = 'OTHER'
        assert state.customer_session.cart_items[0].sku == 'SKU-1'


def test_first_reads_from_many_threads_give_one_result():
    for _ in range(20):
        state = parsed()
        seen = []
        barrier = threading.Barrier(8)

        def read(barrier=barrier, seen=seen, state=state):
            barrier.wait()
            seen.append(state.customer_session)

        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 8 and all(session is seen[0] for session in seen)
        assert state.customer_session is seen[0]


def test_fields_are_descriptors_that_instances_shadow():
    field = talon_one.IntegrationStateV2.__dict__['effects']
    assert isinstance(field, _model.Field)
    state = parsed()
    effects = state.effects
    assert state.__dict__['effects'] is effects       # later reads skip the descriptor
    assert talon_one.IntegrationStateV2.from_wire({}).effects == []   # required list: empty
    assert talon_one.IntegrationStateV2.from_wire({}).customer_session is None


def test_constructed_models_store_only_what_was_given():
    item = talon_one.CartItem(sku='S', quantity=1)
    assert set(item.__dict__) & set(talon_one.CartItem.openapi_types) == {'sku', 'quantity'}
    assert '_wire' not in item.__dict__
    assert item.name is None and item.additional_costs is None   # never set: None
    assert item.to_wire() == {'sku': 'S', 'quantity': 1}
    assert talon_one.CouponReservations().integration_i_ds is None  # required, still unset
    item.name = 'Shoe'
    assert item.to_wire() == {'sku': 'S', 'quantity': 1, 'name': 'Shoe'}
