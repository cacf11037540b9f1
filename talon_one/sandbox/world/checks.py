"""The rules of a world file (see WORLD.md for the format), checked before it is used.

A world declares what the Management API would create: the application,
campaigns with rules, coupons, referrals, loyalty programs and cards,
audiences, catalogs, giveaway pools, and optionally profiles and sessions to
start with. Mistakes are reported early with the JSON path and the rule.
"""

import functools
from typing import Any, Dict, List, Set, Tuple

from talon_one.sandbox.documents import Doc, as_list, as_object
from talon_one.sandbox.engine import durations
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.world import schema
from talon_one.sandbox.world.fields import (date, fail, integer, items_of, need, number,
                                            objects, optional_object, short, string, strings,
                                            unique)
from talon_one.sandbox.world.checks_2026 import EFFECT_TYPES_2026, check_2026
from talon_one.sandbox.world.model import CASE_SENSITIVITIES, DEFAULT_CASE_SENSITIVITY, code_key

CONDITION_TYPES = {
    'couponValid': (), 'referralValid': (), 'subtotal': ('op', 'value'),
    'cartItem': (), 'profileAttribute': ('name', 'op'), 'sessionAttribute': ('name', 'op'),
    'eventAttribute': ('name', 'op'), 'eventType': ('value',), 'audience': ('audienceId',),
    'loyaltyBalance': ('programId', 'op', 'value'), 'firstSession': (),
    'any': ('conditions',), 'not': ('condition',),
}
EFFECT_TYPES = {
    'setDiscount': ('name',), 'setDiscountPerItem': ('name',), 'addFreeItem': ('sku', 'name'),
    'setDiscountPerAdditionalCost': ('name', 'additionalCost'),
    'setDiscountPerAdditionalCostPerItem': ('name', 'additionalCost'),
    'addLoyaltyPoints': ('programId',), 'deductLoyaltyPoints': ('programId', 'value'),
    'showNotification': ('title', 'body'), 'customEffect': ('effectId', 'name'),
    'awardGiveaway': ('poolId',), 'updateAttribute': ('path', 'value'),
    'couponCreated': (), 'referralCreated': (), 'reserveCoupon': (), 'redeemReferral': (),
    'triggerWebhook': ('webhookId', 'webhookName'),
    'showBundleMetadata': ('description', 'bundleAttributes'), 'error': ('message',),
    'changeLoyaltyTierLevel': ('programId', 'tierName'),
    'extendLoyaltyPointsExpiryDate': ('programId', 'extensionDuration'),
    'setLoyaltyPointsExpiryDate': ('programId',),
    **EFFECT_TYPES_2026,
}
# Loyalty effects that name a program (and maybe a subledger) of the world.
_PROGRAM_EFFECTS = ('addLoyaltyPoints', 'deductLoyaltyPoints', 'changeLoyaltyTierLevel',
                    'extendLoyaltyPointsExpiryDate', 'setLoyaltyPointsExpiryDate')
TIER_DOWNGRADE_POLICIES = ('one_down', 'balance_based')
# Effects whose amount is either a fixed ``value`` or a ``percent`` of a base.
_AMOUNT_EFFECTS = ('setDiscount', 'setDiscountPerItem', 'addLoyaltyPoints',
                   'setDiscountPerAdditionalCost', 'setDiscountPerAdditionalCostPerItem')
# Additional-cost discounts and the cost types (AccountAdditionalCost.type) they work on.
_COST_EFFECT_SCOPES = {'setDiscountPerAdditionalCost': ('session', 'both'),
                       'setDiscountPerAdditionalCostPerItem': ('item', 'both')}
ATTRIBUTE_TARGETS = ('profile', 'session')     # updateAttribute paths: <target>.<attribute>
OPERATORS = ('==', '!=', '>', '>=', '<', '<=', 'contains', 'exists')
COST_TYPES = ('session', 'item', 'both')
MAX_DAYS = 36500      # day counts (pending, expiry, history) stay within 100 years


def check(data: Any) -> Doc:
    """``data`` with nulls dropped, once every rule holds (else a WorldError)."""
    if not isinstance(data, dict):
        fail('$', 'must be an object')
    data = _drop_nulls(data)
    checked: Doc = data
    found = data.get('application')
    if not isinstance(found, dict):
        fail('application', 'is required and must be an object')
    application = as_object(found)
    integer(application, 'id', 'application')
    integer(application, 'accountId', 'application')
    for name in ('name', 'currency', 'apiKey'):
        string(application, name, 'application')
    key = string(application, 'applicationKey', 'application')
    if key is not None:
        try:
            bytes.fromhex(key)
        except ValueError:
            fail('application.applicationKey', 'must be hexadecimal')
    case = string(application, 'caseSensitivity', 'application') or DEFAULT_CASE_SENSITIVITY
    if case not in CASE_SENSITIVITIES:
        fail('application.caseSensitivity', 'must be one of %s' % ', '.join(CASE_SENSITIVITIES))
    refs = _Refs(programs=_check_programs(data), pools=_check_pools(data),
                 costs=_check_additional_costs(data))
    campaigns = _check_campaigns(data, refs)
    coupon_values = _check_codes(data, campaigns, case)
    _check_rule_coupons(refs.named_coupons, coupon_values, case)
    _check_cards(data, refs.programs)
    _check_transactions(data, refs.programs)
    _check_audiences(data)
    _check_catalogs(data)
    _check_people(data)
    check_2026(data)
    return checked


_FREE_FORM = ('attributes', 'payload', 'value')     # user data: kept exactly as written


def _drop_nulls(value: Any) -> Any:
    """A copy in which a null field means the same as a missing one (its default)."""
    if isinstance(value, dict):
        return {key: item if key in _FREE_FORM else _drop_nulls(item)
                for key, item in as_object(value).items() if item is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in as_list(value)]
    return value


class _Refs(object):
    """What rules may refer to, for their checks; collects the coupons they name."""

    def __init__(self, programs: Dict[int, Doc], pools: Set[int], costs: Dict[str, Doc]) -> None:
        self.programs = programs
        self.pools = pools
        self.costs = costs
        self.named_coupons: List[Tuple[str, str]] = []     # (path, value) of reserveCoupon effects


def _check_additional_costs(data: Doc) -> Dict[str, Doc]:
    costs = objects(data, 'additionalCosts', '$')
    for index, cost in enumerate(costs):
        path = 'additionalCosts[%d]' % index
        integer(cost, 'id', path, required=True)
        if not string(cost, 'name', path, required=True):
            fail(path + '.name', 'must not be empty')
        string(cost, 'title', path)
        string(cost, 'description', path)
        if cost.get('type', 'both') not in COST_TYPES:
            fail(path + '.type', 'must be one of %s' % ', '.join(COST_TYPES))
    unique(costs, 'id', 'additionalCosts')
    unique(costs, 'name', 'additionalCosts')
    return {c['name']: c for c in costs}


def _check_programs(data: Doc) -> Dict[int, Doc]:
    programs = objects(data, 'loyaltyPrograms', '$')
    for index, program in enumerate(programs):
        path = 'loyaltyPrograms[%d]' % index
        integer(program, 'id', path, required=True)
        string(program, 'name', path, required=True)
        string(program, 'title', path)
        need(program, 'cardBased', path, bool, required=False)
        # Day counts are added to dates: keep them within what a calendar can hold.
        for name in ('pendingDays', 'expiryDays'):
            integer(program, name, path, low=0, high=MAX_DAYS)
        integer(program, 'usersPerCardLimit', path, low=0)
        strings(program, 'subledgers', path, non_empty=True)
        _check_tiers(program, path)
    unique(programs, 'id', 'loyaltyPrograms')
    return {p['id']: p for p in programs}


def _check_pools(data: Doc) -> Set[int]:
    pools = objects(data, 'giveawayPools', '$')
    for index, pool in enumerate(pools):
        path = 'giveawayPools[%d]' % index
        integer(pool, 'id', path, required=True)
        string(pool, 'name', path)
        strings(pool, 'codes', path, non_empty=True)
    return unique(pools, 'id', 'giveawayPools')


def _check_campaigns(data: Doc, refs: _Refs) -> Dict[int, Doc]:
    campaigns = objects(data, 'campaigns', '$')
    for index, campaign in enumerate(campaigns):
        path = 'campaigns[%d]' % index
        integer(campaign, 'id', path, required=True)
        string(campaign, 'name', path, required=True)
        string(campaign, 'description', path)
        optional_object(campaign, 'attributes', path)
        strings(campaign, 'tags', path)
        strings(campaign, 'features', path)
        objects(campaign, 'limits', path)
        items_of(campaign, 'campaignGroups', path, int)
        integer(campaign, 'activeRulesetId', path)
        state = campaign.get('state', 'enabled')
        if state not in ('enabled', 'disabled', 'archived'):
            fail(path + '.state', 'must be enabled, disabled or archived')
        for name in ('created', 'startTime', 'endTime'):
            date(campaign, name, path)
        for r_index, rule in enumerate(objects(campaign, 'rules', path)):
            rule_path = '%s.rules[%d]' % (path, r_index)
            string(rule, 'title', rule_path, required=True)
            conditions = objects(rule, 'conditions', rule_path)
            for c_index, condition in enumerate(conditions):
                _check_condition(condition, '%s.conditions[%d]' % (rule_path, c_index),
                                 refs.programs)
            kinds = {c['type'] for c in conditions}
            for e_index, effect in enumerate(objects(rule, 'effects', rule_path)):
                _check_effect(effect, '%s.effects[%d]' % (rule_path, e_index), refs, kinds)
    unique(campaigns, 'id', 'campaigns')
    return {c['id']: c for c in campaigns}


def _typed(spec: Doc, path: str, what: str, known: Dict[str, Tuple[str, ...]]) -> str:
    """``spec['type']`` after checking it is known and its required keys are there."""
    kind = spec.get('type')
    if not isinstance(kind, str) or kind not in known:
        fail(path + '.type', 'unknown %s type %s (known: %s)'
              % (what, short(kind), ', '.join(sorted(known))))
    for key in known[kind]:
        if key not in spec:
            fail('%s.%s' % (path, key), 'is required for %s' % kind)
    return kind


def _program_ref(spec: Doc, path: str, programs: Dict[int, Doc]) -> Doc:
    """The program a condition or effect names, and its optional subledger, checked."""
    program_id = integer(spec, 'programId', path, required=True)
    program = programs.get(program_id)
    if program is None:
        fail(path + '.programId', 'unknown loyalty program %r' % (program_id,))
    sub = string(spec, 'subledgerId', path)
    if sub and sub not in program.get('subledgers', []):
        fail(path + '.subledgerId', 'program %s has no subledger %r' % (program['id'], sub))
    return program


def _check_condition(condition: Doc, path: str, programs: Dict[int, Doc]) -> None:
    kind = _typed(condition, path, 'condition', CONDITION_TYPES)
    if 'op' in condition and condition['op'] not in OPERATORS:
        fail(path + '.op', 'must be one of %s' % ', '.join(OPERATORS))
    # Checked here so a mistake fails at start-up, not as a 500 when the rule runs.
    if kind in ('subtotal', 'loyaltyBalance'):
        number(condition, 'value', path, required=condition.get('op') != 'exists')
    if kind == 'cartItem':
        string(condition, 'sku', path)
        string(condition, 'category', path)
        integer(condition, 'minQuantity', path)
    if kind in ('profileAttribute', 'sessionAttribute', 'eventAttribute'):
        string(condition, 'name', path, required=True)
    if kind == 'eventType':
        string(condition, 'value', path, required=True)
    if kind == 'firstSession':
        need(condition, 'value', path, bool, required=False)
    if kind == 'audience':
        integer(condition, 'audienceId', path, required=True)
    if kind == 'loyaltyBalance':
        _program_ref(condition, path, programs)
    if kind == 'any':
        for index, inner in enumerate(objects(condition, 'conditions', path)):
            _check_condition(inner, '%s.conditions[%d]' % (path, index), programs)
    if kind == 'not':
        inner = need(condition, 'condition', path, dict)
        _check_condition(inner, path + '.condition', programs)


_EFFECT_STRINGS = ('name', 'sku', 'category', 'title', 'body', 'notificationType',
                   'additionalCost', 'webhookName', 'description', 'message', 'couponValue',
                   'tierName', 'extensionDuration', 'validityDuration')
# Effects that act on the code a condition of their own rule validated.
_NEEDS_CONDITION = {'redeemReferral': 'referralValid'}


def _check_effect(effect: Doc, path: str, refs: _Refs, conditions: Set[str]) -> None:
    """One rule effect; ``conditions`` are the condition types of its rule."""
    kind = _typed(effect, path, 'effect', EFFECT_TYPES)
    if kind in _AMOUNT_EFFECTS and ('value' in effect) == ('percent' in effect):
        fail(path, '%s needs exactly one of value, percent' % kind)
    if kind != 'updateAttribute':       # there ``value`` is the attribute's new value
        number(effect, 'value', path)
    number(effect, 'percent', path)
    for name in _EFFECT_STRINGS:
        string(effect, name, path)
    if kind == 'customEffect':
        integer(effect, 'effectId', path, required=True)
        optional_object(effect, 'payload', path)
    if kind in _PROGRAM_EFFECTS:
        _check_loyalty_effect(kind, effect, path, _program_ref(effect, path, refs.programs))
    if kind == 'awardGiveaway' and \
            integer(effect, 'poolId', path, required=True) not in refs.pools:
        fail(path + '.poolId', 'unknown giveaway pool %r' % (effect['poolId'],))
    if kind in _COST_EFFECT_SCOPES:
        _check_cost_ref(effect, path, refs.costs, _COST_EFFECT_SCOPES[kind])
    if kind == 'updateAttribute':
        target, _, name = effect['path'].partition('.') if isinstance(effect['path'], str) \
            else ('', '', '')
        if target not in ATTRIBUTE_TARGETS or not name:
            fail(path + '.path', 'must be profile.<attribute> or session.<attribute>, got %s'
                  % short(effect['path']))
    if kind in ('couponCreated', 'referralCreated'):
        pattern = string(effect, 'pattern', path)
        if pattern is not None and (len(pattern) < 4 or '#' not in pattern):
            fail(path + '.pattern', "must be 4+ characters with at least one '#'")
        integer(effect, 'usageLimit', path, low=0, high=999999)
        integer(effect, 'expiryDays', path, low=0, high=MAX_DAYS)
    if kind == 'reserveCoupon':
        if effect.get('couponValue') is not None:
            refs.named_coupons.append((path + '.couponValue', effect['couponValue']))
        elif 'couponValid' not in conditions:
            fail(path, 'reserveCoupon needs couponValue or a couponValid condition in its rule')
    if kind in _NEEDS_CONDITION and _NEEDS_CONDITION[kind] not in conditions:
        fail(path, '%s needs a %s condition in its rule' % (kind, _NEEDS_CONDITION[kind]))
    if kind == 'triggerWebhook':
        integer(effect, 'webhookId', path, required=True)
    if kind == 'showBundleMetadata':
        strings(effect, 'bundleAttributes', path)


def _check_loyalty_effect(kind: str, effect: Doc, path: str, program: Doc) -> None:
    """The 2026 loyalty fields of an effect on ``program``."""
    if kind == 'addLoyaltyPoints':
        awaits = need(effect, 'awaitsActivation', path, bool, required=False)
        if string(effect, 'validityDuration', path) is not None:
            if not awaits:
                fail(path + '.validityDuration', 'needs awaitsActivation: true (the points '
                     'stay valid this long from their activation)')
            _duration(effect, 'validityDuration', path)
    if kind == 'changeLoyaltyTierLevel':
        name = string(effect, 'tierName', path, required=True)
        known = [tier['name'] for tier in program.get('tiers', [])]
        if name not in known:
            fail(path + '.tierName', 'program %s has no tier %r (tiers: %s)'
                 % (program['id'], name, ', '.join(known) or 'none'))
        integer(effect, 'expiryDays', path, low=0, high=MAX_DAYS)
    if kind == 'extendLoyaltyPointsExpiryDate':
        _duration(effect, 'extensionDuration', path)
    if kind == 'setLoyaltyPointsExpiryDate':
        date(effect, 'newExpiryDate', path)
        integer(effect, 'expiryDays', path, low=0, high=MAX_DAYS)
        if ('newExpiryDate' in effect) == ('expiryDays' in effect):
            fail(path, 'setLoyaltyPointsExpiryDate needs exactly one of newExpiryDate, '
                 'expiryDays')


def _duration(effect: Doc, key: str, path: str) -> None:
    problem = durations.parse(effect[key])
    if problem is not None:
        fail('%s.%s' % (path, key), '%s, got %s' % (problem, short(effect[key])))


def _check_tiers(program: Doc, path: str) -> None:
    tiers = objects(program, 'tiers', path)
    for index, tier in enumerate(tiers):
        tier_path = '%s.tiers[%d]' % (path, index)
        if not string(tier, 'name', tier_path, required=True):
            fail(tier_path + '.name', 'must not be empty')
        number(tier, 'minPoints', tier_path, required=True)
        if tier['minPoints'] < 0:
            fail(tier_path + '.minPoints', 'must be >= 0, got %s' % short(tier['minPoints']))
        integer(tier, 'id', tier_path)
        if tier.get('downgradePolicy', 'one_down') not in TIER_DOWNGRADE_POLICIES:
            fail(tier_path + '.downgradePolicy',
                 'must be one of %s' % ', '.join(TIER_DOWNGRADE_POLICIES))
    unique(tiers, 'name', path + '.tiers')
    unique(tiers, 'minPoints', path + '.tiers')


def _check_cost_ref(effect: Doc, path: str, costs: Dict[str, Doc],
                    scopes: Tuple[str, ...]) -> None:
    cost = costs.get(effect['additionalCost'])
    if cost is None:
        fail(path + '.additionalCost', 'unknown additional cost %r (declare it in '
              'additionalCosts; known: %s)' % (effect['additionalCost'],
                                               ', '.join(sorted(costs)) or 'none'))
    if cost.get('type', 'both') not in scopes:
        fail(path + '.additionalCost', 'additional cost %r has type %s; this effect needs %s'
              % (cost['name'], cost.get('type', 'both'), ' or '.join(scopes)))


def _check_rule_coupons(named: List[Tuple[str, str]], coupon_values: Set[str],
                        case: str) -> None:
    for path, value in named:
        if code_key(case, value) not in coupon_values:
            fail(path, 'unknown coupon %r' % (value,))


def _check_codes(data: Doc, campaigns: Dict[int, Doc], case: str) -> Set[str]:
    """Coupons and referrals; the coupon values as the application stores them."""
    same = functools.partial(code_key, case)
    coupons = objects(data, 'coupons', '$')
    for index, coupon in enumerate(coupons):
        path = 'coupons[%d]' % index
        value = string(coupon, 'value', path, required=True)
        if len(value) < 4:
            fail(path + '.value', 'must be at least 4 characters')
        _campaign_ref(coupon, path, campaigns)
        integer(coupon, 'usageLimit', path, low=0)
        integer(coupon, 'reservationLimit', path, low=0)
        number(coupon, 'discountLimit', path)
        string(coupon, 'recipientIntegrationId', path)
        string(coupon, 'batchId', path)
        need(coupon, 'reservationRequired', path, bool, required=False)
        optional_object(coupon, 'attributes', path)
        strings(coupon, 'reservedBy', path, non_empty=True)
        for l_index, limit in enumerate(objects(coupon, 'limits', path)):
            limit_path = '%s.limits[%d]' % (path, l_index)
            string(limit, 'action', limit_path, required=True)
            integer(limit, 'limit', limit_path, required=True, low=0)
            strings(limit, 'entities', limit_path)
        date(coupon, 'startDate', path)
        date(coupon, 'expiryDate', path)
    coupon_values = unique(coupons, 'value', 'coupons', same)
    referrals = objects(data, 'referrals', '$')
    for index, referral in enumerate(referrals):
        path = 'referrals[%d]' % index
        string(referral, 'code', path, required=True)
        string(referral, 'advocateProfileIntegrationId', path, required=True)
        string(referral, 'friendProfileIntegrationId', path)
        _campaign_ref(referral, path, campaigns)
        integer(referral, 'usageLimit', path, low=0)
        optional_object(referral, 'attributes', path)
        date(referral, 'startDate', path)
        date(referral, 'expiryDate', path)
    unique(referrals, 'code', 'referrals', same)
    return coupon_values


def _campaign_ref(code: Doc, path: str, campaigns: Dict[int, Doc]) -> None:
    if integer(code, 'campaignId', path, required=True) not in campaigns:
        fail(path + '.campaignId', 'unknown campaign %r' % code['campaignId'])


def _check_cards(data: Doc, programs: Dict[int, Doc]) -> None:
    cards = objects(data, 'loyaltyCards', '$')
    for index, card in enumerate(cards):
        path = 'loyaltyCards[%d]' % index
        string(card, 'identifier', path, required=True)
        program = programs.get(integer(card, 'programId', path, required=True))
        if program is None or not program.get('cardBased'):
            fail(path + '.programId', 'must name a card-based loyalty program')
        string(card, 'status', path)
        string(card, 'batchId', path)
        integer(card, 'usersPerCardLimit', path, low=0)
        strings(card, 'profiles', path, non_empty=True)
    unique(cards, 'identifier', 'loyaltyCards')


def _check_transactions(data: Doc, programs: Dict[int, Doc]) -> None:
    for index, entry in enumerate(objects(data, 'loyaltyTransactions', '$')):
        path = 'loyaltyTransactions[%d]' % index
        program = programs.get(integer(entry, 'programId', path, required=True))
        if program is None:
            fail(path + '.programId', 'unknown loyalty program')
        owner = 'cardIdentifier' if program.get('cardBased') else 'profileId'
        string(entry, owner, path, required=True)
        number(entry, 'amount', path, required=True)
        string(entry, 'name', path)
        _program_ref(entry, path, programs)
        integer(entry, 'createdDaysAgo', path, low=0, high=MAX_DAYS)
        for key in ('created', 'startDate', 'expiryDate'):
            date(entry, key, path)
        string(entry, 'customerSessionId', path)
        if need(entry, 'awaitsActivation', path, bool, required=False) and \
                (entry['amount'] < 0 or 'startDate' in entry):
            fail(path + '.awaitsActivation', 'only points earned (amount >= 0) without a '
                 'startDate can await activation')
        if string(entry, 'validityDuration', path) is not None:
            if not entry.get('awaitsActivation'):
                fail(path + '.validityDuration', 'needs awaitsActivation: true')
            _duration(entry, 'validityDuration', path)


def _check_audiences(data: Doc) -> None:
    audiences = objects(data, 'audiences', '$')
    for index, audience in enumerate(audiences):
        path = 'audiences[%d]' % index
        integer(audience, 'id', path, required=True)
        for name in ('name', 'description', 'integration', 'integrationId'):
            string(audience, name, path)
        for name in ('sandbox', 'createdIn3rdParty'):
            need(audience, name, path, bool, required=False)
        strings(audience, 'members', path, non_empty=True)
    unique(audiences, 'id', 'audiences')


def _check_catalogs(data: Doc) -> None:
    catalogs = objects(data, 'catalogs', '$')
    for index, catalog in enumerate(catalogs):
        path = 'catalogs[%d]' % index
        integer(catalog, 'id', path, required=True)
        string(catalog, 'name', path)
        string(catalog, 'description', path)
        items = objects(catalog, 'items', path)
        for i_index, item in enumerate(items):
            item_path = '%s.items[%d]' % (path, i_index)
            if not string(item, 'sku', item_path, required=True):
                fail(item_path + '.sku', 'must not be empty')
            number(item, 'price', item_path)
            optional_object(item, 'attributes', item_path)
        unique(items, 'sku', path + '.items')
    unique(catalogs, 'id', 'catalogs')


def _check_people(data: Doc) -> None:
    profiles = objects(data, 'profiles', '$')
    for index, profile in enumerate(profiles):
        path = 'profiles[%d]' % index
        string(profile, 'integrationId', path, required=True)
        optional_object(profile, 'attributes', path)
    sessions = objects(data, 'sessions', '$')
    for index, session in enumerate(sessions):
        path = 'sessions[%d]' % index
        string(session, 'integrationId', path, required=True)
        if session.get('state', 'open') not in ('open', 'closed', 'cancelled'):
            fail(path + '.state', 'must be open, closed or cancelled')
        # Seeded sessions go through the session route's code: hold them to its schema.
        body = {k: v for k, v in session.items() if k not in ('integrationId', 'state')}
        try:
            schema.validate(schema.NEW_CUSTOMER_SESSION_V2, body)
        except SandboxError as exc:
            pointer = exc.pointer or ''
            rule = exc.message[len(pointer) + 2:] if exc.message.startswith(pointer + ': ') \
                else exc.message
            fail(path + _pointer_path(pointer), rule)
    unique(sessions, 'integrationId', 'sessions')


def _pointer_path(pointer: str) -> str:
    """``/cartItems/0/sku`` -> ``.cartItems[0].sku``."""
    out = ''
    for part in pointer.split('/')[1:]:
        part = part.replace('~1', '/').replace('~0', '~')
        out += '[%s]' % part if part.isdigit() else '.' + part
    return out
