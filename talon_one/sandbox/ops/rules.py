"""Running the rule engine for an operation and storing what its outcome decided."""

import datetime
from typing import Any, Iterable, Iterator, List, Optional, Set, Tuple

from talon_one.sandbox import engine, timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Context, Outcome
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.codes import reserve
from talon_one.sandbox.ops.commit_2026 import commit_2026
from talon_one.sandbox.ops.customers import audience_ids
from talon_one.sandbox.ops.loyalty import cards_of, commit_points, ledger
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.store.locks import Held


def context(svc: Service, changes: Changes, trigger: str, now: datetime.datetime,
            **entities: Any) -> Context:
    """A context whose reads (ledgers, pools, any document) go through ``changes``."""
    return engine.Context(
        svc.world, trigger, now,
        ledger_of=lambda program, owner: ledger(changes, program, owner),
        pool_of=lambda pool_id: changes.get('pool', pool_id), lookup=changes.get,
        **entities)


def lock_keys(svc: Service) -> Set[str]:
    """Locks an evaluation needs for what its rules may write beyond its own entities."""
    keys = {'coupon:' + value for value in svc.world.rule_coupon_values}
    if svc.world.uses_giveaways:
        keys.add('pools')
    if svc.world.creates_referrals:
        keys.add('referrals')
    if svc.world.changes_audiences:
        keys.add('audiences')
    return keys


def profile_locks(svc: Service, integration_id: str, audiences: bool = False) -> Held:
    """The locks of an operation that changes a profile and commits its rules at once
    (profile updates, events): the profile, its cards, what the rules write."""
    keys = ['audiences'] if audiences and not svc.world.changes_audiences else []
    keys.extend(lock_keys(svc))
    if integration_id:
        keys.append('profile:' + integration_id)
        for card in cards_of(Changes(svc.store), integration_id):
            keys.append('card:' + card['identifier'])
    return svc.store.locked(keys)


def run_rules(svc: Service, changes: Changes, trigger: str, profile: Optional[Doc],
              now: datetime.datetime, attributes: Optional[Doc] = None,
              evaluable: Optional[List[int]] = None,
              session: Optional[Doc] = None) -> Tuple[Outcome, List[Doc]]:
    """Evaluate rules for a profile or an event (``session``: one it refers to, for its
    cart and attributes) and commit their outcome at once; the outcome and the views of the
    giveaways it awarded. The caller stores ``session`` when the rules changed it."""
    ctx = context(svc, changes, trigger, now, profile=profile, event_attributes=attributes,
                  audiences=audience_ids(changes, profile), evaluable=evaluable, closing=True,
                  session=session)
    outcome = engine.evaluate(ctx)
    commit_points(svc, changes, outcome.points, profile, now)
    giveaways = commit_giveaways(changes, outcome.giveaways, profile, now) if profile else []
    commit_rule_writes(svc, changes, outcome, profile, session, now)
    if profile is not None:
        changes.put('profile', profile['integrationId'], profile)
    return outcome, giveaways


def commit_rule_writes(svc: Service, changes: Changes, outcome: Outcome,
                       profile: Optional[Doc], session: Optional[Doc],
                       now: datetime.datetime) -> None:
    """Store what an evaluation's rules create or change besides points and giveaways:
    created coupons and referrals (the outcome's documents get their ids), coupon
    reservations and attribute updates. The caller stores ``session``."""
    stamp = timeutil.fmt(now)
    for doc in outcome.created_coupons:
        doc.update(id=svc.next_id('coupon'), created=stamp, usageCounter=0,
                   reservations=[], profileRedemptions={})
        changes.put('coupon', doc['value'], doc)
    for doc in outcome.created_referrals:
        doc.update(id=svc.next_id('referral'), created=stamp, usageCounter=0,
                   referredCustomers=[])
        changes.put('referral', doc['code'], doc)
    for code, integration_id in outcome.reservations:
        coupon = changes.get('coupon', code)
        assert coupon is not None   # the engine reserves only coupons it found
        reserve(svc, changes, coupon, integration_id, now)
    commit_2026(svc, changes, outcome, profile, now)
    for target, name, value in outcome.attribute_updates:
        # The engine only updates an entity its evaluation had.
        entity = profile if target == 'profile' else session
        assert entity is not None, target
        entity.setdefault('attributes', {})[name] = value
        if target == 'profile':
            changes.put('profile', entity['integrationId'], entity)


def _awarded(changes: Changes, awarded: Iterable[Tuple[int, int]]) -> Iterator[Tuple[Doc, Doc]]:
    """(pool doc, giveaway doc) for each ``(pool id, giveaway id)`` of an outcome."""
    for pool_id, giveaway_id in awarded:
        pool = changes.get('pool', pool_id)
        assert pool is not None     # the engine awards from pools it found
        for giveaway in pool['giveaways']:
            if giveaway['id'] == giveaway_id:
                yield pool, giveaway


def commit_giveaways(changes: Changes, awarded: Iterable[Tuple[int, int]], profile: Doc,
                     now: datetime.datetime) -> List[Doc]:
    """Hand the awarded giveaways to ``profile``; their views."""
    out: List[Doc] = []
    for pool, giveaway in _awarded(changes, awarded):
        giveaway['profileIntegrationId'] = profile['integrationId']
        giveaway['profileId'] = profile['id']
        giveaway['awarded'] = timeutil.fmt(now)
        changes.put('pool', pool['id'], pool)
        out.append(views.giveaway(giveaway, pool['id']))
    return out


def preview_giveaways(changes: Changes, awarded: Iterable[Tuple[int, int]]) -> List[Doc]:
    """Views of the giveaways an open session would award, nothing written."""
    return [views.giveaway(giveaway, pool['id'])
            for pool, giveaway in _awarded(changes, awarded)]
