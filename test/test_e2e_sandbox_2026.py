"""End to end, the operations and changes of the 2026 API: the SDK against the sandbox.

Each test runs twice, against a sandbox in memory and against one that keeps its state
in a SQLite file (``--db``), and checks what the call did, read back through other calls:
a generated card can be linked, used and unlinked; activated points become active; an
advanced event sent twice is recorded once; and so on. The numbers follow from the
example world (talon_one/sandbox/example_world.json) and WORLD.md.
"""

import datetime
import warnings

import pytest

import talon_one

UTC = datetime.timezone.utc
PROFILE = 'URNGV8294NV'          # Ada: 180 points in 125 (Silver), card 0543, achievement 3 at 4
GRACE = 'BZGGC2454PA'            # owner of CLOSED-SESSION-1, whose 50 delivery points wait
LINUS = 'DRPVV9476AF'            # not in program 125 yet
BARBARA = 'R195412'
PROFILE_PROGRAM = 125
CARD_PROGRAM = 324
CARD = 'summer-loyalty-card-0543'


@pytest.fixture
def sandbox(sandbox_memory_and_db):
    return sandbox_memory_and_db


@pytest.fixture
def api(sandbox):
    with talon_one.ApiClient(sandbox.configuration()) as client:
        yield talon_one.IntegrationApi(client)


def close_session(api, session_id, profile_id, cart, **fields):
    session = talon_one.NewCustomerSessionV2(profile_id=profile_id, cart_items=cart,
                                             state='closed', **fields)
    return api.update_customer_session_v2(
        session_id, talon_one.IntegrationRequest(customer_session=session))


def shoes(price=100.0):
    return [talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=1, price=price,
                               category='shoes')]


# ---------------------------------------------------------------- loyalty cards

def test_a_generated_card_is_linked_used_and_unlinked(api):
    card = api.generate_loyalty_card(CARD_PROGRAM, talon_one.GenerateLoyaltyCard(status='active'))
    assert isinstance(card, talon_one.LoyaltyCard)
    assert card.program_id == CARD_PROGRAM and card.status == 'active'
    assert len(card.identifier) >= 4 and not card.profiles

    linked = api.link_loyalty_card_to_profile(
        CARD_PROGRAM, card.identifier, talon_one.LoyaltyCardRegistration(integration_id=BARBARA))
    assert [p.integration_id for p in linked.profiles] == [BARBARA]

    # Campaign 20 gives 5% of the subtotal in card points to the card used in the session.
    close_session(api, 'CARD-SESSION-1', BARBARA, shoes(), loyalty_cards=[card.identifier])
    balances = api.get_loyalty_card_balances(CARD_PROGRAM, card.identifier)
    assert isinstance(balances, talon_one.LoyaltyCardBalances)
    assert isinstance(balances, talon_one.LoyaltyBalances)    # what 4.0.0 code expects
    assert balances.balance.active_points + balances.balance.pending_points == 5.0

    unlinked = api.unlink_loyalty_card_from_profile(
        CARD_PROGRAM, card.identifier, talon_one.LoyaltyCardRegistration(integration_id=BARBARA))
    assert not unlinked.profiles
    with pytest.raises(talon_one.NotFoundException):     # the link is gone
        api.unlink_loyalty_card_from_profile(
            CARD_PROGRAM, card.identifier,
            talon_one.LoyaltyCardRegistration(integration_id=BARBARA))


def test_a_card_identifier_given_is_kept_and_a_taken_one_refused(api):
    card = api.generate_loyalty_card(CARD_PROGRAM, talon_one.GenerateLoyaltyCard(
        card_identifier='GIFT-CARD-0001', customer_profile_ids=[BARBARA]))
    assert card.identifier == 'GIFT-CARD-0001'
    assert [p.integration_id for p in card.profiles] == [BARBARA]
    with pytest.raises(talon_one.ApiException) as error:
        api.generate_loyalty_card(CARD_PROGRAM, talon_one.GenerateLoyaltyCard(
            card_identifier='GIFT-CARD-0001'))
    assert 400 <= error.value.status < 500


# ---------------------------------------------------------------- points

def _balance(api, profile, subledger=None):
    balances = api.get_loyalty_balances(PROFILE_PROGRAM, profile)
    assert isinstance(balances, talon_one.LoyaltyBalances)
    if subledger is None:
        return balances.balance
    return (balances.subledger_balances or {}).get(subledger)


def test_activated_points_become_active(api):
    before = _balance(api, GRACE)
    result = api.activate_loyalty_points(
        PROFILE_PROGRAM, talon_one.ActivateLoyaltyPoints(session_id='CLOSED-SESSION-1'))
    assert isinstance(result, talon_one.ActivateLoyaltyPointsResponse)
    after = _balance(api, GRACE)
    assert after.active_points == before.active_points + 50
    assert after.pending_points == before.pending_points - 50
    with pytest.raises(talon_one.NotFoundException):
        api.activate_loyalty_points(PROFILE_PROGRAM,
                                    talon_one.ActivateLoyaltyPoints(session_id='NO-SUCH'))


def test_points_waiting_for_activation_from_a_rule(api):
    state = close_session(api, 'DELIVERY-1', BARBARA, shoes(),
                          attributes={'pointsOnDelivery': True})
    summary = talon_one.summarize_effects(state)
    waiting = [p for p in summary.loyalty.added if p.awaits_activation]
    assert [(p.program_id, p.points) for p in waiting] == [(PROFILE_PROGRAM, 50)]
    assert waiting[0].pending
    pending_before = _balance(api, BARBARA).pending_points
    api.activate_loyalty_points(PROFILE_PROGRAM, talon_one.ActivateLoyaltyPoints(
        transaction_uui_ds=[waiting[0].transaction_uuid]))
    assert _balance(api, BARBARA).pending_points == pending_before - 50


def test_unused_points_list_what_the_balance_holds(api):
    page = api.get_loyalty_program_profile_points(PROFILE_PROGRAM, PROFILE)
    assert isinstance(page, talon_one.InlineResponse2007)
    assert page.data and all(entry.transaction_uuid for entry in page.data)
    active = _balance(api, PROFILE).active_points
    entries = list(talon_one.iterate_pages(api.get_loyalty_program_profile_points,
                                           PROFILE_PROGRAM, PROFILE, page_size=1))
    assert sum(entry.amount for entry in entries) == pytest.approx(
        active + sum(b.active_points for b in (api.get_loyalty_balances(
            PROFILE_PROGRAM, PROFILE).subledger_balances or {}).values()))

    card_page = api.get_loyalty_card_points(CARD_PROGRAM, CARD)
    assert isinstance(card_page, talon_one.InlineResponse2006)
    card_active = api.get_loyalty_card_balances(CARD_PROGRAM, CARD).balance.active_points
    assert sum(entry.amount for entry in card_page.data or ()) == pytest.approx(card_active)


def test_deleting_a_subledger_s_transactions_empties_only_it(api):
    main_before = _balance(api, PROFILE).active_points
    close_session(api, 'VIP-1', PROFILE, shoes())      # the VIP bonus goes to sub-123
    assert _balance(api, PROFILE, 'sub-123').active_points > 0
    main_after_close = _balance(api, PROFILE).active_points
    assert main_after_close > main_before

    api.delete_loyalty_transactions_from_ledgers(
        PROFILE_PROGRAM, PROFILE, talon_one.DeleteLoyaltyTransactionsRequest(
            scope='SelectedSubledgers', subledger_ids=['sub-123']))
    emptied = _balance(api, PROFILE, 'sub-123')
    assert emptied is None or emptied.active_points == 0
    assert _balance(api, PROFILE).active_points == main_after_close
    page = api.get_loyalty_program_profile_transactions(PROFILE_PROGRAM, PROFILE,
                                                        subledger_id='sub-123')
    assert not page.data


def test_joining_a_program_records_the_join(api):
    assert api.join_loyalty_program(PROFILE_PROGRAM, LINUS) is None
    inventory = api.get_customer_inventory(LINUS, loyalty=True)
    ledger = inventory.loyalty.programs[str(PROFILE_PROGRAM)]
    assert isinstance(ledger.join_date, datetime.datetime) and ledger.join_date.tzinfo
    with pytest.raises(talon_one.BadRequestException):      # joined already
        api.join_loyalty_program(PROFILE_PROGRAM, LINUS)


def test_balances_with_tiers(api):
    balances = api.get_loyalty_balances(PROFILE_PROGRAM, PROFILE, include_tiers=True)
    assert isinstance(balances, talon_one.LoyaltyBalancesWithTiers)
    assert balances.balance.current_tier.name == 'Silver'     # 180 points: Silver from 150
    assert balances.balance.next_tier_name == 'Gold'


def test_card_transactions_filter_by_session_and_type(api):
    close_session(api, 'CARD-SESSION-2', PROFILE, shoes(), loyalty_cards=[CARD])
    page = api.get_loyalty_card_transactions(CARD_PROGRAM, CARD,
                                             customer_session_i_ds='CARD-SESSION-2')
    assert [e.customer_session_id for e in page.data] == ['CARD-SESSION-2']
    assert all(e.transaction_uuid for e in page.data)
    imported = api.get_loyalty_card_transactions(CARD_PROGRAM, CARD,
                                                 loyalty_transaction_type='import')
    assert 'CARD-SESSION-2' not in {e.customer_session_id for e in imported.data or ()}


# ---------------------------------------------------------------- events and achievements

def _shipped(integration_id):
    return talon_one.IntegrationEventV3Request(
        integration_id=integration_id, profile_id=PROFILE, type='orderShipped',
        connected_session_id='175KJPS947296', attributes={})


def _shipments_progress(api):
    page = api.get_customer_achievements(PROFILE, achievement_ids=['4'])
    return [a.current_progress.progress for a in page.data or () if a.current_progress]


def test_an_advanced_event_sent_twice_is_recorded_once(api):
    response = api.track_event_v3(_shipped('ORDER-1-SHIPPED'), silent='no')
    assert isinstance(response, talon_one.IntegrationEventV3Response)
    summary = talon_one.summarize_effects(response)
    assert [p.achievement_id for p in summary.achievements] == [4]
    progress = _shipments_progress(api)

    with pytest.raises(talon_one.ConflictException):
        api.track_event_v3(_shipped('ORDER-1-SHIPPED'), silent='no')
    assert _shipments_progress(api) == progress

    stored = api.get_event_v3('ORDER-1-SHIPPED')
    assert isinstance(stored, talon_one.EventV3)
    assert (stored.integration_id, stored.type, stored.profile_id) == (
        'ORDER-1-SHIPPED', 'orderShipped', PROFILE)
    assert api.get_event_v3('ADV-EVENT-1').type == 'orderShipped'      # from the world
    with pytest.raises(talon_one.NotFoundException):
        api.get_event_v3('NEVER-SENT')


def test_achievements_progress_when_sessions_close_and_keep_a_history(api):
    page = api.get_customer_achievements(PROFILE)
    assert isinstance(page, talon_one.GetCustomerAchievements200Response)
    coffee = {a.id: a for a in page.data}[3]
    before = coffee.current_progress.progress
    assert before == 4
    coffee_cart = [talon_one.CartItem(name='Coffee', sku='COFFEE-01', quantity=1, price=4.5)]
    close_session(api, 'COFFEE-1', PROFILE, coffee_cart)
    after = {a.id: a for a in api.get_customer_achievements(PROFILE).data}[3]
    assert after.current_progress.progress == before + 1

    history = api.get_customer_achievement_history(PROFILE, 3)
    assert isinstance(history, talon_one.GetCustomerAchievementHistory200Response)
    assert history.data and history.data[0].progress == before + 1
    with pytest.raises(talon_one.NotFoundException):
        api.get_customer_achievement_history(PROFILE, 999)


def test_audience_effects_change_membership(api):
    def audiences():
        profile = api.get_customer_inventory(PROFILE, profile=True).profile
        return {m.id for m in profile.audience_memberships or ()}

    assert 2 in audiences()          # Ada reads the newsletter
    state = api.track_event_v2(talon_one.IntegrationEventV2Request(
        profile_id=PROFILE, type='newsletter_unsubscribed', attributes={}), silent='no')
    assert isinstance(state, talon_one.IntegrationEventV2Response)
    assert isinstance(state, talon_one.IntegrationStateV2)
    summary = talon_one.summarize_effects(state)
    assert [(a.direction, a.audience_id) for a in summary.audiences] == [('removed', 2)]
    assert 2 not in audiences()


def test_best_prior_price_follows_the_history_and_catalog_syncs(api):
    end = datetime.datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    request = talon_one.BestPriorPriceRequest(
        skus=['SKU1241028', 'SKU1241029'], timeframe='30', timeframe_end_date=end,
        timeframe_end_date_type='strict')
    prices = api.best_prior_price(request)
    assert all(isinstance(price, talon_one.BestPriorPrice) for price in prices)
    lowest = {price.sku: price.price for price in prices}
    assert lowest == {'SKU1241028': 89.99, 'SKU1241029': 119.0}

    api.sync_catalog(6, talon_one.CatalogSyncRequest(actions=[talon_one.CatalogAction(
        type='ADD', payload={'sku': 'SKU1241028', 'price': 79.99, 'replaceIfExists': True})]))
    now = datetime.datetime.now(UTC) + datetime.timedelta(minutes=1)
    recent = api.best_prior_price(talon_one.BestPriorPriceRequest(
        skus=['SKU1241028'], timeframe='30', timeframe_end_date=now,
        timeframe_end_date_type='strict'))
    assert [price.price for price in recent] == [79.99]


def test_running_campaigns_with_filters(api):
    page = api.integration_get_all_campaigns()
    assert isinstance(page, talon_one.IntegrationGetAllCampaigns200Response)
    ids = [campaign.id for campaign in page.data]
    assert {10, 61} <= set(ids)
    assert all(isinstance(c, talon_one.IntegrationCampaign) for c in page.data)
    chosen = api.integration_get_all_campaigns(campaign_ids=['10', '61'])
    assert [campaign.id for campaign in chosen.data] == [10, 61]


# ---------------------------------------------------------------- changed operations

def test_update_count_counts_the_updates_of_a_session(api):
    request = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        profile_id=PROFILE, cart_items=shoes()))
    first = api.update_customer_session_v2('COUNTED-1', request)
    second = api.update_customer_session_v2('COUNTED-1', talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id=PROFILE,
                                                        cart_items=shoes(120.0))))
    assert (first.customer_session.update_count, second.customer_session.update_count) == (1, 2)
    assert api.get_customer_session('COUNTED-1').customer_session.update_count == 2


def test_v1_calls_answer_with_the_session(api):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        state = api.update_customer_profile(BARBARA, talon_one.NewCustomerProfile(
            attributes={'Name': 'Barbara'}))
        assert isinstance(state, talon_one.IntegrationState)
        assert state.session is not None and state.profile is not None
        event = api.track_event(talon_one.NewEvent(profile_id=BARBARA, type='review_written',
                                                   attributes={}, session_id='V1-NEW-SESSION'))
    assert event.session.integration_id == 'V1-NEW-SESSION'
    # The event opened the session: v2 reads it.
    assert api.get_customer_session('V1-NEW-SESSION').customer_session.profile_id == BARBARA


def test_numbers_the_spec_allows_are_taken(api):
    cart = [talon_one.CartItem(name='Bulk', sku='BULK', quantity=4611686018427387903,
                               price=0.01),
            talon_one.CartItem(name='Yacht', sku='YACHT', quantity=1, price=2e15)]
    state = api.update_customer_session_v2('BIG-NUMBERS', talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id=PROFILE, cart_items=cart)))
    items = state.customer_session.cart_items
    assert items[0].quantity == 4611686018427387903
    assert items[1].price == 2e15
