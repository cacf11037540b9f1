"""Loyalty tiers: a program's tiers by the active points they need, and the tier a ledger is
in (its balance decides, unless a ``changeLoyaltyTierLevel`` effect set one that has not
expired yet)."""

import datetime
from typing import List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc


def tiers_of(program: Doc) -> List[Doc]:
    """The program's tiers, lowest first, each with its id (default: program id * 100 + the
    tier's position + 1)."""
    tiers = [dict(tier, id=tier.get('id', program['id'] * 100 + index + 1))
             for index, tier in enumerate(program.get('tiers', []))]
    return sorted(tiers, key=lambda tier: tier['minPoints'])


def by_name(program: Doc, name: str) -> Optional[Doc]:
    return next((tier for tier in tiers_of(program) if tier['name'] == name), None)


def for_points(program: Doc, points: float) -> Optional[Doc]:
    """The highest tier ``points`` active points reach (None: below the lowest)."""
    reached = [tier for tier in tiers_of(program) if points >= tier['minPoints']]
    return reached[-1] if reached else None


def granted(ledger: Optional[Doc], subledger: str, at: datetime.datetime) -> Optional[Doc]:
    """The tier a rule set for this subledger, while it lasts."""
    grants: Doc = (ledger or {}).get('tiers') or {}
    found: Optional[Doc] = grants.get(subledger)
    if found is None:
        return None
    expiry: Optional[str] = found.get('expiryDate')
    if expiry and timeutil.parse(expiry) <= at:
        return None
    return found


def current(program: Doc, ledger: Optional[Doc], subledger: str, points: float,
            at: datetime.datetime) -> Optional[Doc]:
    """The tier the owner is in: the one a rule granted (while it lasts), else the one the
    active points reach."""
    grant = granted(ledger, subledger, at)
    if grant is not None:
        tier = by_name(program, grant['name'])
        if tier is not None:
            return dict(tier, grantedUntil=grant.get('expiryDate'))
    return for_points(program, points)


def view(tier: Doc) -> Doc:
    """The Tier schema."""
    body: Doc = {'id': tier['id'], 'name': tier['name']}
    if tier.get('grantedUntil'):
        body['expiryDate'] = tier['grantedUntil']
    if tier.get('downgradePolicy'):
        body['downgradePolicy'] = tier['downgradePolicy']
    return body


def tier_fields(program: Doc, ledger: Optional[Doc], subledger: str, points: float,
                at: datetime.datetime) -> Doc:
    """``currentTier``, ``pointsToNextTier``, ``nextTierName`` (those that apply) of a
    LedgerInfo or LoyaltyBalanceWithTier; empty for a program without tiers."""
    tiers = tiers_of(program)
    if not tiers:
        return {}
    out: Doc = {}
    tier = current(program, ledger, subledger, points, at)
    if tier is not None:
        out['currentTier'] = view(tier)
    above = [t for t in tiers if t['minPoints'] > (tier['minPoints'] if tier else -1) and
             t['minPoints'] > points]
    if above:
        out['pointsToNextTier'] = _num(above[0]['minPoints'] - points)
        out['nextTierName'] = above[0]['name']
    return out


def projected(program: Doc, ledger: Optional[Doc], subledger: str, points_then: float,
              points_now: float, at: datetime.datetime) -> Doc:
    """ProjectedTier: the active points left at the end of the tier period (the calendar
    year) and the tier they reach."""
    out: Doc = {'projectedActivePoints': points_then}
    tier = for_points(program, points_then)
    if tier is not None:
        out['projectedTierName'] = tier['name']
    now_tier = current(program, ledger, subledger, points_now, at)
    if now_tier is not None:
        out['stayInTierPoints'] = _num(max(0.0, now_tier['minPoints'] - points_then))
    return out


def period_end(at: datetime.datetime) -> datetime.datetime:
    """The end of the tier period ``at`` is in: the calendar year (UTC)."""
    return datetime.datetime(at.year, 12, 31, 23, 59, 59, tzinfo=timeutil.UTC)


def _num(value: float) -> float:
    value = round(value, 2)
    return int(value) if value == int(value) else value
