"""A validated world: the application, its campaigns and programs, and the entries to seed."""

from typing import Dict, List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc

CASE_SENSITIVITIES = ('sensitive', 'insensitive-uppercase', 'insensitive-lowercase')
DEFAULT_CASE_SENSITIVITY = 'sensitive'
DEFAULT_API_KEY = 'sandbox-api-key'


class WorldError(ValueError):
    """The world file breaks a rule; the message names the path and the rule."""


class World(object):
    """A validated world (world/checks.py): plain dicts keyed by API names."""

    def __init__(self, data: Doc) -> None:
        self.data = data
        self.application: Doc = data['application']
        self.campaigns: Dict[int, Doc] = {c['id']: c for c in data.get('campaigns', [])}
        self.programs: Dict[int, Doc] = {p['id']: p for p in data.get('loyaltyPrograms', [])}
        self.created = timeutil.now()
        self.additional_costs: Dict[str, Doc] = {c['name']: c
                                                 for c in data.get('additionalCosts', [])}
        effects = [e for c in self.campaigns.values() for r in c.get('rules', [])
                   for e in r.get('effects', [])]
        kinds = {e['type'] for e in effects}
        self.uses_giveaways = 'awardGiveaway' in kinds
        self.creates_referrals = 'referralCreated' in kinds
        self.changes_audiences = bool(kinds & {'addToAudience', 'removeFromAudience'})
        self.achievements: Dict[int, Doc] = {a['id']: a for a in data.get('achievements', [])}
        # Coupons that rules reserve by name: their locks are taken with the evaluation.
        self.rule_coupon_values = sorted({self.code_key(e['couponValue']) for e in effects
                                          if e['type'] == 'reserveCoupon' and
                                          e.get('couponValue')})

    @property
    def case_sensitivity(self) -> str:
        found: str = self.application.get('caseSensitivity', DEFAULT_CASE_SENSITIVITY)
        return found

    def code_key(self, code: str) -> str:
        """A coupon or referral code as this application stores and matches it."""
        return code_key(self.case_sensitivity, code)

    @property
    def api_key(self) -> str:
        found: str = self.application.get('apiKey') or DEFAULT_API_KEY
        return found

    @property
    def application_id(self) -> int:
        found: int = self.application.get('id', 1)
        return found

    @property
    def account_id(self) -> int:
        found: int = self.application.get('accountId', 1)
        return found

    @property
    def application_key(self) -> Optional[str]:
        found: Optional[str] = self.application.get('applicationKey')
        return found

    def section(self, name: str) -> List[Doc]:
        found: List[Doc] = self.data.get(name, [])
        return found


def code_key(case_sensitivity: str, code: str) -> str:
    """``code`` under a ``caseSensitivity`` setting: as sent, upper- or lowercased."""
    if case_sensitivity == 'insensitive-uppercase':
        return code.upper()
    if case_sensitivity == 'insensitive-lowercase':
        return code.lower()
    return code
