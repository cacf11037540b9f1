"""Shared machinery of the operations: change sets, lookups, response parts."""

import datetime
from typing import Optional, Set

from talon_one.sandbox import engine
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox import timeutil
from talon_one.sandbox.ops import views
from talon_one.sandbox.engine import Doc
from talon_one.sandbox.errors import bad_request, not_found


class Request(object):
    """One parsed API call: path parameters, query strings, JSON body."""

    def __init__(self, params=None, query=None, body=None):
        self.params = params or {}
        self.query = query or {}
        self.body = body

    def flag(self, name, default=False):
        """A boolean query parameter (``true``/``false``)."""
        raw = self.query.get(name)
        if raw is None or raw == '':
            return default
        lowered = raw.lower()
        if lowered in ('true', '1', 'yes'):
            return True
        if lowered in ('false', '0', 'no'):
            return False
        raise bad_request('query parameter %s: must be true or false, got %r' % (name, raw),
                          parameter=name)

    def integer(self, name, default=None, minimum=None, maximum=None):
        raw = self.query.get(name)
        if raw is None or raw == '':
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_request('query parameter %s: must be an integer, got %r' % (name, raw),
                              parameter=name)
        if minimum is not None and value < minimum:
            raise bad_request('query parameter %s: must be >= %d, got %d' % (name, minimum, value),
                              parameter=name)
        if maximum is not None and value > maximum:
            raise bad_request('query parameter %s: must be <= %d, got %d' % (name, maximum, value),
                              parameter=name)
        return value

    def date_time(self, name):
        raw = self.query.get(name)
        if raw is None or raw == '':
            return None
        try:
            return timeutil.parse(raw)
        except ValueError:
            raise bad_request('query parameter %s: must be an RFC 3339 date-time, got %r'
                              % (name, raw), parameter=name)

    def silent(self):
        raw = self.query.get('silent', 'yes')
        if raw not in ('yes', 'no'):
            raise bad_request("query parameter silent: must be 'yes' or 'no', got %r" % raw,
                              parameter='silent')
        return raw == 'yes'


class Changes(object):
    """Documents read and written by one operation; committed as one unit."""

    def __init__(self, store):
        self.store = store
        self.docs = {}
        self.dirty = set()
        self._stored = {}   # kind -> {key: doc}, decoded once per operation by all()

    def get(self, kind, key):
        if (kind, str(key)) in self.docs:
            return self.docs[(kind, str(key))]
        doc = self.store.get(kind, key)
        if doc is not None:
            self.docs[(kind, str(key))] = doc   # later reads see this copy's edits
        return doc

    def seed(self, kind, key, doc):
        """Take ``doc``, just read from the store under this operation's locks, as the
        copy later reads see (the store would only decode the same bytes again)."""
        if doc is not None:
            self.docs.setdefault((kind, str(key)), doc)

    def put(self, kind, key, doc):
        self.docs[(kind, str(key))] = doc
        self.dirty.add((kind, str(key)))
        return doc

    def delete(self, kind, key):
        self.docs[(kind, str(key))] = None
        self.dirty.add((kind, str(key)))

    def all(self, kind):
        stored = self._stored.get(kind)
        if stored is None:
            stored = self._stored[kind] = dict(self.store.items(kind))
        return self._with_mine(kind, stored)

    def view(self, kind):
        """The documents of ``kind`` as this operation sees them, for reading only: the
        store's shared decoded view with this operation's own reads and writes on top."""
        return self._with_mine(kind, self.store.view(kind))

    def _with_mine(self, kind, stored):
        """The documents of ``stored`` ({key: doc}) with this operation's own of ``kind``
        (read or written, None for deleted) in their place."""
        mine = [(key, doc) for (doc_kind, key), doc in self.docs.items() if doc_kind == kind]
        if not mine:
            return list(stored.values())
        found = dict(stored)
        for key, doc in mine:
            if doc is None:
                found.pop(key, None)
            else:
                found[key] = doc
        return list(found.values())

    def commit(self, dry=False):
        if dry or not self.dirty:
            return
        self.store.commit({key: self.docs[key] for key in self.dirty})


class Service(object):
    """The sandbox's state operations over one world and one store."""

    def __init__(self, world, store):
        self.world = world
        self.store = store

    # -- ids and time ------------------------------------------------------
    def now(self):
        return timeutil.now()

    def next_id(self, name):
        return self.store.next_id(name)

    # -- profiles ----------------------------------------------------------
    def ensure_profile(self, changes, integration_id, now):
        doc = changes.get('profile', integration_id)
        if doc is None:
            stamp = timeutil.fmt(now)
            doc = changes.put('profile', integration_id, {
                'id': self.next_id('profile'), 'created': stamp,
                'integrationId': integration_id, 'attributes': {},
                'accountId': self.world.account_id, 'closedSessions': 0, 'totalSales': 0,
                'lastActivity': stamp, 'loyaltyMemberships': []})
        return doc

    def touch_profile(self, changes, profile, now):
        profile['lastActivity'] = timeutil.fmt(now)
        changes.put('profile', profile['integrationId'], profile)

    def require_profile(self, changes, integration_id, pointer=None):
        doc = changes.get('profile', integration_id)
        if doc is None:
            raise not_found('customer profile %r not found' % integration_id, pointer=pointer)
        return doc

    def audiences_of(self, changes, integration_id):
        """The audience documents ``integration_id`` is a member of (shared: read only)."""
        return sorted((a for a in changes.view('audience')
                       if integration_id in a.get('members', [])), key=lambda a: a['id'])

    def profile_view(self, changes, profile):
        return views.profile(profile, self.audiences_of(changes, profile['integrationId']))

    # -- loyalty -----------------------------------------------------------
    def program(self, program_id, card_based=None):
        program = self.world.programs.get(program_id)
        if program is None:
            raise not_found('loyalty program %s not found' % program_id)
        if card_based is not None and bool(program.get('cardBased')) != card_based:
            kind = 'card-based' if card_based else 'profile-based'
            raise bad_request('loyalty program %s is not %s' % (program_id, kind))
        return program

    def ledger(self, changes, program, owner):
        return changes.get('ledger', ledgers.ledger_key(program, owner))

    def ledger_for_write(self, changes, program, owner):
        key = ledgers.ledger_key(program, owner)
        doc = changes.get('ledger', key)
        if doc is None:
            doc = ledgers.new_ledger(program, owner)
        return changes.put('ledger', key, doc)

    def card_view(self, changes, card):
        program = self.world.programs[card['programId']]
        return views.card(card, program, self.ledger(changes, program, card['identifier']))

    def loyalty_view(self, changes, profile, cards=()):
        programs = {}
        if profile is not None:
            for program_id in sorted(self.world.programs):
                program = self.world.programs[program_id]
                if program.get('cardBased'):
                    continue
                ledger = self.ledger(changes, program, profile['integrationId'])
                member = any(m['loyaltyProgramId'] == program_id
                             for m in profile.get('loyaltyMemberships', []))
                if ledger is not None or member:
                    programs[str(program_id)] = views.program_ledgers(program, ledger)
        body = {'programs': programs}
        body['cards'] = [self.card_view(changes, card) for card in cards]
        return body

    def cards_of(self, changes, integration_id):
        return sorted((c for c in changes.all('card')
                       if any(p['integrationId'] == integration_id for p in c.get('profiles', []))),
                      key=lambda c: c['id'])

    def join_program(self, profile, program_id, now):
        memberships = profile.setdefault('loyaltyMemberships', [])
        if not any(m['loyaltyProgramId'] == program_id for m in memberships):
            memberships.append({'joined': timeutil.fmt(now), 'loyaltyProgramId': program_id})

    def commit_points(self, changes, points, profile, now, session_id=None):
        """Write the loyalty operations of an outcome to the ledgers."""
        for op in points:
            program = self.world.programs[op['programId']]
            ledger = self.ledger_for_write(changes, program, op['owner'])
            if op['op'] == 'add':
                txn_type, kind = 'addition', 'earn'
                window = {'start': op['startDate'], 'expiry': op['expiryDate']}
            else:
                txn_type, kind, window = 'subtraction', 'spend', {}
            ledgers.add_transaction(
                ledger, self.next_id('transaction'), now, txn_type, op['amount'], op['name'],
                op['subledgerId'], session_id=session_id, ruleset_id=op['rulesetId'],
                rule_name=op['ruleName'], uuid=op['uuid'], kind=kind, **window)
            if profile is not None and not program.get('cardBased'):
                self.join_program(profile, program['id'], now)

    # -- giveaways ---------------------------------------------------------
    def commit_giveaways(self, changes, awarded, profile, now):
        """Hand the awarded giveaways to ``profile``; their views."""
        out = []
        for pool, giveaway in _awarded(changes, awarded):
            giveaway['profileIntegrationId'] = profile['integrationId']
            giveaway['profileId'] = profile['id']
            giveaway['awarded'] = timeutil.fmt(now)
            changes.put('pool', pool['id'], pool)
            out.append(views.giveaway(giveaway, pool['id']))
        return out

    def preview_giveaways(self, changes, awarded):
        """Views of the giveaways an open session would award, nothing written."""
        return [views.giveaway(giveaway, pool['id'])
                for pool, giveaway in _awarded(changes, awarded)]

    # -- coupons -------------------------------------------------------------
    def reserve(self, changes: 'Changes', coupon: Doc, integration_id: str,
                now: datetime.datetime) -> bool:
        """Reserve ``coupon`` for a profile (created if need be); False if it already was."""
        self.ensure_profile(changes, integration_id, now)
        reservations = coupon.setdefault('reservations', [])
        if integration_id in reservations:
            return False
        reservations.append(integration_id)
        changes.put('coupon', coupon['value'], coupon)
        return True

    def commit_rule_writes(self, changes: 'Changes', outcome: engine.Outcome,
                           profile: Optional[Doc], session: Optional[Doc],
                           now: datetime.datetime) -> None:
        """Store what an evaluation's rules create or change besides points and giveaways:
        created coupons and referrals (the outcome's documents get their ids), coupon
        reservations and attribute updates. The caller stores ``session``."""
        stamp = timeutil.fmt(now)
        for doc in outcome.created_coupons:
            doc.update(id=self.next_id('coupon'), created=stamp, usageCounter=0,
                       reservations=[], profileRedemptions={})
            changes.put('coupon', doc['value'], doc)
        for doc in outcome.created_referrals:
            doc.update(id=self.next_id('referral'), created=stamp, usageCounter=0,
                       referredCustomers=[])
            changes.put('referral', doc['code'], doc)
        for value, integration_id in outcome.reservations:
            self.reserve(changes, changes.get('coupon', value), integration_id, now)
        for target, name, value in outcome.attribute_updates:
            # The engine only updates an entity its evaluation had.
            doc = profile if target == 'profile' else session
            assert doc is not None, target
            doc.setdefault('attributes', {})[name] = value
            if target == 'profile':
                changes.put('profile', doc['integrationId'], doc)

    def rule_lock_keys(self) -> Set[str]:
        """Locks an evaluation needs for what its rules may write beyond its own entities."""
        keys = set('coupon:' + value for value in self.world.rule_coupon_values)
        if self.world.uses_giveaways:
            keys.add('pools')
        if self.world.creates_referrals:
            keys.add('referrals')
        return keys

    # -- evaluation --------------------------------------------------------
    def context(self, changes, trigger, now, **kwargs):
        return engine.Context(
            self.world, trigger, now,
            ledger_of=lambda program, owner: self.ledger(changes, program, owner),
            pool_of=lambda pool_id: changes.get('pool', pool_id), lookup=changes.get,
            **kwargs)

    def new_event(self, changes, now, event_type, profile, session_id, attributes, effects,
                  outcome=None):
        event = {'id': self.next_id('event'), 'created': timeutil.fmt(now),
                 'applicationId': self.world.application_id, 'type': event_type,
                 'attributes': attributes or {}, 'effects': effects, 'ledgerEntries': [],
                 'meta': {}}
        if profile is not None:
            event['profileId'] = profile['integrationId']
        if session_id:
            event['sessionId'] = session_id
        if outcome is not None:
            event['meta'] = self._meta(changes, outcome)
        return event

    def _meta(self, changes, outcome):
        meta = {'campaigns': {}, 'coupons': {}, 'warnings': {}}
        if outcome.rejected_coupons:    # EventV2's meta has room for one rejection only
            value, reason = next(iter(outcome.rejected_coupons.items()))
            coupon = changes.get('coupon', value)
            meta['couponRejectionReason'] = {
                'campaignId': coupon['campaignId'] if coupon else 0,
                'couponId': coupon['id'] if coupon else 0, 'reason': reason}
        if outcome.referral_rejection:
            meta['referralRejectionReason'] = {'campaignId': 0, 'referralId': 0,
                                               'reason': outcome.referral_rejection}
        return meta

    def campaigns_view(self, ids):
        created = timeutil.fmt(self.world.created)
        return [views.campaign(self.world.campaigns[i], self.world, created) for i in ids]


def _awarded(changes, awarded):
    """(pool doc, giveaway doc) for each ``(pool id, giveaway id)`` of an outcome."""
    for pool_id, giveaway_id in awarded:
        pool = changes.get('pool', pool_id)
        for giveaway in pool['giveaways']:
            if giveaway['id'] == giveaway_id:
                yield pool, giveaway
