"""Fill an empty store from the world (once; a SQLite store keeps it)."""

import datetime
from typing import Any, Dict, Iterable, List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.ops import advanced_events
from talon_one.sandbox.ops.achievements import seed_progress
from talon_one.sandbox.ops.customers import ensure_profile
from talon_one.sandbox.ops.prices import seed_prices
from talon_one.sandbox.ops.loyalty import join_program, ledger_for_write
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.ops.sessions import update_session
from talon_one.sandbox.store import Store
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world.model import WorldError

Now = datetime.datetime


def _date(value: Optional[str]) -> Optional[str]:
    return timeutil.fmt(timeutil.parse(value)) if value else None


def _copy(source: Doc, names: Iterable[str]) -> Doc:
    return {name: source[name] for name in names if source.get(name) is not None}


def seed(svc: Service) -> None:
    store = svc.store
    if store.seeded:
        return
    # One unit: a failure (or a kill) part way leaves the file unseeded, to start over cleanly.
    with store.seeding():
        _seed_all(svc, store)


def _seed_all(svc: Service, store: Store) -> None:
    now = svc.now()
    # Audiences are the only world entities the API also creates: keep new ids clear of them.
    store.bump('audience', max([a['id'] for a in svc.world.section('audiences')] or [0]))
    changes = Changes(store)
    for seed_section in (_seed_profiles, _seed_coupons, _seed_referrals, _seed_audiences,
                         _seed_catalogs, _seed_pools, _seed_cards):
        seed_section(svc, changes, now)
    for entry in svc.world.section('loyaltyTransactions'):
        _seed_transaction(svc, changes, entry, now)
    seed_prices(svc, changes, now)
    seed_progress(svc, changes, now, lambda pid: ensure_profile(svc, changes, pid, now))
    changes.commit()
    # Sessions go through the rule engine, which reads the entities committed above.
    for index, session in enumerate(svc.world.section('sessions')):
        try:
            _seed_session(svc, session)
        except SandboxError as exc:     # the route's own checks: report them as world errors
            raise WorldError('world file: sessions[%d]: %s' % (index, exc.message)) from None
    for index, event in enumerate(svc.world.section('advancedEvents')):
        try:
            advanced_events.record(svc, event, False)
        except SandboxError as exc:
            raise WorldError('world file: advancedEvents[%d]: %s'
                             % (index, exc.message)) from None


def _seed_profiles(svc: Service, changes: Changes, now: Now) -> None:
    for profile in svc.world.section('profiles'):
        doc = ensure_profile(svc, changes, profile['integrationId'], now)
        doc['attributes'].update(profile.get('attributes') or {})


def _seed_coupons(svc: Service, changes: Changes, now: Now) -> None:
    for coupon in svc.world.section('coupons'):
        doc = _copy(coupon, ('campaignId', 'value', 'usageLimit', 'discountLimit',
                             'reservationLimit', 'limits', 'attributes',
                             'recipientIntegrationId', 'reservationRequired', 'batchId'))
        doc.update(id=svc.next_id('coupon'), created=timeutil.fmt(now), usageCounter=0,
                   usageLimit=coupon.get('usageLimit', 0),
                   reservations=list(coupon.get('reservedBy', [])), profileRedemptions={})
        doc.update(_dates(coupon))
        doc['value'] = svc.world.code_key(doc['value'])     # stored in the application's case
        for integration_id in doc['reservations']:
            ensure_profile(svc, changes, integration_id, now)
        changes.put('coupon', doc['value'], doc)


def _seed_referrals(svc: Service, changes: Changes, now: Now) -> None:
    for referral in svc.world.section('referrals'):
        doc = _copy(referral, ('code', 'campaignId', 'advocateProfileIntegrationId',
                               'friendProfileIntegrationId', 'attributes'))
        doc.update(id=svc.next_id('referral'), created=timeutil.fmt(now), usageCounter=0,
                   usageLimit=referral.get('usageLimit', 0), referredCustomers=[])
        doc.update(_dates(referral))
        doc['code'] = svc.world.code_key(doc['code'])
        ensure_profile(svc, changes, doc['advocateProfileIntegrationId'], now)
        changes.put('referral', doc['code'], doc)


def _dates(source: Doc) -> Dict[str, Any]:
    """``startDate`` / ``expiryDate`` of a code, normalised to the stored form."""
    return {name: _date(source[name]) for name in ('startDate', 'expiryDate')
            if source.get(name)}


def _seed_audiences(svc: Service, changes: Changes, now: Now) -> None:
    for audience in svc.world.section('audiences'):
        doc = _copy(audience, ('id', 'name', 'description', 'integration', 'integrationId',
                               'sandbox', 'createdIn3rdParty'))
        doc.update(created=timeutil.fmt(now), accountId=svc.world.account_id,
                   members=list(audience.get('members', [])))
        for member in doc['members']:
            ensure_profile(svc, changes, member, now)
        changes.put('audience', doc['id'], doc)


def _seed_catalogs(svc: Service, changes: Changes, now: Now) -> None:
    world, stamp = svc.world, timeutil.fmt(now)
    for catalog in world.section('catalogs'):
        items = {}
        for item in catalog.get('items', []):
            items[item['sku']] = {'sku': item['sku'], 'price': item.get('price'),
                                  'attributes': item.get('attributes', {}),
                                  'catalogItemID': svc.next_id('catalogItem')}
        changes.put('catalog', catalog['id'], {
            'id': catalog['id'], 'name': catalog.get('name', ''),
            'description': catalog.get('description', ''), 'created': stamp, 'modified': stamp,
            'accountId': world.account_id, 'version': 1, 'createdBy': 1,
            'subscribedApplicationsIds': [world.application_id], 'items': items})


def _seed_pools(svc: Service, changes: Changes, now: Now) -> None:
    for pool in svc.world.section('giveawayPools'):
        giveaways = [{'id': svc.next_id('giveaway'), 'created': timeutil.fmt(now),
                      'code': code, 'used': False} for code in pool.get('codes', [])]
        changes.put('pool', pool['id'], {'id': pool['id'], 'name': pool.get('name', ''),
                                         'giveaways': giveaways})


def _seed_cards(svc: Service, changes: Changes, now: Now) -> None:
    stamp = timeutil.fmt(now)
    for card in svc.world.section('loyaltyCards'):
        program = svc.world.programs[card['programId']]
        profiles: List[Doc] = []
        for integration_id in card.get('profiles', []):
            ensure_profile(svc, changes, integration_id, now)
            profiles.append({'integrationId': integration_id, 'timestamp': stamp})
        changes.put('card', card['identifier'], {
            'id': svc.next_id('card'), 'created': stamp, 'programId': program['id'],
            'identifier': card['identifier'], 'status': card.get('status', 'active'),
            'usersPerCardLimit': card.get('usersPerCardLimit',
                                          program.get('usersPerCardLimit', 1)),
            'profiles': profiles, **_copy(card, ('batchId',))})


def _seed_transaction(svc: Service, changes: Changes, entry: Doc, now: Now) -> None:
    program = svc.world.programs[entry['programId']]
    # The world checks made sure of the owner: a card of a card-based program, else a profile.
    owner: str = entry['cardIdentifier'] if program.get('cardBased') else entry['profileId']
    created = timeutil.parse(entry['created']) if entry.get('created') else \
        timeutil.add_days(now, -entry.get('createdDaysAgo', 0))
    ledger = ledger_for_write(changes, program, owner)
    amount = float(entry['amount'])
    if amount >= 0:
        start, expiry = ledgers.points_window(program, created)
        if entry.get('awaitsActivation'):   # the expiry counts from the activation
            expiry = ledgers.UNLIMITED
        start = _date(entry.get('startDate')) or start
        expiry = _date(entry.get('expiryDate')) or expiry
        ledgers.add_transaction(ledger, svc.next_id('transaction'), created, 'addition', amount,
                                entry.get('name', 'Imported points'),
                                entry.get('subledgerId', ''), start=start, expiry=expiry,
                                kind='earn', source='import',
                                session_id=entry.get('customerSessionId'),
                                awaits_activation=bool(entry.get('awaitsActivation')),
                                validity=entry.get('validityDuration'))
    else:
        ledgers.add_transaction(ledger, svc.next_id('transaction'), created, 'subtraction',
                                -amount, entry.get('name', 'Imported deduction'),
                                entry.get('subledgerId', ''), kind='spend', source='import',
                                session_id=entry.get('customerSessionId'))
    if not program.get('cardBased'):
        profile = ensure_profile(svc, changes, owner, now)
        join_program(profile, program['id'], created)
        changes.put('profile', owner, profile)


def _seed_session(svc: Service, session: Doc) -> None:
    incoming = _copy(session, ('profileId', 'couponCodes', 'referralCode', 'loyaltyCards',
                               'cartItems', 'additionalCosts', 'identifiers', 'attributes',
                               'evaluableCampaignIds'))
    state = session.get('state', 'open')
    incoming['state'] = 'open' if state == 'cancelled' else state
    update_session(svc, session['integrationId'], incoming, False, _seed_pointer)
    if state == 'cancelled':
        update_session(svc, session['integrationId'], {'state': 'cancelled'}, False,
                       _seed_pointer)


def _seed_pointer(name: str) -> str:
    return 'sessions.' + name
