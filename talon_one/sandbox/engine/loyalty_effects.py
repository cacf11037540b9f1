"""Rule effects that change a loyalty ledger without adding or spending points: the tier
(``changeLoyaltyTierLevel``) and the expiry dates of points already earned
(``extendLoyaltyPointsExpiryDate``, ``setLoyaltyPointsExpiryDate``). Like points, they are
reported on every evaluation and written when it is committed (ops/loyalty.commit_points)."""

from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import durations, ledgers, tiers
from talon_one.sandbox.engine.context import Firing, PointsOp, ruleset_id

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.engine.evaluation import Evaluation

Handler = Callable[['Evaluation', Firing, Doc], None]


def _owner(ev: 'Evaluation', spec: Doc) -> Tuple[Doc, Optional[str], str]:
    program = ev.ctx.world.programs[spec['programId']]
    return program, ev.owner(program), spec.get('subledgerId', '')


def change_tier(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    program, owner, sub = _owner(ev, spec)
    if owner is None:
        return
    now = ev.ctx.now
    ledger = ev.ctx.ledger_of(program, owner)
    before = tiers.current(program, ledger, sub, ev.active_points(program, sub) or 0, now)
    if before is not None and before['name'] == spec['tierName']:
        return      # already in that tier: nothing changes
    props: Doc = {'ruleTitle': at.rule['title'], 'programId': program['id'],
                  'subLedgerId': sub, 'newTierName': spec['tierName']}
    if before is not None:
        props['previousTierName'] = before['name']
    expiry = ''
    if spec.get('expiryDays') is not None:
        expiry = timeutil.fmt(timeutil.add_days(now, spec['expiryDays']))
        props['expiryDate'] = expiry
    ev.effect(at, 'changeLoyaltyTierLevel', props)
    ev.out.points.append(PointsOp('tier', program['id'], owner, sub, 0, spec['tierName'], '',
                                  ruleset_id(at.campaign), at.rule['title'],
                                  expiry_date=expiry))


def _expiry_effect(ev: 'Evaluation', at: Firing, spec: Doc, effect_type: str,
                   props: Doc, new_expiry: Callable[[str], Optional[str]]) -> None:
    """Report (and queue for the commit) new expiry dates of the owner's unexpired points;
    ``new_expiry`` maps an addition's expiry date to its new one (None: not affected)."""
    program, owner, sub = _owner(ev, spec)
    if owner is None:
        return
    affected: List[Doc] = []
    for txn in ledgers.unexpired_additions(ev.ctx.ledger_of(program, owner), sub, ev.ctx.now):
        new = new_expiry(txn['expiryDate'])
        if new is None:
            continue
        change: Doc = {'transactionUUID': ledgers.uuid_of(txn), 'newExpiryDate': new}
        if txn['expiryDate'] != ledgers.UNLIMITED:
            change['previousExpiryDate'] = txn['expiryDate']
        affected.append(change)
    props.update(programId=program['id'], subLedgerId=sub, affectedTransactions=affected)
    ev.effect(at, effect_type, props)
    ev.out.points.append(PointsOp(
        'expiry', program['id'], owner, sub, 0, effect_type, '', ruleset_id(at.campaign),
        at.rule['title'],
        expiry_changes=tuple((c['transactionUUID'], c['newExpiryDate']) for c in affected)))


def extend_expiry(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    duration = spec['extensionDuration']

    def later(expiry: str) -> Optional[str]:
        if expiry == ledgers.UNLIMITED:
            return None         # points that never expire cannot expire later
        return timeutil.fmt(durations.add(timeutil.parse(expiry), duration))

    _expiry_effect(ev, at, spec, 'extendLoyaltyPointsExpiryDate',
                   {'extensionDuration': duration}, later)


def set_expiry(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    if spec.get('newExpiryDate'):
        new = timeutil.fmt(timeutil.parse(spec['newExpiryDate']))
    else:
        new = timeutil.fmt(timeutil.add_days(ev.ctx.now, spec['expiryDays']))
    _expiry_effect(ev, at, spec, 'setLoyaltyPointsExpiryDate', {'newExpiryDate': new},
                   lambda expiry: new)


EFFECTS: Dict[str, Handler] = {
    'changeLoyaltyTierLevel': change_tier, 'extendLoyaltyPointsExpiryDate': extend_expiry,
    'setLoyaltyPointsExpiryDate': set_expiry,
}
