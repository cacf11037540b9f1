"""What one evaluation sees (``Context``) and what it decides (``Outcome``)."""

import dataclasses
import datetime
from typing import (TYPE_CHECKING, Callable, Dict, Iterable, List, NamedTuple, Optional, Set,
                    Tuple, Union)

from talon_one.sandbox.documents import Doc, Key

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.world import World

# The reads an evaluation needs beyond its own entities, given by the caller (the engine
# itself reads no store): a ledger by (program, owner), a giveaway pool by id, any
# stored document by (kind, key). Each gives None when there is none.
LedgerOf = Callable[[Doc, str], Optional[Doc]]
PoolOf = Callable[[int], Optional[Doc]]
Lookup = Callable[[str, Key], Optional[Doc]]


def _no_ledger(program: Doc, owner: str) -> Optional[Doc]:
    return None


def _no_pool(pool_id: int) -> Optional[Doc]:
    return None


def _no_document(kind: str, key: Key) -> Optional[Doc]:
    return None


class Firing(NamedTuple):
    """The rule whose conditions held, and the session coupon it validated (if any)."""

    campaign: Doc
    rule_index: int
    rule: Doc
    coupon: Optional[Doc]


def ruleset_id(campaign: Doc) -> int:
    found: int = campaign.get('activeRulesetId') or campaign['id'] * 100 + 1
    return found


class Context(object):
    """What one evaluation sees."""

    def __init__(self, world: 'World', trigger: str, now: datetime.datetime,
                 session: Optional[Doc] = None, profile: Optional[Doc] = None,
                 event_attributes: Optional[Doc] = None, audiences: Iterable[int] = (),
                 coupons: Optional[Dict[str, Optional[Doc]]] = None,
                 referral: Optional[Doc] = None, referral_code: Optional[str] = None,
                 evaluable: Optional[Iterable[int]] = None, closing: bool = False,
                 ledger_of: LedgerOf = _no_ledger, card: Optional[Doc] = None,
                 pool_of: PoolOf = _no_pool, lookup: Lookup = _no_document) -> None:
        self.world = world
        self.trigger = trigger
        self.now = now
        self.session = session
        self.profile = profile
        self.event_attributes: Doc = event_attributes or {}
        self.audiences = set(audiences)
        # value -> coupon doc or None (not found), in session order
        self.coupons: Dict[str, Optional[Doc]] = coupons or {}
        self.referral = referral
        self.referral_code = referral_code
        self.evaluable: Optional[Set[int]] = set(evaluable) if evaluable else None
        self.closing = closing
        self.ledger_of = ledger_of
        self.card = card
        self.pool_of = pool_of
        self.lookup = lookup

    @property
    def profile_id(self) -> Optional[str]:
        return self.profile['integrationId'] if self.profile else None


@dataclasses.dataclass(frozen=True)
class PointsOp:
    """One loyalty change an outcome commits: ``add`` (earn), ``deduct`` (spend), ``tier``
    (the owner's tier set to ``name`` until ``expiry_date``) or ``expiry`` (new expiry dates
    of earlier additions)."""

    op: str
    program_id: int
    owner: str                  # a profile's integration id or a card identifier
    subledger_id: str
    amount: float
    name: str
    uuid: str
    ruleset_id: int
    rule_name: str
    start_date: str = ''        # add: when the points become active (or 'immediate')
    expiry_date: str = ''       # add: when they expire (or 'unlimited'); tier: its expiry
    awaits_activation: bool = False     # add: pending until activate_points starts them
    validity: str = ''          # add: how long they stay active once activated ('30D')
    # expiry: (transaction UUID, new expiry date) of the additions an expiry effect changes
    expiry_changes: Tuple[Tuple[str, str], ...] = ()


# A rule failure reason, or what writes it out when it is asked for.
Failure = Union[Doc, Callable[[], Doc]]


class Outcome(object):
    def __init__(self) -> None:
        self.effects: List[Doc] = []
        self.triggered: List[int] = []          # campaign ids, in order
        self._failures: List[Failure] = []
        self.accepted_coupons: List[str] = []   # values
        self.rejected_coupons: Dict[str, str] = {}   # value -> reason
        self.accepted_referral: Optional[str] = None
        self.referral_rejection: Optional[str] = None
        self.points: List[PointsOp] = []        # loyalty operations to commit
        self.giveaways: List[Tuple[int, int]] = []   # (pool id, giveaway id)
        self.created_coupons: List[Doc] = []    # coupon documents to store (couponCreated)
        self.created_referrals: List[Doc] = []  # referral documents to store (referralCreated)
        self.reservations: List[Tuple[str, str]] = []   # (coupon value, integration id) to add
        # (profile | session, attribute name, value)
        self.attribute_updates: List[Tuple[str, str, object]] = []
        self.audience_changes: List[Tuple[str, int]] = []    # (add | remove, audience id)
        self.achievements: List[Tuple[int, float]] = []      # (achievement id, delta) to add

    def fail(self, failure: Failure) -> None:
        self._failures.append(failure)

    @property
    def failures(self) -> List[Doc]:
        """RuleFailureReason dicts: written out when asked for (only a response that asks
        for ruleFailureReasons shows them, and most rules of most evaluations fail)."""
        written = [failure() if callable(failure) else failure for failure in self._failures]
        self._failures[:] = written
        return written
