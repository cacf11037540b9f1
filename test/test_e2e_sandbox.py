"""End to end: the SDK against the local sandbox over real HTTP on 127.0.0.1.

Every one of the 30 operations is called through ``talon_one.IntegrationApi`` with
realistic values; the tests check the typed result (model classes, nested reads,
timezone-aware datetimes) and the state change it caused, read back through other
operations. Then: a whole checkout flow, error mapping, v1 request signing,
``async_req``, ``*_with_http_info`` statuses and the deprecated v1 operations.

Each test gets a fresh sandbox loaded with the example world
(talon_one/sandbox/example_world.json) from the ``talon_sandbox`` fixture, so the
numbers below follow from that file and the rules documented in WORLD.md.
"""

import datetime
import hashlib
import hmac
import json
import os

import pytest

import talon_one
from talon_one import rest


REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_WORLD = os.path.join(REPO_ROOT, 'talon_one', 'sandbox', 'example_world.json')

PROFILE = 'URNGV8294NV'          # Ada: VIP (748) and newsletter (2) audiences, 180 points
OTHER_PROFILE = 'BZGGC2454PA'    # Grace: owner of the two closed sessions
ADVOCATE = 'DRPVV9476AF'         # Linus: advocate of referral NT2K54D9
LAPSED_PROFILE = 'R195412'       # Barbara: audience 7 only
OPEN_SESSION = '175KJPS947296'
CLOSED_SESSION = 'CLOSED-SESSION-1'
COUPON = 'XMAS-20-2021'
RESERVED_COUPON = 'RESERVED-ONLY'
REFERRAL = 'NT2K54D9'
PROFILE_PROGRAM = 125
CARD_PROGRAM = 324
CARD = 'summer-loyalty-card-0543'
VIP_AUDIENCE = 748
CATALOG = 6

UTC = datetime.timezone.utc


# ---------------------------------------------------------------- helpers and fixtures

@pytest.fixture
def api_client(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        yield client


@pytest.fixture
def api(api_client):
    return talon_one.IntegrationApi(api_client)


def assert_aware(value):
    """A timezone-aware datetime (the SDK never hands out naive ones)."""
    assert isinstance(value, datetime.datetime), repr(value)
    assert value.tzinfo is not None and value.utcoffset() is not None, repr(value)


def effects_of(effects, effect_type):
    return [effect for effect in effects if effect.effect_type == effect_type]


def one_effect(effects, effect_type):
    found = effects_of(effects, effect_type)
    assert len(found) == 1, [(e.effect_type, e.props) for e in effects]
    assert isinstance(found[0], talon_one.Effect)
    return found[0]


def profile_of(api, integration_id):
    return api.get_customer_inventory(integration_id, profile=True).profile


def audience_ids(profile):
    return {membership.id for membership in profile.audience_memberships}


def cart_item(name, sku, quantity, price, category):
    return talon_one.CartItem(name=name, sku=sku, quantity=quantity, price=price,
                              category=category)


def session_request(session, *content):
    return talon_one.IntegrationRequest(customer_session=session,
                                        response_content=list(content) or None)


def reservation(*integration_ids):
    return talon_one.CouponReservations(integration_i_ds=list(integration_ids))


def audience_members_change(action, integration_id, audience_id):
    return talon_one.CustomerProfileAudienceRequest(data=[
        talon_one.CustomerProfileAudienceRequestItem(
            action=action, profile_integration_id=integration_id, audience_id=audience_id)])


# ---------------------------------------------------------------- audiences

def test_create_audience_v2(api):
    created = api.create_audience_v2(talon_one.NewAudience(
        name='Travel audience', description='Travel audience 18-25', integration='mparticle',
        integration_id='382370BKDB946'))
    assert isinstance(created, talon_one.Audience)
    assert created.name == 'Travel audience'
    assert created.integration == 'mparticle'
    assert created.integration_id == '382370BKDB946'
    assert created.id not in (VIP_AUDIENCE, 2, 4, 7)
    assert_aware(created.created)

    # The new audience exists: profiles can join it.
    api.update_customer_profile_audiences(audience_members_change('add', PROFILE, created.id))
    assert created.id in audience_ids(profile_of(api, PROFILE))


def test_update_audience_v2(api):
    updated = api.update_audience_v2(VIP_AUDIENCE, talon_one.UpdateAudience(name='VIP 2024'))
    assert isinstance(updated, talon_one.Audience)
    assert (updated.id, updated.name) == (VIP_AUDIENCE, 'VIP 2024')
    assert_aware(updated.last_update)

    memberships = profile_of(api, PROFILE).audience_memberships
    assert isinstance(memberships[0], talon_one.AudienceMembership)
    assert {(m.id, m.name) for m in memberships} >= {(VIP_AUDIENCE, 'VIP 2024')}


def test_delete_audience_v2(api):
    assert api.delete_audience_v2(VIP_AUDIENCE) is None

    with pytest.raises(talon_one.NotFoundException) as caught:
        api.update_audience_v2(VIP_AUDIENCE, talon_one.UpdateAudience(name='gone'))
    assert caught.value.status == 404
    with pytest.raises(talon_one.NotFoundException):
        api.delete_audience_v2(VIP_AUDIENCE)
    assert VIP_AUDIENCE not in audience_ids(profile_of(api, PROFILE))


def test_delete_audience_memberships_v2(api):
    assert VIP_AUDIENCE in audience_ids(profile_of(api, PROFILE))

    assert api.delete_audience_memberships_v2(VIP_AUDIENCE) is None

    assert audience_ids(profile_of(api, PROFILE)) == {2}
    # The audience itself is still there.
    assert api.update_audience_v2(VIP_AUDIENCE, talon_one.UpdateAudience(name='VIP')).id == \
        VIP_AUDIENCE


def test_update_customer_profile_audiences(api):
    assert audience_ids(profile_of(api, LAPSED_PROFILE)) == {7}

    result = api.update_customer_profile_audiences(talon_one.CustomerProfileAudienceRequest(data=[
        talon_one.CustomerProfileAudienceRequestItem(
            action='add', profile_integration_id=LAPSED_PROFILE, audience_id=VIP_AUDIENCE),
        talon_one.CustomerProfileAudienceRequestItem(
            action='delete', profile_integration_id=LAPSED_PROFILE, audience_id=7),
    ]))

    assert result is None
    assert audience_ids(profile_of(api, LAPSED_PROFILE)) == {VIP_AUDIENCE}


def test_update_audience_customers_attributes(api):
    # Audience 2 holds Ada and Grace; Linus is not a member.
    result = api.update_audience_customers_attributes(2, {'newsletter': 'weekly'})

    assert result is None
    assert profile_of(api, PROFILE).attributes == {
        'Name': 'Ada', 'ShippingCity': 'Berlin', 'newsletter': 'weekly'}
    assert profile_of(api, OTHER_PROFILE).attributes['newsletter'] == 'weekly'
    assert 'newsletter' not in profile_of(api, ADVOCATE).attributes


# ---------------------------------------------------------------- profiles

def test_update_customer_profile_v2(api):
    body = talon_one.CustomerProfileIntegrationRequestV2(
        attributes={'Language': 'english', 'ShippingCountry': 'DE'},
        audiences_changes=talon_one.ProfileAudiencesChanges(adds=[4], deletes=[2]),
        response_content=['customerProfile', 'triggeredCampaigns'])

    state = api.update_customer_profile_v2(PROFILE, body, run_rule_engine=True)

    assert isinstance(state, talon_one.IntegrationStateV2)
    profile = state.customer_profile
    assert isinstance(profile, talon_one.CustomerProfile)
    assert profile.integration_id == PROFILE
    assert profile.attributes['ShippingCountry'] == 'DE'
    assert profile.attributes['Name'] == 'Ada'          # attributes are merged
    assert audience_ids(profile) == {4, VIP_AUDIENCE}
    assert_aware(profile.created)
    assert_aware(profile.last_activity)
    assert isinstance(state.effects, list)
    assert isinstance(state.triggered_campaigns, list)
    assert profile_of(api, PROFILE).attributes['Language'] == 'english'


def test_update_customer_profile_v2_dry_run_does_not_persist(api):
    body = talon_one.CustomerProfileIntegrationRequestV2(attributes={'Name': 'Dry'})

    state = api.update_customer_profile_v2('NEW-PROFILE-1', body, dry=True)

    assert state.customer_profile.attributes == {'Name': 'Dry'}
    with pytest.raises(talon_one.NotFoundException):
        profile_of(api, 'NEW-PROFILE-1')


def test_update_customer_profiles_v2(api):
    body = talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
        talon_one.MultipleCustomerProfileIntegrationRequestItem(
            integration_id='NEW-PROFILE-1', attributes={'Name': 'Nina'}),
        talon_one.MultipleCustomerProfileIntegrationRequestItem(
            integration_id=LAPSED_PROFILE, attributes={'Language': 'english'}),
    ])

    response = api.update_customer_profiles_v2(body, silent='no')

    assert isinstance(response, talon_one.MultipleCustomerProfileIntegrationResponseV2)
    states = response.integration_states
    assert [type(s) for s in states] == [talon_one.CustomerProfileUpdateV2Response] * 2
    assert [s.customer_profile.integration_id for s in states] == ['NEW-PROFILE-1',
                                                                   LAPSED_PROFILE]
    assert states[1].customer_profile.attributes == {'Name': 'Barbara', 'Language': 'english'}
    assert profile_of(api, 'NEW-PROFILE-1').attributes == {'Name': 'Nina'}


def test_update_customer_profiles_v2_silent_by_default(api):
    body = talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
        talon_one.MultipleCustomerProfileIntegrationRequestItem(
            integration_id='NEW-PROFILE-2', attributes={'Name': 'Otto'})])

    assert api.update_customer_profiles_v2(body) is None
    assert profile_of(api, 'NEW-PROFILE-2').attributes == {'Name': 'Otto'}


def test_update_customer_profile_v1_deprecated(api):
    body = talon_one.NewCustomerProfile(attributes={'Language': 'english'})

    with pytest.warns(DeprecationWarning, match='update_customer_profile'):
        state = api.update_customer_profile('NEW-PROFILE-1', body)

    assert isinstance(state, talon_one.IntegrationState)
    assert isinstance(state.profile, talon_one.CustomerProfile)
    assert state.profile.integration_id == 'NEW-PROFILE-1'
    assert state.profile.attributes == {'Language': 'english'}
    assert_aware(state.profile.created)
    assert profile_of(api, 'NEW-PROFILE-1').attributes == {'Language': 'english'}


def test_get_customer_inventory(api):
    inventory = api.get_customer_inventory(PROFILE, profile=True, referrals=True, coupons=True,
                                           loyalty=True, giveaways=True)

    assert isinstance(inventory, talon_one.CustomerInventory)
    assert inventory.profile.integration_id == PROFILE
    assert audience_ids(inventory.profile) == {2, VIP_AUDIENCE}
    program = inventory.loyalty.programs[str(PROFILE_PROGRAM)]
    assert isinstance(program, talon_one.LoyaltyProgramLedgers)
    assert isinstance(program.ledger, talon_one.LedgerInfo)
    assert program.ledger.current_balance == 180          # 200 + 30 - 20, the 30 expired
    assert program.ledger.expired_balance == 30
    assert program.sub_ledgers['sub-123'].current_balance == 50
    (card,) = inventory.loyalty.cards
    assert isinstance(card, talon_one.LoyaltyCard)
    assert (card.identifier, card.program_id) == (CARD, CARD_PROGRAM)
    assert [coupon.value for coupon in inventory.coupons] == [RESERVED_COUPON]
    assert isinstance(inventory.coupons[0], talon_one.InventoryCoupon)
    assert inventory.giveaways == []
    assert inventory.referrals == []


def test_get_customer_inventory_flags_select_parts(api):
    inventory = api.get_customer_inventory(PROFILE, profile=True)

    assert inventory.profile.integration_id == PROFILE
    assert inventory.loyalty is None and inventory.coupons is None


def test_delete_customer_data(api):
    assert api.delete_customer_data(PROFILE) is None

    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_inventory(PROFILE, profile=True)
    with pytest.raises(talon_one.NotFoundException):
        api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE)
    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_session(OPEN_SESSION)       # Ada's session went with her data


# ---------------------------------------------------------------- sessions

def test_get_customer_session(api):
    response = api.get_customer_session(OPEN_SESSION)

    assert isinstance(response, talon_one.IntegrationCustomerSessionResponse)
    session = response.customer_session
    assert isinstance(session, talon_one.CustomerSessionV2)
    assert (session.integration_id, session.profile_id, session.state) == (
        OPEN_SESSION, PROFILE, 'open')
    assert session.coupon_codes == [COUPON]
    assert [type(item) for item in session.cart_items] == [talon_one.CartItem] * 2
    assert session.cart_items[1].sku == 'SOCKS-01'
    assert session.cart_items[1].quantity == 2
    assert session.cart_item_total == pytest.approx(118.99)
    assert session.attributes == {'ShippingCity': 'Berlin'}
    assert_aware(session.created)
    assert_aware(session.updated)
    discount = one_effect(response.effects, 'setDiscount')
    assert discount.campaign_id == 10
    assert discount.props['value'] == pytest.approx(23.8)    # 20% of 118.99


def test_update_customer_session_v2(api):
    session = talon_one.NewCustomerSessionV2(
        profile_id=OTHER_PROFILE, referral_code=REFERRAL, coupon_codes=[COUPON],
        cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')],
        additional_costs={'shipping': talon_one.AdditionalCost(price=4.95)},
        attributes={'ShippingCity': 'Hamburg'})

    state = api.update_customer_session_v2(
        'ORDER-REF-1', session_request(session, 'customerSession', 'referral', 'coupons'))

    assert isinstance(state, talon_one.IntegrationStateV2)
    created = state.customer_session
    assert (created.integration_id, created.state) == ('ORDER-REF-1', 'open')
    assert created.total == pytest.approx(104.95)
    assert created.additional_costs['shipping'].price == pytest.approx(4.95)
    assert isinstance(created.additional_costs['shipping'], talon_one.AdditionalCost)
    assert one_effect(state.effects, 'acceptReferral').props == {'value': REFERRAL}
    assert one_effect(state.effects, 'acceptCoupon').props == {'value': COUPON}
    discounts = {e.props['name']: e.props['value'] for e in effects_of(state.effects,
                                                                     'setDiscount')}
    assert discounts == {'Christmas 20%': 20.0, 'Referral 5 EUR': 5.0}
    assert isinstance(state.referral, talon_one.InventoryReferral)
    assert state.referral.code == REFERRAL
    assert isinstance(state.coupons[0], talon_one.IntegrationCoupon)
    assert api.get_customer_session('ORDER-REF-1').customer_session.attributes == {
        'ShippingCity': 'Hamburg'}


def test_update_customer_session_v2_rejects_an_expired_coupon(api):
    session = talon_one.NewCustomerSessionV2(
        profile_id=PROFILE, coupon_codes=['EXPIRED-2020'],
        cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')])

    state = api.update_customer_session_v2('ORDER-EXPIRED-1', session_request(session))

    rejection = one_effect(state.effects, 'rejectCoupon')
    assert rejection.props['value'] == 'EXPIRED-2020'
    assert rejection.props['rejectionReason'] == 'CouponExpired'
    assert not [e for e in effects_of(state.effects, 'setDiscount') if e.campaign_id == 10]


def test_update_customer_session_v2_dry_run_does_not_persist(api):
    session = talon_one.NewCustomerSessionV2(
        profile_id=PROFILE, cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')])

    state = api.update_customer_session_v2('ORDER-DRY-1', session_request(session), dry=True)

    assert effects_of(state.effects, 'setDiscountPerItem')
    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_session('ORDER-DRY-1')


def test_session_id_with_reserved_characters_round_trips(api):
    awkward_id = 'order/2024 50%?#ü'
    session = talon_one.NewCustomerSessionV2(profile_id=PROFILE)

    state = api.update_customer_session_v2(awkward_id, session_request(session))

    assert state.customer_session.integration_id == awkward_id
    assert api.get_customer_session(awkward_id).customer_session.integration_id == awkward_id


def test_update_customer_session_v1_deprecated(api):
    body = talon_one.NewCustomerSession(
        profile_id=OTHER_PROFILE, coupon=COUPON, referral=REFERRAL, state='open',
        identifiers=['91.11.156.141'],
        cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')])

    with pytest.warns(DeprecationWarning, match='update_customer_session'):
        state = api.update_customer_session('ORDER-V1-1', body)

    assert isinstance(state, talon_one.IntegrationState)
    session = state.session
    assert isinstance(session, talon_one.CustomerSession)
    assert (session.integration_id, session.coupon, session.referral) == (
        'ORDER-V1-1', COUPON, REFERRAL)
    assert session.discounts['Christmas 20%'] == 20.0
    assert_aware(session.created)
    assert isinstance(state.coupon, talon_one.Coupon) and state.coupon.value == COUPON
    assert isinstance(state.event, talon_one.Event)
    effect_types = [effect['effectType'] for effect in state.event.effects]
    assert 'acceptCoupon' in effect_types and 'acceptReferral' in effect_types
    # The v1 session is the same session the v2 routes see.
    fetched = api.get_customer_session('ORDER-V1-1').customer_session
    assert fetched.coupon_codes == [COUPON] and fetched.identifiers == ['91.11.156.141']


def test_reopen_customer_session(api):
    response = api.reopen_customer_session(CLOSED_SESSION)

    assert isinstance(response, talon_one.ReopenSessionResponse)
    assert response.effects
    assert all(effect.effect_type.startswith('rollback') for effect in response.effects)
    points = one_effect(response.effects, 'rollbackAddedLoyaltyPoints')
    assert points.props['programId'] == PROFILE_PROGRAM
    assert points.props['value'] > 0
    assert api.get_customer_session(CLOSED_SESSION).customer_session.state == 'open'


def test_return_cart_items(api):
    body = talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(
            returned_cart_items=[talon_one.ReturnedCartItem(position=2, quantity=1)]),
        response_content=['customerSession', 'customerProfile'])

    state = api.return_cart_items(CLOSED_SESSION, body)

    assert isinstance(state, talon_one.IntegrationStateV2)
    returned = state._return
    assert isinstance(returned, talon_one.ModelReturn)
    assert returned.session_integration_id == CLOSED_SESSION
    assert returned.profile_integration_id == OTHER_PROFILE
    assert isinstance(returned.returned_cart_items[0], talon_one.ReturnedCartItem)
    assert (returned.returned_cart_items[0].position,
            returned.returned_cart_items[0].quantity) == (2, 1)
    assert_aware(returned.created)
    assert state.customer_session.state == 'partially_returned'
    socks = state.customer_session.cart_items[2]
    assert (socks.quantity, socks.returned_quantity, socks.remaining_quantity) == (3, 1, 2)
    assert one_effect(state.effects, 'rollbackAddedLoyaltyPoints').props['value'] == \
        pytest.approx(0.95)                                   # 10% of one 9.50 pair of socks
    assert api.get_customer_session(CLOSED_SESSION).customer_session.state == \
        'partially_returned'


def test_return_cart_items_dry_run_does_not_persist(api):
    body = talon_one.ReturnIntegrationRequest(_return=talon_one.NewReturn(
        returned_cart_items=[talon_one.ReturnedCartItem(position=0, quantity=1)]))

    state = api.return_cart_items(CLOSED_SESSION, body, dry=True)

    assert state.customer_session.state == 'partially_returned'
    assert api.get_customer_session(CLOSED_SESSION).customer_session.state == 'closed'


# ---------------------------------------------------------------- events

def test_track_event_v2(api):
    body = talon_one.IntegrationEventV2Request(
        profile_id=PROFILE, type='review_written', attributes={'stars': 5},
        response_content=['customerProfile', 'triggeredCampaigns', 'loyalty', 'event'])

    state = api.track_event_v2(body, silent='no')

    assert isinstance(state, talon_one.IntegrationStateV2)
    points = one_effect(state.effects, 'addLoyaltyPoints')
    assert (points.campaign_id, points.rule_name) == (40, 'Review bonus')
    assert points.props['value'] == 15
    custom = one_effect(state.effects, 'customEffect')
    assert custom.props['payload'] == {'template': 'review-thanks'}
    assert [campaign.id for campaign in state.triggered_campaigns] == [40]
    assert isinstance(state.triggered_campaigns[0], talon_one.Campaign)
    assert state.event.type == 'review_written'
    assert state.event.attributes == {'stars': 5}
    assert_aware(state.event.created)
    assert state.loyalty.programs[str(PROFILE_PROGRAM)].ledger.current_balance == 195
    # Event points are committed at once.
    assert api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE).balance.active_points == 195


def test_track_event_v1_deprecated(api):
    body = talon_one.NewEvent(profile_id=PROFILE, type='app_installed', attributes={},
                              session_id=OPEN_SESSION)

    with pytest.warns(DeprecationWarning, match='track_event'):
        state = api.track_event(body)

    assert isinstance(state, talon_one.IntegrationState)
    assert isinstance(state.event, talon_one.Event)
    assert (state.event.type, state.event.session_id) == ('app_installed', OPEN_SESSION)
    giveaway = [e for e in state.event.effects if e['effectType'] == 'awardGiveaway']
    assert giveaway and giveaway[0]['props']['code'] == 'GIFT-0001'
    assert state.profile.integration_id == PROFILE
    inventory = api.get_customer_inventory(PROFILE, giveaways=True)
    assert [(g.code, g.pool_id) for g in inventory.giveaways] == [('GIFT-0001', 1)]
    assert isinstance(inventory.giveaways[0], talon_one.Giveaway)


# ---------------------------------------------------------------- coupons and referrals

def test_create_coupon_reservation(api):
    coupon = api.create_coupon_reservation(COUPON, reservation(OTHER_PROFILE, ADVOCATE))

    assert isinstance(coupon, talon_one.Coupon)
    assert (coupon.value, coupon.campaign_id) == (COUPON, 10)
    assert_aware(coupon.created)
    customers = api.get_reserved_customers(COUPON)
    assert {p.integration_id for p in customers.data} == {OTHER_PROFILE, ADVOCATE}


def test_get_reserved_customers(api):
    customers = api.get_reserved_customers(RESERVED_COUPON)

    assert isinstance(customers, talon_one.InlineResponse200)
    assert customers.total_result_size == 1
    (profile,) = customers.data
    assert isinstance(profile, talon_one.CustomerProfile)
    assert profile.integration_id == PROFILE
    assert profile.attributes['Name'] == 'Ada'


def test_get_reserved_coupons_deprecated(api):
    with pytest.warns(DeprecationWarning, match='get_reserved_coupons'):
        coupons = api.get_reserved_coupons(PROFILE)

    assert isinstance(coupons, talon_one.InlineResponse2003)
    assert [type(c) for c in coupons.data] == [talon_one.Coupon]
    assert coupons.data[0].value == RESERVED_COUPON
    assert coupons.data[0].is_reservation_mandatory is True
    assert coupons.total_result_size == 1


def test_delete_coupon_reservation(api):
    assert api.delete_coupon_reservation(RESERVED_COUPON, reservation(PROFILE)) is None

    assert api.get_reserved_customers(RESERVED_COUPON).data == []
    with pytest.warns(DeprecationWarning):
        assert api.get_reserved_coupons(PROFILE).data == []
    # Without the reservation Ada can no longer use the coupon.
    session = talon_one.NewCustomerSessionV2(
        profile_id=PROFILE, coupon_codes=[RESERVED_COUPON],
        cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')])
    state = api.update_customer_session_v2('ORDER-RES-1', session_request(session))
    assert one_effect(state.effects, 'rejectCoupon').props['rejectionReason'] == \
        'CouponReservationRequired'


def test_create_referral_and_redeem_it(api):
    referral = api.create_referral(talon_one.NewReferral(
        campaign_id=78, advocate_profile_integration_id=PROFILE,
        friend_profile_integration_id=OTHER_PROFILE, usage_limit=1,
        expiry_date=datetime.datetime(2099, 11, 10, 23, 0, tzinfo=UTC),
        attributes={'channel': 'web'}))

    assert isinstance(referral, talon_one.Referral)
    assert referral.code
    assert (referral.campaign_id, referral.advocate_profile_integration_id) == (78, PROFILE)
    assert referral.expiry_date == datetime.datetime(2099, 11, 10, 23, 0, tzinfo=UTC)
    assert referral.attributes == {'channel': 'web'}
    assert_aware(referral.created)
    inventory = api.get_customer_inventory(PROFILE, referrals=True)
    assert [r.code for r in inventory.referrals] == [referral.code]

    # The friend redeems it through a session.
    session = talon_one.NewCustomerSessionV2(
        profile_id=OTHER_PROFILE, referral_code=referral.code,
        cart_items=[cart_item('Running socks', 'SOCKS-01', 1, 9.5, 'socks')])
    state = api.update_customer_session_v2('ORDER-FRIEND-1', session_request(session))
    assert one_effect(state.effects, 'acceptReferral').props == {'value': referral.code}
    points = [e for e in effects_of(state.effects, 'addLoyaltyPoints') if e.campaign_id == 78]
    assert [e.props['value'] for e in points] == [25]


def test_create_referrals_for_multiple_advocates(api):
    body = talon_one.NewReferralsForMultipleAdvocates(
        campaign_id=45, advocate_profile_integration_ids=[PROFILE, ADVOCATE], usage_limit=1,
        attributes={'channel': 'web'}, referral_pattern='REF-###-###',
        valid_characters=list('ABCDEFGHJKLMNPQRSTUVWXYZ'))

    response = api.create_referrals_for_multiple_advocates(body, silent='no')

    assert isinstance(response, talon_one.InlineResponse201)
    assert response.total_result_size == 2
    assert [type(r) for r in response.data] == [talon_one.Referral] * 2
    assert [r.advocate_profile_integration_id for r in response.data] == [PROFILE, ADVOCATE]
    for referral in response.data:
        assert referral.campaign_id == 45 and referral.usage_limit == 1
    codes = {r.code for r in response.data}
    assert len(codes) == 2
    inventory = api.get_customer_inventory(ADVOCATE, referrals=True)
    assert codes & {r.code for r in inventory.referrals}


# ---------------------------------------------------------------- loyalty

def test_get_loyalty_balances(api):
    balances = api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE)

    assert isinstance(balances, talon_one.LoyaltyBalances)
    assert isinstance(balances.balance, talon_one.LoyaltyBalance)
    main = balances.balance
    assert (main.active_points, main.pending_points, main.spent_points,
            main.expired_points) == (180, 0, 20, 30)
    sub = balances.subledger_balances['sub-123']
    assert isinstance(sub, talon_one.LoyaltyBalance)
    assert sub.active_points == 50


def test_get_loyalty_balances_at_a_future_date(api):
    # The welcome bonus (200, 30 days old) expires after 365 days.
    later = datetime.datetime.now(UTC) + datetime.timedelta(days=400)

    balances = api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE, end_date=later)

    assert balances.balance.expired_points > 30
    assert balances.balance.active_points < 180


def test_get_loyalty_card_balances(api):
    balances = api.get_loyalty_card_balances(CARD_PROGRAM, CARD)

    assert isinstance(balances, talon_one.LoyaltyBalances)
    assert balances.balance.active_points == 120
    assert balances.subledger_balances == {}


def test_get_loyalty_card_balances_end_date_with_offset(api):
    # Card points expire 180 days after activation; the date is sent with its +02:00 offset.
    berlin_summer = datetime.timezone(datetime.timedelta(hours=2))
    later = datetime.datetime.now(berlin_summer) + datetime.timedelta(days=200)

    balances = api.get_loyalty_card_balances(CARD_PROGRAM, CARD, end_date=later)

    assert (balances.balance.active_points, balances.balance.expired_points) == (0, 120)


def test_get_loyalty_card_transactions(api):
    page = api.get_loyalty_card_transactions(CARD_PROGRAM, CARD, page_size=10)

    assert isinstance(page, talon_one.InlineResponse2001)
    assert page.has_more is False
    (entry,) = page.data
    assert isinstance(entry, talon_one.CardLedgerTransactionLogEntryIntegrationAPI)
    assert (entry.card_identifier, entry.program_id, entry.type, entry.name, entry.amount) == (
        CARD, CARD_PROGRAM, 'addition', 'Card activation', 120)
    assert_aware(entry.created)
    age = datetime.datetime.now(UTC) - entry.created           # createdDaysAgo: 20
    assert abs(age - datetime.timedelta(days=20)) < datetime.timedelta(hours=1)


def test_get_loyalty_program_profile_transactions_pages(api):
    first = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, PROFILE, page_size=2)
    second = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, PROFILE, page_size=2,
                                                          skip=2)

    assert isinstance(first, talon_one.InlineResponse2002)
    assert [type(e) for e in first.data] == [talon_one.LedgerTransactionLogEntryIntegrationAPI] * 2
    assert (first.has_more, second.has_more) == (True, False)
    names = [e.name for e in first.data + second.data]
    assert sorted(names) == ['Birthday points', 'Gift wrap', 'Partner points', 'Welcome bonus']
    created = [e.created for e in first.data + second.data]
    for value in created:
        assert_aware(value)
    assert created == sorted(created, reverse=True)          # newest first
    gift_wrap = next(e for e in first.data if e.name == 'Gift wrap')
    assert (gift_wrap.type, gift_wrap.amount) == ('subtraction', 20)


def test_get_loyalty_program_profile_transactions_filters(api):
    sub = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, PROFILE,
                                                       subledger_id='sub-123')
    week_ago = datetime.datetime.now(UTC) - datetime.timedelta(days=7)
    recent = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, PROFILE,
                                                          start_date=week_ago)

    assert [(e.name, e.subledger_id) for e in sub.data] == [('Partner points', 'sub-123')]
    assert [e.name for e in recent.data] == ['Gift wrap']


def test_link_loyalty_card_to_profile(api):
    card = api.link_loyalty_card_to_profile(
        CARD_PROGRAM, CARD, talon_one.LoyaltyCardRegistration(integration_id=LAPSED_PROFILE))

    assert isinstance(card, talon_one.LoyaltyCard)
    assert (card.identifier, card.program_id, card.status) == (CARD, CARD_PROGRAM, 'active')
    assert [type(p) for p in card.profiles] == [talon_one.LoyaltyCardProfileRegistration] * 2
    assert [p.integration_id for p in card.profiles] == [PROFILE, LAPSED_PROFILE]
    assert_aware(card.profiles[1].timestamp)
    assert isinstance(card.ledger, talon_one.LedgerInfo)
    assert card.ledger.current_balance == 120
    inventory = api.get_customer_inventory(LAPSED_PROFILE, loyalty=True)
    assert [c.identifier for c in inventory.loyalty.cards] == [CARD]
    # The program allows two profiles per card: a third is refused.
    with pytest.raises(talon_one.BadRequestException) as caught:
        api.link_loyalty_card_to_profile(
            CARD_PROGRAM, CARD, talon_one.LoyaltyCardRegistration(integration_id=OTHER_PROFILE))
    assert caught.value.errors[0]['source']['pointer'] == '/integrationId'


# ---------------------------------------------------------------- catalogs

def test_sync_catalog(api):
    added = api.sync_catalog(CATALOG, talon_one.CatalogSyncRequest(actions=[
        talon_one.CatalogAction(type='ADD', payload={'sku': 'SKU-NEW-1', 'price': 49.0}),
    ]))

    assert isinstance(added, talon_one.Catalog)
    assert (added.id, added.name, added.version) == (CATALOG, 'Main catalog', 2)
    assert added.subscribed_applications_ids == [1]
    assert_aware(added.modified)

    # The item now exists: patching it works, adding it again is refused without a change.
    patched = api.sync_catalog(CATALOG, talon_one.CatalogSyncRequest(actions=[
        talon_one.CatalogAction(type='PATCH', payload={'sku': 'SKU-NEW-1', 'price': 45.0}),
    ]))
    assert patched.version == 3
    with pytest.raises(talon_one.BadRequestException) as caught:
        api.sync_catalog(CATALOG, talon_one.CatalogSyncRequest(actions=[
            talon_one.CatalogAction(type='ADD', payload={'sku': 'SKU-NEW-1', 'price': 1.0}),
        ]))
    assert caught.value.errors[0]['source']['pointer'] == '/actions/0/payload/sku'
    removed = api.sync_catalog(CATALOG, talon_one.CatalogSyncRequest(actions=[
        talon_one.CatalogAction(type='REMOVE', payload={'sku': 'SKU-NEW-1'}),
    ]))
    assert removed.version == 4


# ---------------------------------------------------------------- a whole checkout

def test_checkout_flow_with_return(api):
    customer, order = 'E2E-CUSTOMER-1', 'E2E-ORDER-1'
    content = ['customerSession', 'customerProfile', 'coupons', 'loyalty']

    # 1. A new profile joins the VIP audience (VIP bonus points on purchases).
    state = api.update_customer_profile_v2(customer, talon_one.CustomerProfileIntegrationRequestV2(
        attributes={'Name': 'Eve'},
        audiences_changes=talon_one.ProfileAudiencesChanges(adds=[VIP_AUDIENCE], deletes=[])))
    assert audience_ids(state.customer_profile) == {VIP_AUDIENCE}

    # 2. An open session with a cart of 210 and a coupon.
    session = talon_one.NewCustomerSessionV2(
        profile_id=customer, coupon_codes=[COUPON], state='open',
        cart_items=[cart_item('Air Glide', 'SKU1241028', 2, 100.0, 'shoes'),
                    cart_item('Running socks', 'SOCKS-01', 1, 10.0, 'socks')])
    state = api.update_customer_session_v2(order, session_request(session, *content))
    assert state.customer_session.state == 'open'
    assert state.customer_session.cart_item_total == 210
    assert one_effect(state.effects, 'acceptCoupon').props['value'] == COUPON
    discount = one_effect(state.effects, 'setDiscount')
    assert (discount.campaign_id, discount.props['name'], discount.props['value']) == (
        10, 'Christmas 20%', 42)
    per_item = one_effect(state.effects, 'setDiscountPerItem')
    assert (per_item.props['position'], per_item.props['value']) == (0, 20)
    assert one_effect(state.effects, 'addFreeItem').props['sku'] == 'SOCKS-01'
    assert state.coupons[0].usage_counter == 0                 # not yet committed
    assert api.get_loyalty_balances(PROFILE_PROGRAM, customer).balance.active_points == 0

    # 3. Checkout: closing commits the coupon use and the points.
    session.state = 'closed'
    state = api.update_customer_session_v2(order, session_request(session, *content))
    assert state.customer_session.state == 'closed'
    assert state.coupons[0].usage_counter == 1
    assert (state.customer_profile.closed_sessions, state.customer_profile.total_sales) == (1, 210)

    # 4. Balances: 10% of 210 on the main ledger, 20 VIP bonus points on sub-123.
    balances = api.get_loyalty_balances(PROFILE_PROGRAM, customer)
    assert balances.balance.active_points == 21
    assert balances.subledger_balances['sub-123'].active_points == 20

    # 5. A partial return of one pair of shoes rolls back its share.
    state = api.return_cart_items(order, talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(
            returned_cart_items=[talon_one.ReturnedCartItem(position=0, quantity=1)])))
    assert state.customer_session.state == 'partially_returned'
    assert state._return.returned_cart_items[0].quantity == 1
    rollbacks = {(e.effect_type, e.props.get('name'), e.props.get('subLedgerId')): e.props['value']
                 for e in state.effects}
    assert all(kind.startswith('rollback') for kind, _, _ in rollbacks)
    assert rollbacks[('rollbackDiscount', 'Christmas 20%', None)] == 20       # 20% of 100
    assert rollbacks[('rollbackDiscount', 'Shoe week 10%', None)] == 10       # 10% of 100
    assert rollbacks[('rollbackAddedLoyaltyPoints', None, '')] == 10          # 10% of 100
    assert rollbacks[('rollbackAddedLoyaltyPoints', None, 'sub-123')] == pytest.approx(
        20 * 100 / 210, abs=0.01)

    balances = api.get_loyalty_balances(PROFILE_PROGRAM, customer)
    assert balances.balance.active_points == 11
    assert balances.subledger_balances['sub-123'].active_points == pytest.approx(
        20 - 20 * 100 / 210, abs=0.01)
    page = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, customer)
    assert {(e.type, e.amount) for e in page.data if not e.subledger_id} == {
        ('addition', 21), ('subtraction', 10)}


# ---------------------------------------------------------------- errors through the SDK

def test_wrong_api_key_is_unauthorized(talon_sandbox):
    configuration = talon_one.Configuration(host=talon_sandbox.url,
                                            api_key={'Authorization': 'not-the-key-123'})
    with talon_one.ApiClient(configuration) as client:
        api = talon_one.IntegrationApi(client)
        with pytest.raises(talon_one.UnauthorizedException) as caught:
            api.get_customer_session(OPEN_SESSION)

    error = caught.value
    assert isinstance(error, rest.ApiException)
    assert error.status == 401
    assert 'API key' in error.message
    assert str(error).startswith('(401) Unauthorized')
    assert 'not-the-key-123' not in str(error) + repr(error)


def test_bad_body_is_bad_request_with_a_pointer(talon_sandbox):
    configuration = talon_sandbox.configuration()
    configuration.client_side_validation = False
    bad_item = talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=0, price=99.99,
                                  local_vars_configuration=configuration)
    session = talon_one.NewCustomerSessionV2(profile_id=PROFILE, cart_items=[bad_item],
                                             local_vars_configuration=configuration)
    body = talon_one.IntegrationRequest(customer_session=session,
                                        local_vars_configuration=configuration)
    with talon_one.ApiClient(configuration) as client:
        api = talon_one.IntegrationApi(client)
        with pytest.raises(talon_one.BadRequestException) as caught:
            api.update_customer_session_v2('ORDER-BAD-1', body)
        # Nothing was half-written.
        with pytest.raises(talon_one.NotFoundException):
            api.get_customer_session('ORDER-BAD-1')

    error = caught.value
    assert error.status == 400
    assert error.errors[0]['source']['pointer'] == '/customerSession/cartItems/0/quantity'
    assert 'quantity' in error.message


def test_bad_body_with_validation_on_fails_before_sending(api):
    session = talon_one.NewCustomerSessionV2(profile_id=PROFILE)
    session.cart_items = [talon_one.CartItem(name='Air Glide', sku='SKU1241028', price=1.0)]

    with pytest.raises(talon_one.ApiValueError, match=r'cart_items\[0\]\.quantity'):
        api.update_customer_session_v2('ORDER-BAD-2', session_request(session))
    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_session('ORDER-BAD-2')


def test_unknown_entities_are_not_found(api):
    with pytest.raises(talon_one.NotFoundException) as caught:
        api.get_customer_session('NO-SUCH-SESSION')
    assert caught.value.status == 404
    assert 'NO-SUCH-SESSION' in caught.value.message
    with pytest.raises(talon_one.NotFoundException):
        api.get_loyalty_balances(999, PROFILE)
    with pytest.raises(talon_one.NotFoundException):
        api.get_loyalty_card_balances(CARD_PROGRAM, 'no-such-card')


def test_huge_body_is_payload_too_large(api):
    body = talon_one.CustomerProfileIntegrationRequestV2(attributes={'notes': 'x' * (3 << 20)})

    with pytest.raises(talon_one.PayloadTooLargeException) as caught:
        api.update_customer_profile_v2('BIG-PROFILE-1', body)

    assert caught.value.status == 413
    with pytest.raises(talon_one.NotFoundException):
        profile_of(api, 'BIG-PROFILE-1')


# ---------------------------------------------------------------- v1 request signing

APPLICATION_ID = 5
APPLICATION_KEY = '5f1e2d3c4b5a69788796a5b4c3d2e1f0'


def _signed_world():
    with open(EXAMPLE_WORLD, encoding='utf-8') as world_file:
        world = json.load(world_file)
    world['application'] = dict(world['application'], id=APPLICATION_ID,
                                applicationKey=APPLICATION_KEY)
    return world


def reserved_customers(sandbox):
    """Who holds a reservation of COUPON, read with the sandbox's own (valid) credentials."""
    with talon_one.ApiClient(sandbox.configuration()) as client:
        customers = talon_one.IntegrationApi(client).get_reserved_customers(COUPON)
    return {p.integration_id for p in customers.data}


class TestSignedV1Routes(object):
    """The application has an HMAC key: v1 routes accept a Content-Signature instead of a key."""

    @pytest.fixture
    def talon_sandbox_world(self):
        return _signed_world()

    @pytest.fixture
    def signing_api(self, talon_sandbox):
        # No API key at all: only a correct signature gets v1 requests through.
        configuration = talon_one.Configuration(
            host=talon_sandbox.url, api_key={}, application_id=APPLICATION_ID,
            application_key=APPLICATION_KEY)
        with talon_one.ApiClient(configuration) as client:
            yield talon_one.IntegrationApi(client)

    def test_sandbox_configuration_carries_the_application_key(self, talon_sandbox):
        configuration = talon_sandbox.configuration()
        assert configuration.application_id == APPLICATION_ID
        assert configuration.application_key == APPLICATION_KEY

    def test_signed_requests_pass_without_an_api_key(self, signing_api):
        balances = signing_api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE)   # empty body
        assert balances.balance.active_points == 180

        coupon = signing_api.create_coupon_reservation(COUPON, reservation(OTHER_PROFILE))
        assert coupon.value == COUPON

        with pytest.warns(DeprecationWarning):
            state = signing_api.update_customer_session(
                'ORDER-SIGNED-1', talon_one.NewCustomerSession(
                    profile_id=OTHER_PROFILE, coupon=COUPON, state='open',
                    cart_items=[cart_item('Trail Runner', 'SKU1241029', 1, 119.0, 'shoes')]))
        assert state.session.discounts['Christmas 20%'] == pytest.approx(23.8)

    def test_v2_routes_are_not_signed_routes(self, signing_api):
        with pytest.raises(talon_one.UnauthorizedException):
            signing_api.get_customer_session(OPEN_SESSION)

    @pytest.mark.parametrize('application_id, application_key', [
        (APPLICATION_ID, '00' * 16),
        (APPLICATION_ID + 1, APPLICATION_KEY),
    ], ids=['wrong-key', 'wrong-signer'])
    def test_wrong_signature_is_unauthorized_even_with_a_valid_api_key(
            self, talon_sandbox, application_id, application_key):
        configuration = talon_one.Configuration(
            host=talon_sandbox.url, api_key={'Authorization': talon_sandbox.api_key},
            application_id=application_id, application_key=application_key)
        with talon_one.ApiClient(configuration) as client:
            api = talon_one.IntegrationApi(client)
            with pytest.raises(talon_one.UnauthorizedException) as caught:
                api.create_coupon_reservation(COUPON, reservation(OTHER_PROFILE))
            # The v2 routes do not look at signatures.
            assert api.get_customer_session(OPEN_SESSION).customer_session.state == 'open'

        error = caught.value
        assert error.status == 401
        assert 'Content-Signature' in error.message
        assert application_key not in str(error) + repr(error)
        assert reserved_customers(talon_sandbox) == set()      # nothing was written

    def test_hand_set_signature_header_like_sdk_2_3_0(self, talon_sandbox):
        signature = hmac.new(bytes.fromhex(APPLICATION_KEY), b'', hashlib.md5).hexdigest()
        configuration = talon_one.Configuration(host=talon_sandbox.url, api_key={})
        configuration.api_key['Content-Signature'] = 'signer=%d; signature=%s' % (
            APPLICATION_ID, signature)
        with talon_one.ApiClient(configuration) as client:
            api = talon_one.IntegrationApi(client)
            card = api.get_loyalty_card_balances(CARD_PROGRAM, CARD)     # GET: empty body
        assert card.balance.active_points == 120


# ---------------------------------------------------------------- async_req

def test_async_requests(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration(), pool_threads=3) as client:
        api = talon_one.IntegrationApi(client)
        session = api.get_customer_session(OPEN_SESSION, async_req=True)
        balances = api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE, async_req=True)
        created = api.create_audience_v2_with_http_info(
            talon_one.NewAudience(name='Async audience'), async_req=True)
        missing = api.get_customer_session('NO-SUCH-SESSION', async_req=True)

        assert isinstance(session.get(timeout=30), talon_one.IntegrationCustomerSessionResponse)
        assert session.get().customer_session.integration_id == OPEN_SESSION
        assert balances.get(timeout=30).balance.active_points == 180
        audience, status, _ = created.get(timeout=30)
        assert (type(audience), audience.name, status) == (talon_one.Audience, 'Async audience',
                                                           201)
        with pytest.raises(talon_one.NotFoundException):
            missing.get(timeout=30)


# ---------------------------------------------------------------- _with_http_info

def _create_calls():
    return {
        'create_audience_v2': lambda api: api.create_audience_v2_with_http_info(
            talon_one.NewAudience(name='Runners')),
        'create_coupon_reservation': lambda api: api.create_coupon_reservation_with_http_info(
            COUPON, reservation(OTHER_PROFILE)),
        'create_referral': lambda api: api.create_referral_with_http_info(talon_one.NewReferral(
            campaign_id=45, advocate_profile_integration_id=PROFILE)),
        'create_referrals_for_multiple_advocates':
            lambda api: api.create_referrals_for_multiple_advocates_with_http_info(
                talon_one.NewReferralsForMultipleAdvocates(
                    campaign_id=45, advocate_profile_integration_ids=[PROFILE], usage_limit=1),
                silent='no'),
    }


CREATED_TYPES = {
    'create_audience_v2': 'Audience',
    'create_coupon_reservation': 'Coupon',
    'create_referral': 'Referral',
    'create_referrals_for_multiple_advocates': 'InlineResponse201',
}


@pytest.mark.parametrize('operation', sorted(CREATED_TYPES))
def test_with_http_info_created(api, operation):
    data, status, headers = _create_calls()[operation](api)

    assert status == 201
    assert type(data) is getattr(talon_one, CREATED_TYPES[operation])
    assert headers['Content-Type'].startswith('application/json')


def test_with_http_info_track_event_v1_created(api):
    with pytest.warns(DeprecationWarning):
        data, status, _ = api.track_event_with_http_info(
            talon_one.NewEvent(profile_id=PROFILE, type='pageViewed', attributes={},
                               session_id=OPEN_SESSION))
    assert (type(data), status) == (talon_one.IntegrationState, 201)


def _no_content_calls():
    return {
        'delete_audience_memberships_v2':
            lambda api: api.delete_audience_memberships_v2_with_http_info(VIP_AUDIENCE),
        'delete_audience_v2': lambda api: api.delete_audience_v2_with_http_info(4),
        'delete_coupon_reservation': lambda api: api.delete_coupon_reservation_with_http_info(
            RESERVED_COUPON, reservation(PROFILE)),
        'delete_customer_data': lambda api: api.delete_customer_data_with_http_info(ADVOCATE),
        'update_audience_customers_attributes':
            lambda api: api.update_audience_customers_attributes_with_http_info(7, {'a': 'b'}),
        'update_customer_profile_audiences':
            lambda api: api.update_customer_profile_audiences_with_http_info(
                audience_members_change('add', ADVOCATE, 4)),
        'track_event_v2 (silent)': lambda api: api.track_event_v2_with_http_info(
            talon_one.IntegrationEventV2Request(profile_id=PROFILE, type='review_written')),
        'update_customer_profiles_v2 (silent)':
            lambda api: api.update_customer_profiles_v2_with_http_info(
                talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
                    talon_one.MultipleCustomerProfileIntegrationRequestItem(
                        integration_id=ADVOCATE, attributes={'a': 'b'})])),
        'create_referrals_for_multiple_advocates (silent)':
            lambda api: api.create_referrals_for_multiple_advocates_with_http_info(
                talon_one.NewReferralsForMultipleAdvocates(
                    campaign_id=45, advocate_profile_integration_ids=[PROFILE], usage_limit=1)),
    }


@pytest.mark.parametrize('operation', sorted(_no_content_calls()))
def test_with_http_info_no_content(api, operation):
    data, status, headers = _no_content_calls()[operation](api)

    assert (data, status) == (None, 204)
    assert headers is not None


def test_with_http_info_ok(api):
    data, status, headers = api.get_customer_session_with_http_info(OPEN_SESSION)

    assert (type(data), status) == (talon_one.IntegrationCustomerSessionResponse, 200)
    assert headers['Content-Type'].startswith('application/json')
