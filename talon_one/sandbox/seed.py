"""Fill an empty store from the world file (once; a SQLite store keeps it)."""

from talon_one.sandbox import loyalty, timeutil
from talon_one.sandbox.service import Changes
from talon_one.sandbox.sessions import update_session


def _date(value):
    return timeutil.fmt(timeutil.parse(value)) if value else None


def _copy(source, names):
    return {name: source[name] for name in names if source.get(name) is not None}


def seed(svc):
    store, world = svc.store, svc.world
    if store.seeded:
        return
    now = svc.now()
    stamp = timeutil.fmt(now)
    changes = Changes(store)
    for name in ('audience', 'catalog', 'giveawayPool'):
        section = {'audience': 'audiences', 'catalog': 'catalogs',
                   'giveawayPool': 'giveawayPools'}[name]
        ids = [item['id'] for item in world.section(section)]
        store.bump('audience' if name == 'audience' else name, max(ids or [0]))
    for profile in world.section('profiles'):
        doc = svc.ensure_profile(changes, profile['integrationId'], now)
        doc['attributes'].update(profile.get('attributes') or {})
    for coupon in world.section('coupons'):
        doc = _copy(coupon, ('campaignId', 'value', 'usageLimit', 'discountLimit',
                             'reservationLimit', 'limits', 'attributes',
                             'recipientIntegrationId', 'reservationRequired', 'batchId'))
        doc.update(id=svc.next_id('coupon'), created=stamp, usageCounter=0,
                   usageLimit=coupon.get('usageLimit', 0),
                   reservations=list(coupon.get('reservedBy', [])), profileRedemptions={})
        for name in ('startDate', 'expiryDate'):
            if coupon.get(name):
                doc[name] = _date(coupon[name])
        for integration_id in doc['reservations']:
            svc.ensure_profile(changes, integration_id, now)
        changes.put('coupon', doc['value'], doc)
    for referral in world.section('referrals'):
        doc = _copy(referral, ('code', 'campaignId', 'advocateProfileIntegrationId',
                               'friendProfileIntegrationId', 'attributes'))
        doc.update(id=svc.next_id('referral'), created=stamp, usageCounter=0,
                   usageLimit=referral.get('usageLimit', 0), referredCustomers=[])
        for name in ('startDate', 'expiryDate'):
            if referral.get(name):
                doc[name] = _date(referral[name])
        svc.ensure_profile(changes, doc['advocateProfileIntegrationId'], now)
        changes.put('referral', doc['code'], doc)
    for audience in world.section('audiences'):
        doc = _copy(audience, ('id', 'name', 'description', 'integration', 'integrationId',
                               'sandbox', 'createdIn3rdParty'))
        doc.update(created=stamp, accountId=world.account_id,
                   members=list(audience.get('members', [])))
        for member in doc['members']:
            svc.ensure_profile(changes, member, now)
        changes.put('audience', doc['id'], doc)
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
    for pool in world.section('giveawayPools'):
        giveaways = []
        for code in pool.get('codes', []):
            giveaways.append({'id': svc.next_id('giveaway'), 'created': stamp, 'code': code,
                              'used': False})
        changes.put('pool', pool['id'], {'id': pool['id'], 'name': pool.get('name', ''),
                                         'giveaways': giveaways})
    for card in world.section('loyaltyCards'):
        program = world.programs[card['programId']]
        profiles = []
        for integration_id in card.get('profiles', []):
            svc.ensure_profile(changes, integration_id, now)
            profiles.append({'integrationId': integration_id, 'timestamp': stamp})
        changes.put('card', card['identifier'], {
            'id': svc.next_id('card'), 'created': stamp, 'programId': program['id'],
            'identifier': card['identifier'], 'status': card.get('status', 'active'),
            'usersPerCardLimit': card.get('usersPerCardLimit',
                                          program.get('usersPerCardLimit', 1)),
            'profiles': profiles})
    for entry in world.section('loyaltyTransactions'):
        _seed_transaction(svc, changes, entry, now)
    changes.commit()
    for session in world.section('sessions'):
        _seed_session(svc, session)
    store.mark_seeded()


def _seed_transaction(svc, changes, entry, now):
    program = svc.world.programs[entry['programId']]
    owner = entry.get('cardIdentifier') if program.get('cardBased') else entry['profileId']
    created = timeutil.parse(entry['created']) if entry.get('created') else \
        timeutil.add_days(now, -entry.get('createdDaysAgo', 0))
    ledger = svc.ledger_for_write(changes, program, owner)
    amount = float(entry['amount'])
    if amount >= 0:
        start, expiry = loyalty.points_window(program, created)
        start = _date(entry.get('startDate')) or start
        expiry = _date(entry.get('expiryDate')) or expiry
        loyalty.add_transaction(ledger, svc.next_id('transaction'), created, 'addition', amount,
                                entry.get('name', 'Imported points'),
                                entry.get('subledgerId', ''), start=start, expiry=expiry,
                                kind='earn')
    else:
        loyalty.add_transaction(ledger, svc.next_id('transaction'), created, 'subtraction',
                                -amount, entry.get('name', 'Imported deduction'),
                                entry.get('subledgerId', ''), kind='spend')
    if not program.get('cardBased'):
        profile = svc.ensure_profile(changes, owner, now)
        svc.join_program(profile, program['id'], created)
        changes.put('profile', owner, profile)


def _seed_session(svc, session):
    incoming = _copy(session, ('profileId', 'couponCodes', 'referralCode', 'loyaltyCards',
                               'cartItems', 'additionalCosts', 'identifiers', 'attributes',
                               'evaluableCampaignIds'))
    state = session.get('state', 'open')
    incoming['state'] = 'open' if state == 'cancelled' else state
    update_session(svc, session['integrationId'], incoming, False, 'sessions.state')
    if state == 'cancelled':
        update_session(svc, session['integrationId'], {'state': 'cancelled'}, False,
                       'sessions.state')
