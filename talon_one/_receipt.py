"""``str(EffectsSummary)``: a short receipt a support engineer can read.

Money lines first (totals, each discount, the price to pay), then one line per
other outcome, then the warnings. Every line that comes from an effect names its
campaign (and rule) so it can be traced back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional

if TYPE_CHECKING:
    from talon_one._summary_types import Discount, EffectOrigin, EffectsSummary, Rollback

_WIDTH = 48     # the amount column ends here


def _money_line(label: str, amount: Any, origin: Optional[EffectOrigin] = None) -> str:
    text = '%s %s' % (label.ljust(_WIDTH - 1 - len(str(amount))), amount)
    return text + ('   [%s]' % origin if origin is not None else '')


def _discount_label(discount: Discount) -> str:
    name = discount.name or '(no name)'
    if discount.kind == 'item':
        return 'item %s %s: %s' % (discount.position, discount.sku or '?', name)
    if discount.kind == 'additional_cost':
        return '%s: %s' % (discount.additional_cost, name)
    if discount.kind == 'item_additional_cost':
        return 'item %s %s: %s' % (discount.position, discount.additional_cost, name)
    return name


def _ledger(program_id: Any, subledger_id: Optional[str], card: Optional[str] = None) -> str:
    text = 'program %s' % program_id
    if subledger_id:
        text += ' / %s' % subledger_id
    return text + (' card %s' % card if card else '')


def _rollback_text(rollback: Rollback) -> str:
    kind = rollback.effect_type
    if kind == 'rollbackDiscount':
        return 'Rolled back discount %s: %s' % (rollback.name, rollback.amount)
    if kind == 'rollbackAddedLoyaltyPoints':
        return 'Rolled back points -%s %s' % (rollback.amount, _ledger(rollback.program_id,
                                                                       rollback.subledger_id))
    if kind == 'rollbackDeductedLoyaltyPoints':
        return 'Refunded points +%s %s' % (rollback.amount, _ledger(rollback.program_id,
                                                                    rollback.subledger_id))
    if kind == 'rollbackIncreasedAchievementProgress':
        return 'Rolled back achievement progress %s: -%s' % (rollback.name, rollback.amount)
    what = 'coupon' if kind == 'rollbackCoupon' else 'referral'
    return 'Rolled back %s %s' % (what, rollback.code)


def _plain_number(value: Any) -> str:
    """3 for 3.0: progress counts arrive as JSON numbers."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(value: Any) -> str:
    return value.date().isoformat() if hasattr(value, 'date') else str(value)


def receipt(summary: EffectsSummary) -> str:
    lines: List[str] = []
    if summary.cart_items_total is not None:
        lines.append(_money_line('Cart items', summary.cart_items_total))
        lines.append(_money_line('Additional costs', summary.additional_costs_total))
    for discount in summary.discounts.all:
        lines.append(_money_line('- ' + _discount_label(discount), -discount.amount,
                                 discount.origin))
    if summary.price_to_pay is not None:
        lines.append(_money_line('Price to pay', summary.price_to_pay))
    else:
        lines.append(_money_line('Discounts (no session in the response)',
                                 summary.discounts.total))
    for item in summary.free_items:
        lines.append('Free item %s (%s)   [%s]' % (item.name, item.sku, item.origin))
    for kind, codes in (('Coupon', summary.coupons), ('Referral', summary.referrals)):
        for code in codes:
            reason = ': %s' % code.reason if code.reason else ''
            lines.append('%s %s %s%s   [%s]' % (kind, code.code, code.status, reason,
                                                code.origin))
    for points in summary.loyalty.added + summary.loyalty.deducted:
        sign = '+' if points.direction == 'added' else '-'
        ledger = _ledger(points.program_id, points.subledger_id, points.card_identifier)
        pending = ''
        if points.start_date is not None:
            pending = ', pending until %s' % _date(points.start_date)
        elif points.awaits_activation:
            pending = ', pending until activated'
        lines.append('Points %s%s %s (%s%s)   [%s]' % (
            sign, points.points, ledger, points.name, pending, points.origin))
    for tier in summary.loyalty.tier_changes:
        lines.append('Tier %s -> %s %s   [%s]' % (
            tier.previous_tier_name, tier.new_tier_name,
            _ledger(tier.program_id, tier.subledger_id), tier.origin))
    for change in summary.loyalty.expiry_changes:
        until = (_date(change.new_expiry_date) if change.new_expiry_date is not None
                 else '+%s' % change.extension_duration)
        lines.append('Points expiry %s %s   [%s]' % (
            until, _ledger(change.program_id, change.subledger_id), change.origin))
    for progress in summary.achievements:
        done = ', completed' if progress.just_completed else ''
        lines.append('Achievement %s: +%s (%s of %s%s)   [%s]' % (
            progress.achievement_name, _plain_number(progress.delta),
            _plain_number(progress.value), _plain_number(progress.target), done,
            progress.origin))
    for membership in summary.audiences:
        lines.append('Audience %s: %s   [%s]' % (membership.audience_name, membership.direction,
                                                 membership.origin))
    for note in summary.notifications:
        lines.append('Notification %s: %s' % (note.title, note.body))
    for custom in summary.custom_effects:
        lines.append('Custom effect %s %s   [%s]' % (custom.name, custom.payload, custom.origin))
    for award in summary.giveaways:
        what = award.code if award.status == 'awarded' else 'on close'
        lines.append('Giveaway from pool %s: %s   [%s]' % (award.pool_name, what, award.origin))
    for rollback in summary.rollbacks:
        lines.append('%s   [%s]' % (_rollback_text(rollback), rollback.origin))
    if summary.rolled_back_discount_total:
        lines.append(_money_line('Discounts rolled back', summary.rolled_back_discount_total))
    for other in summary.other:
        lines.append('%s   [%s]' % (other.text, other.origin))
    for unknown in summary.unknown:
        lines.append('Unknown effect %s   [%s]' % (unknown.effect_type, unknown.origin))
    for warning in summary.warnings:
        lines.append('Warning: %s' % warning)
    return '\n'.join(lines)
