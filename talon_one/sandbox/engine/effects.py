"""What each rule effect type does to an evaluation: the effect it reports and, when it is
committed, what it changes (``EFFECTS``: effect type -> handler)."""

import os
import random
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import codegen, ledgers, loyalty_effects
from talon_one.sandbox.engine.amounts import amount, per_item_amount, remaining
from talon_one.sandbox.engine.context import Firing, PointsOp, ruleset_id

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.engine.evaluation import Evaluation

Handler = Callable[['Evaluation', Firing, Doc], None]


def _with_desired(props: Doc, value: float, desired: float) -> Doc:
    """``props`` naming the amount the rule wanted when less than it was given."""
    if value != desired:
        props['desiredValue'] = desired
    return props


def set_discount(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    if ev.ctx.session is None:
        return
    desired = amount(spec, ev.cart_total)
    value = ev.take(desired)
    ev.effect(at, 'setDiscount', _with_desired(
        {'name': spec['name'], 'value': value, 'scope': 'sessionTotal'}, value, desired))


def set_discount_per_item(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    for position, item in ev.matching_items(spec):
        unit = float(item.get('price') or 0)
        desired = per_item_amount(spec, unit, remaining(item))
        value = ev.take(desired, unit * remaining(item))
        ev.effect(at, 'setDiscountPerItem', _with_desired(
            {'name': spec['name'], 'value': value, 'position': position,
             'totalDiscount': value, 'scope': 'price'}, value, desired))


def set_discount_per_additional_cost(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    name = spec['additionalCost']
    left = ev.cost_left.get(name)
    if left is None or ev.ctx.session is None:
        return      # the session does not carry this cost
    price = float(ev.ctx.session['additionalCosts'][name].get('price') or 0)
    desired = amount(spec, price)
    value = ev.take(desired, left)
    ev.cost_left[name] = left - value
    ev.effect(at, 'setDiscountPerAdditionalCost', _with_desired(
        {'name': spec['name'], 'additionalCostId': _cost_id(ev, name),
         'additionalCost': name, 'value': value}, value, desired))


def set_discount_per_additional_cost_per_item(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    name = spec['additionalCost']
    for position, item in ev.matching_items(spec):
        left = ev.cost_left.get((position, name))
        if left is None:
            continue    # this item does not carry the cost
        unit = float(item['additionalCosts'][name].get('price') or 0)
        desired = per_item_amount(spec, unit, remaining(item))
        value = ev.take(desired, left)
        ev.cost_left[(position, name)] = left - value
        ev.effect(at, 'setDiscountPerAdditionalCostPerItem', _with_desired(
            {'name': spec['name'], 'additionalCostId': _cost_id(ev, name), 'value': value,
             'position': position, 'additionalCost': name}, value, desired))


def _cost_id(ev: 'Evaluation', name: str) -> int:
    cost_id: int = ev.ctx.world.additional_costs[name]['id']
    return cost_id


def update_attribute(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    target, _, name = spec['path'].partition('.')
    if (ev.ctx.profile if target == 'profile' else ev.ctx.session) is None:
        return      # nothing to update in this evaluation
    ev.effect(at, 'updateAttribute', {'path': spec['path'], 'value': spec['value']})
    ev.out.attribute_updates.append((target, name, spec['value']))


def _create_code(ev: 'Evaluation', at: Firing, spec: Doc, kind: str) -> Optional[Doc]:
    """Make a coupon or referral code for the profile; its document (to store) or None.

    Codes are created only when the evaluation is committed (close, events)."""
    ctx = ev.ctx
    if not ctx.closing or not ctx.profile_id:
        return None
    key, made = ('value', ev.out.created_coupons) if kind == 'coupon' else \
        ('code', ev.out.created_referrals)
    taken = {doc[key] for doc in made}
    code = codegen.generate(
        spec.get('pattern'), None,
        lambda value: value in taken or ctx.lookup(kind, value) is not None,
        ctx.world.code_key)
    if code is None:
        ev.effect(at, 'error', {
            'message': 'could not create a unique %s code from the pattern %r; widen it'
                       % (kind, spec.get('pattern'))})
        return None
    doc: Doc = {key: code, 'campaignId': at.campaign['id']}
    if spec.get('expiryDays') is not None:
        doc['expiryDate'] = timeutil.fmt(timeutil.add_days(ctx.now, spec['expiryDays']))
    made.append(doc)
    return doc


def coupon_created(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    doc = _create_code(ev, at, spec, 'coupon')
    if doc is not None:
        doc.update(usageLimit=spec.get('usageLimit', 1),
                   recipientIntegrationId=ev.ctx.profile_id)
        ev.effect(at, 'couponCreated', {'value': doc['value'], 'profileId': ev.ctx.profile_id})


def referral_created(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    doc = _create_code(ev, at, spec, 'referral')
    if doc is not None:
        doc.update(usageLimit=spec.get('usageLimit', 0),
                   advocateProfileIntegrationId=ev.ctx.profile_id)
        ev.effect(at, 'referralCreated', {'value': doc['code']})


def reserve_coupon(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ctx = ev.ctx
    profile_id = ctx.profile_id
    if spec.get('couponValue'):
        target = ctx.lookup('coupon', ctx.world.code_key(spec['couponValue']))
    else:
        target = at.coupon     # the session's coupon that this rule validated
    if target is None or not profile_id:
        return
    pending = [v for v, _ in ev.out.reservations if v == target['value']]
    reservations: List[str] = target.get('reservations', [])
    is_new = profile_id not in reservations and not pending
    limit = target.get('reservationLimit')
    if is_new and limit and len(reservations) + len(pending) >= limit:
        return      # no room for another profile
    if is_new:
        ev.out.reservations.append((target['value'], profile_id))
    ev.effect(at, 'reserveCoupon', {'couponValue': target['value'],
                                    'profileIntegrationId': profile_id,
                                    'isNewReservation': is_new})


def redeem_referral(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    referral = ev.valid_referral      # the rule's referralValid condition held
    assert referral is not None
    ev.effect(at, 'redeemReferral', {'id': referral['id'], 'value': referral['code']})


def trigger_webhook(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    # Not delivered: the sandbox reports the effect but calls no webhook.
    ev.effect(at, 'triggerWebhook',
              {'webhookId': spec['webhookId'], 'webhookName': spec['webhookName']})


def show_bundle_metadata(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ev.effect(at, 'showBundleMetadata', {
        'description': spec['description'], 'bundleAttributes': list(spec['bundleAttributes']),
        'itemsIndices': [position for position, _ in ev.matching_items(spec)]})


def error(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ev.effect(at, 'error', {'message': spec['message']})


def add_free_item(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ev.effect(at, 'addFreeItem', {'sku': spec['sku'], 'name': spec['name']})


def show_notification(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ev.effect(at, 'showNotification', {'notificationType': spec.get('notificationType', 'info'),
                                       'title': spec['title'], 'body': spec['body']})


def custom_effect(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ev.effect(at, 'customEffect', {'effectId': spec['effectId'], 'name': spec['name'],
                                   'payload': spec.get('payload', {})})


def add_loyalty_points(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    program = ev.ctx.world.programs[spec['programId']]
    owner = ev.owner(program)
    if owner is None:
        return
    value = amount(spec, ev.cart_total)
    if value <= 0:
        return
    start, expiry = ledgers.points_window(program, ev.ctx.now)
    awaits = bool(spec.get('awaitsActivation'))
    if awaits:      # no start date until activated; the expiry counts from then
        start, expiry = ledgers.ON_ACTION, ledgers.UNLIMITED
    name = spec.get('name') or at.rule['title']
    txn_uuid = _uuid4()
    props: Doc = {'name': name, 'programId': program['id'],
                       'subLedgerId': spec.get('subledgerId', ''), 'value': value,
                  'recipientIntegrationId': ev.ctx.profile_id or '',
                  'transactionUUID': txn_uuid}
    if start not in (ledgers.IMMEDIATE, ledgers.ON_ACTION):
        props['startDate'] = start
    if expiry != ledgers.UNLIMITED:
        props['expiryDate'] = expiry
    if program.get('cardBased'):
        props['cardIdentifier'] = owner
    if awaits:
        props['awaitsActivation'] = True
        if spec.get('validityDuration'):
            props['validityDuration'] = spec['validityDuration']
    ev.effect(at, 'addLoyaltyPoints', props)
    ev.out.points.append(PointsOp('add', program['id'], owner, props['subLedgerId'], value,
                                  name, txn_uuid, ruleset_id(at.campaign), at.rule['title'],
                                  start_date=start, expiry_date=expiry, awaits_activation=awaits,
                                  validity=props.get('validityDuration', '')))


def deduct_loyalty_points(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    program = ev.ctx.world.programs[spec['programId']]
    owner = ev.owner(program)
    if owner is None:
        return
    subledger = spec.get('subledgerId', '')
    value = round(float(spec['value']), 2)
    key = (program['id'], owner, subledger)
    active = ev.active_points(program, subledger) or 0
    if active - ev.deducted.get(key, 0) < value:
        return    # not enough active points: no effect, like a failed budget
    ev.deducted[key] = ev.deducted.get(key, 0) + value
    name = spec.get('name') or at.rule['title']
    txn_uuid = _uuid4()
    props = {'ruleTitle': at.rule['title'], 'programId': program['id'],
             'subLedgerId': subledger, 'value': value, 'transactionUUID': txn_uuid,
             'name': name}
    if program.get('cardBased'):
        props['cardIdentifier'] = owner
    ev.effect(at, 'deductLoyaltyPoints', props)
    ev.out.points.append(PointsOp('deduct', program['id'], owner, subledger, value, name,
                                  txn_uuid, ruleset_id(at.campaign), at.rule['title']))


def award_giveaway(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ctx = ev.ctx
    pool = ctx.pool_of(spec['poolId'])
    if pool is None or not ctx.profile_id:
        return
    base = {'poolId': pool['id'], 'poolName': pool.get('name', ''),
            'recipientIntegrationId': ctx.profile_id}
    if not ctx.closing:
        ev.effect(at, 'willAwardGiveaway', base)
        return
    for giveaway in pool.get('giveaways', []):
        if giveaway.get('used') or giveaway.get('profileIntegrationId') or \
                giveaway['id'] in ev.taken_giveaways:
            continue
        ev.taken_giveaways.add(giveaway['id'])
        ev.effect(at, 'awardGiveaway', dict(base, giveawayId=giveaway['id'],
                                            code=giveaway['code']))
        ev.out.giveaways.append((pool['id'], giveaway['id']))
        return


EFFECTS: Dict[str, Handler] = {
    'setDiscount': set_discount, 'setDiscountPerItem': set_discount_per_item,
    'setDiscountPerAdditionalCost': set_discount_per_additional_cost,
    'setDiscountPerAdditionalCostPerItem': set_discount_per_additional_cost_per_item,
    'updateAttribute': update_attribute, 'couponCreated': coupon_created,
    'referralCreated': referral_created, 'reserveCoupon': reserve_coupon,
    'redeemReferral': redeem_referral, 'triggerWebhook': trigger_webhook,
    'showBundleMetadata': show_bundle_metadata, 'error': error, 'addFreeItem': add_free_item,
    'showNotification': show_notification, 'customEffect': custom_effect,
    'addLoyaltyPoints': add_loyalty_points, 'deductLoyaltyPoints': deduct_loyalty_points,
    'awardGiveaway': award_giveaway,
}
EFFECTS.update(loyalty_effects.EFFECTS)     # tier and expiry-date effects


from talon_one.sandbox.engine.effects_2026 import EFFECTS_2026   # noqa: E402 (needs EFFECTS' types)

EFFECTS.update(EFFECTS_2026)

# A private generator: the sandbox may run inside a user's test process, whose seeded
# global random sequence it must not disturb.
_random = random.Random()
_random_bits = _random.getrandbits
if hasattr(os, 'register_at_fork'):     # a forked test worker must not repeat its parent's ids
    os.register_at_fork(after_in_child=_random.seed)


def _uuid4() -> str:
    """A random (version 4) UUID string. Transaction ids only need to be unique here, so the
    fast generator will do: uuid.uuid4() asks the OS for randomness on every call."""
    bits = _random_bits(128)
    return '%08x-%04x-4%03x-%04x-%012x' % (
        bits >> 96, (bits >> 80) & 0xffff, (bits >> 68) & 0xfff,
        0x8000 | ((bits >> 52) & 0x3fff), bits & 0xffffffffffff)
