"""Load and validate a world file (see WORLD.md for the format).

A world declares what the Management API would create: the application,
campaigns with rules, coupons, referrals, loyalty programs and cards,
audiences, catalogs, giveaway pools, and optionally profiles and sessions to
start with. Mistakes are reported early with the JSON path and the rule.
"""

import functools
import json
import math
import os

from talon_one.sandbox.world import schema
from talon_one.sandbox import timeutil
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.world.schema import MAX_MAGNITUDE
from talon_one.sandbox.timeutil import is_rfc3339

EXAMPLE_WORLD = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                             'example_world.json')

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
}
# Effects whose amount is either a fixed ``value`` or a ``percent`` of a base.
_AMOUNT_EFFECTS = ('setDiscount', 'setDiscountPerItem', 'addLoyaltyPoints',
                   'setDiscountPerAdditionalCost', 'setDiscountPerAdditionalCostPerItem')
# Additional-cost discounts and the cost types (AccountAdditionalCost.type) they work on.
_COST_EFFECT_SCOPES = {'setDiscountPerAdditionalCost': ('session', 'both'),
                       'setDiscountPerAdditionalCostPerItem': ('item', 'both')}
ATTRIBUTE_TARGETS = ('profile', 'session')     # updateAttribute paths: <target>.<attribute>
OPERATORS = ('==', '!=', '>', '>=', '<', '<=', 'contains', 'exists')
CASE_SENSITIVITIES = ('sensitive', 'insensitive-uppercase', 'insensitive-lowercase')
DEFAULT_CASE_SENSITIVITY = 'sensitive'
COST_TYPES = ('session', 'item', 'both')
DEFAULT_API_KEY = 'sandbox-api-key'
MAX_DAYS = 36500      # day counts (pending, expiry, history) stay within 100 years


class WorldError(ValueError):
    """The world file breaks a rule; the message names the path and the rule."""


def _fail(path, rule):
    raise WorldError('world file: %s: %s' % (path, rule))


def _need(mapping, key, path, kinds, required=True):
    value = mapping.get(key)
    if value is None:
        if required:
            _fail('%s.%s' % (path, key), 'is required')
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _as_tuple(kinds)):
        _fail('%s.%s' % (path, key), 'must be %s, got %s' % (_kind_name(kinds), _short(value)))
    return value


def _as_tuple(kinds):
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_name(kinds):
    return ' or '.join(k.__name__ for k in _as_tuple(kinds))


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + '...'


def _int(mapping, key, path, required=False, low=None, high=None):
    value = _need(mapping, key, path, int, required)
    if value is not None:
        _in_range(value, '%s.%s' % (path, key), low, high)
    return value


def _number(mapping, key, path, required=False):
    """A finite JSON number the engine can do arithmetic with."""
    value = _need(mapping, key, path, (int, float), required)
    if value is not None:
        _in_range(value, '%s.%s' % (path, key), -MAX_MAGNITUDE, MAX_MAGNITUDE)
    return value


def _in_range(value, path, low, high):
    if isinstance(value, float) and not math.isfinite(value):
        _fail(path, 'must be a finite number, got %s' % _short(value))
    if low is not None and value < low or high is not None and value > high:
        if high is None:
            _fail(path, 'must be >= %s, got %s' % (low, _short(value)))
        _fail(path, 'must be between %s and %s, got %s' % (low, high, _short(value)))


def _str(mapping, key, path, required=False):
    return _need(mapping, key, path, str, required)


def _object(mapping, key, path):
    return _need(mapping, key, path, dict, required=False)


def _strings(mapping, key, path, non_empty=False):
    """An optional list of strings."""
    return _items(mapping, key, path, str, non_empty)


def _items(mapping, key, path, kinds, non_empty=False):
    value = mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        _fail('%s.%s' % (path, key), 'must be a list, got %s' % _short(value))
    for index, item in enumerate(value):
        if not isinstance(item, kinds) or isinstance(item, bool) and bool not in _as_tuple(kinds):
            _fail('%s.%s[%d]' % (path, key, index),
                  'must be %s, got %s' % (_kind_name(kinds), _short(item)))
        if non_empty and not item:
            _fail('%s.%s[%d]' % (path, key, index), 'must not be empty')
    return value


def _list(mapping, key, path):
    """An optional list of objects."""
    value = mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        _fail('%s.%s' % (path, key), 'must be a list')
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            _fail('%s.%s[%d]' % (path, key, index), 'must be an object')
    return value


def _date(mapping, key, path):
    value = mapping.get(key)
    if value is not None and not is_rfc3339(value):
        _fail('%s.%s' % (path, key), 'must be an RFC 3339 date-time, got %s' % _short(value))


class World(object):
    """A validated world: plain dicts keyed by API names."""

    def __init__(self, data):
        self.data = data
        self.application = data['application']
        self.campaigns = {c['id']: c for c in data.get('campaigns', [])}
        self.programs = {p['id']: p for p in data.get('loyaltyPrograms', [])}
        self.created = timeutil.now()
        self.additional_costs = {c['name']: c for c in data.get('additionalCosts', [])}
        effects = [e for c in self.campaigns.values() for r in c.get('rules', [])
                   for e in r.get('effects', [])]
        kinds = set(e['type'] for e in effects)
        self.uses_giveaways = 'awardGiveaway' in kinds
        self.creates_referrals = 'referralCreated' in kinds
        # Coupons that rules reserve by name: their locks are taken with the evaluation.
        self.rule_coupon_values = sorted(set(self.code_key(e['couponValue']) for e in effects
                                             if e['type'] == 'reserveCoupon' and
                                             e.get('couponValue')))

    @property
    def case_sensitivity(self):
        return self.application.get('caseSensitivity', DEFAULT_CASE_SENSITIVITY)

    def code_key(self, code: str) -> str:
        """A coupon or referral code as this application stores and matches it."""
        return code_key(self.case_sensitivity, code)

    @property
    def api_key(self):
        return self.application.get('apiKey') or DEFAULT_API_KEY

    @property
    def application_id(self):
        return self.application.get('id', 1)

    @property
    def account_id(self):
        return self.application.get('accountId', 1)

    @property
    def application_key(self):
        return self.application.get('applicationKey')

    def section(self, name):
        return self.data.get(name, [])


def code_key(case_sensitivity: str, code: str) -> str:
    """``code`` under a ``caseSensitivity`` setting: as sent, upper- or lowercased."""
    if case_sensitivity == 'insensitive-uppercase':
        return code.upper()
    if case_sensitivity == 'insensitive-lowercase':
        return code.lower()
    return code


def load(path=None):
    """Read and validate a world file (the example world when ``path`` is None)."""
    path = path or EXAMPLE_WORLD
    try:
        with open(path, 'rb') as handle:
            data = json.loads(handle.read().decode('utf-8'))
    except OSError as exc:
        raise WorldError('world file: cannot read %s: %s' % (path, exc.strerror))
    except ValueError as exc:
        raise WorldError('world file: %s is not valid JSON: %s' % (path, exc))
    return from_dict(data)


def from_dict(data):
    if not isinstance(data, dict):
        _fail('$', 'must be an object')
    data = _drop_nulls(data)
    application = data.get('application')
    if not isinstance(application, dict):
        _fail('application', 'is required and must be an object')
    _int(application, 'id', 'application')
    _int(application, 'accountId', 'application')
    for name in ('name', 'currency', 'apiKey'):
        _str(application, name, 'application')
    key = _str(application, 'applicationKey', 'application')
    if key is not None:
        try:
            bytes.fromhex(key)
        except ValueError:
            _fail('application.applicationKey', 'must be hexadecimal')
    case = _str(application, 'caseSensitivity', 'application') or DEFAULT_CASE_SENSITIVITY
    if case not in CASE_SENSITIVITIES:
        _fail('application.caseSensitivity', 'must be one of %s' % ', '.join(CASE_SENSITIVITIES))
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
    return World(data)


_FREE_FORM = ('attributes', 'payload', 'value')     # user data: kept exactly as written


def _drop_nulls(value):
    """A copy in which a null field means the same as a missing one (its default)."""
    if isinstance(value, dict):
        return {key: item if key in _FREE_FORM else _drop_nulls(item)
                for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


def _unique_ids(items, key, path, same=lambda value: value):
    """Call after the type checks: the values are hashable then. ``same`` maps a value
    to what must be unique (a code under the application's case sensitivity)."""
    seen = set()
    for index, item in enumerate(items):
        value = item.get(key)
        if same(value) in seen:
            _fail('%s[%d].%s' % (path, index, key), 'duplicate %r' % (value,))
        seen.add(same(value))
    return seen


class _Refs(object):
    """What rules may refer to, for their checks; collects the coupons they name."""

    def __init__(self, programs, pools, costs):
        self.programs = programs
        self.pools = pools
        self.costs = costs
        self.named_coupons = []     # (path, value) of reserveCoupon effects


def _check_additional_costs(data):
    costs = _list(data, 'additionalCosts', '$')
    for index, cost in enumerate(costs):
        path = 'additionalCosts[%d]' % index
        _int(cost, 'id', path, required=True)
        if not _str(cost, 'name', path, required=True):
            _fail(path + '.name', 'must not be empty')
        _str(cost, 'title', path)
        _str(cost, 'description', path)
        if cost.get('type', 'both') not in COST_TYPES:
            _fail(path + '.type', 'must be one of %s' % ', '.join(COST_TYPES))
    _unique_ids(costs, 'id', 'additionalCosts')
    _unique_ids(costs, 'name', 'additionalCosts')
    return {c['name']: c for c in costs}


def _check_programs(data):
    programs = _list(data, 'loyaltyPrograms', '$')
    for index, program in enumerate(programs):
        path = 'loyaltyPrograms[%d]' % index
        _int(program, 'id', path, required=True)
        _str(program, 'name', path, required=True)
        _str(program, 'title', path)
        _need(program, 'cardBased', path, bool, required=False)
        # Day counts are added to dates: keep them within what a calendar can hold.
        for name in ('pendingDays', 'expiryDays'):
            _int(program, name, path, low=0, high=MAX_DAYS)
        _int(program, 'usersPerCardLimit', path, low=0)
        _strings(program, 'subledgers', path, non_empty=True)
    _unique_ids(programs, 'id', 'loyaltyPrograms')
    return {p['id']: p for p in programs}


def _check_pools(data):
    pools = _list(data, 'giveawayPools', '$')
    for index, pool in enumerate(pools):
        path = 'giveawayPools[%d]' % index
        _int(pool, 'id', path, required=True)
        _str(pool, 'name', path)
        _strings(pool, 'codes', path, non_empty=True)
    return _unique_ids(pools, 'id', 'giveawayPools')


def _check_campaigns(data, refs):
    campaigns = _list(data, 'campaigns', '$')
    for index, campaign in enumerate(campaigns):
        path = 'campaigns[%d]' % index
        _int(campaign, 'id', path, required=True)
        _str(campaign, 'name', path, required=True)
        _str(campaign, 'description', path)
        _object(campaign, 'attributes', path)
        _strings(campaign, 'tags', path)
        _strings(campaign, 'features', path)
        _list(campaign, 'limits', path)
        _items(campaign, 'campaignGroups', path, int)
        _int(campaign, 'activeRulesetId', path)
        state = campaign.get('state', 'enabled')
        if state not in ('enabled', 'disabled', 'archived'):
            _fail(path + '.state', 'must be enabled, disabled or archived')
        for name in ('created', 'startTime', 'endTime'):
            _date(campaign, name, path)
        for r_index, rule in enumerate(_list(campaign, 'rules', path)):
            rule_path = '%s.rules[%d]' % (path, r_index)
            _str(rule, 'title', rule_path, required=True)
            conditions = _list(rule, 'conditions', rule_path)
            for c_index, condition in enumerate(conditions):
                _check_condition(condition, '%s.conditions[%d]' % (rule_path, c_index),
                                 refs.programs)
            kinds = set(c['type'] for c in conditions)
            for e_index, effect in enumerate(_list(rule, 'effects', rule_path)):
                _check_effect(effect, '%s.effects[%d]' % (rule_path, e_index), refs, kinds)
    _unique_ids(campaigns, 'id', 'campaigns')
    return {c['id']: c for c in campaigns}


def _typed(spec, path, what, known):
    """``spec['type']`` after checking it is known and its required keys are there."""
    kind = spec.get('type')
    if not isinstance(kind, str) or kind not in known:
        _fail(path + '.type', 'unknown %s type %s (known: %s)'
              % (what, _short(kind), ', '.join(sorted(known))))
    for key in known[kind]:
        if key not in spec:
            _fail('%s.%s' % (path, key), 'is required for %s' % kind)
    return kind


def _program_ref(spec, path, programs):
    """The program a condition or effect names, and its optional subledger, checked."""
    program_id = _int(spec, 'programId', path, required=True)
    program = programs.get(program_id)
    if program is None:
        _fail(path + '.programId', 'unknown loyalty program %r' % (program_id,))
    sub = _str(spec, 'subledgerId', path)
    if sub and sub not in program.get('subledgers', []):
        _fail(path + '.subledgerId', 'program %s has no subledger %r' % (program['id'], sub))
    return program


def _check_condition(condition, path, programs):
    kind = _typed(condition, path, 'condition', CONDITION_TYPES)
    if 'op' in condition and condition['op'] not in OPERATORS:
        _fail(path + '.op', 'must be one of %s' % ', '.join(OPERATORS))
    # Checked here so a mistake fails at start-up, not as a 500 when the rule runs.
    if kind in ('subtotal', 'loyaltyBalance'):
        _number(condition, 'value', path, required=condition.get('op') != 'exists')
    if kind == 'cartItem':
        _str(condition, 'sku', path)
        _str(condition, 'category', path)
        _int(condition, 'minQuantity', path)
    if kind in ('profileAttribute', 'sessionAttribute', 'eventAttribute'):
        _str(condition, 'name', path, required=True)
    if kind == 'eventType':
        _str(condition, 'value', path, required=True)
    if kind == 'firstSession':
        _need(condition, 'value', path, bool, required=False)
    if kind == 'audience':
        _int(condition, 'audienceId', path, required=True)
    if kind == 'loyaltyBalance':
        _program_ref(condition, path, programs)
    if kind == 'any':
        for index, inner in enumerate(_list(condition, 'conditions', path)):
            _check_condition(inner, '%s.conditions[%d]' % (path, index), programs)
    if kind == 'not':
        inner = _need(condition, 'condition', path, dict)
        _check_condition(inner, path + '.condition', programs)


_EFFECT_STRINGS = ('name', 'sku', 'category', 'title', 'body', 'notificationType',
                   'additionalCost', 'webhookName', 'description', 'message', 'couponValue')
# Effects that act on the code a condition of their own rule validated.
_NEEDS_CONDITION = {'redeemReferral': 'referralValid'}


def _check_effect(effect, path, refs, conditions):
    """One rule effect; ``conditions`` are the condition types of its rule."""
    kind = _typed(effect, path, 'effect', EFFECT_TYPES)
    if kind in _AMOUNT_EFFECTS and ('value' in effect) == ('percent' in effect):
        _fail(path, '%s needs exactly one of value, percent' % kind)
    if kind != 'updateAttribute':       # there ``value`` is the attribute's new value
        _number(effect, 'value', path)
    _number(effect, 'percent', path)
    for name in _EFFECT_STRINGS:
        _str(effect, name, path)
    if kind == 'customEffect':
        _int(effect, 'effectId', path, required=True)
        _object(effect, 'payload', path)
    if kind in ('addLoyaltyPoints', 'deductLoyaltyPoints'):
        _program_ref(effect, path, refs.programs)
    if kind == 'awardGiveaway' and _int(effect, 'poolId', path, required=True) not in refs.pools:
        _fail(path + '.poolId', 'unknown giveaway pool %r' % (effect['poolId'],))
    if kind in _COST_EFFECT_SCOPES:
        _check_cost_ref(effect, path, refs.costs, _COST_EFFECT_SCOPES[kind])
    if kind == 'updateAttribute':
        target, _, name = effect['path'].partition('.') if isinstance(effect['path'], str) \
            else ('', '', '')
        if target not in ATTRIBUTE_TARGETS or not name:
            _fail(path + '.path', 'must be profile.<attribute> or session.<attribute>, got %s'
                  % _short(effect['path']))
    if kind in ('couponCreated', 'referralCreated'):
        pattern = _str(effect, 'pattern', path)
        if pattern is not None and (len(pattern) < 4 or '#' not in pattern):
            _fail(path + '.pattern', "must be 4+ characters with at least one '#'")
        _int(effect, 'usageLimit', path, low=0, high=999999)
        _int(effect, 'expiryDays', path, low=0, high=MAX_DAYS)
    if kind == 'reserveCoupon':
        if effect.get('couponValue') is not None:
            refs.named_coupons.append((path + '.couponValue', effect['couponValue']))
        elif 'couponValid' not in conditions:
            _fail(path, 'reserveCoupon needs couponValue or a couponValid condition in its rule')
    if kind in _NEEDS_CONDITION and _NEEDS_CONDITION[kind] not in conditions:
        _fail(path, '%s needs a %s condition in its rule' % (kind, _NEEDS_CONDITION[kind]))
    if kind == 'triggerWebhook':
        _int(effect, 'webhookId', path, required=True)
    if kind == 'showBundleMetadata':
        _strings(effect, 'bundleAttributes', path)


def _check_cost_ref(effect, path, costs, scopes):
    cost = costs.get(effect['additionalCost'])
    if cost is None:
        _fail(path + '.additionalCost', 'unknown additional cost %r (declare it in '
              'additionalCosts; known: %s)' % (effect['additionalCost'],
                                               ', '.join(sorted(costs)) or 'none'))
    if cost.get('type', 'both') not in scopes:
        _fail(path + '.additionalCost', 'additional cost %r has type %s; this effect needs %s'
              % (cost['name'], cost.get('type', 'both'), ' or '.join(scopes)))


def _check_rule_coupons(named, coupon_values, case):
    for path, value in named:
        if code_key(case, value) not in coupon_values:
            _fail(path, 'unknown coupon %r' % (value,))


def _check_codes(data, campaigns, case):
    """Coupons and referrals; the coupon values as the application stores them."""
    same = functools.partial(code_key, case)
    coupons = _list(data, 'coupons', '$')
    for index, coupon in enumerate(coupons):
        path = 'coupons[%d]' % index
        value = _str(coupon, 'value', path, required=True)
        if len(value) < 4:
            _fail(path + '.value', 'must be at least 4 characters')
        _campaign_ref(coupon, path, campaigns)
        _int(coupon, 'usageLimit', path, low=0)
        _int(coupon, 'reservationLimit', path, low=0)
        _number(coupon, 'discountLimit', path)
        _str(coupon, 'recipientIntegrationId', path)
        _str(coupon, 'batchId', path)
        _need(coupon, 'reservationRequired', path, bool, required=False)
        _object(coupon, 'attributes', path)
        _strings(coupon, 'reservedBy', path, non_empty=True)
        for l_index, limit in enumerate(_list(coupon, 'limits', path)):
            limit_path = '%s.limits[%d]' % (path, l_index)
            _str(limit, 'action', limit_path, required=True)
            _int(limit, 'limit', limit_path, required=True, low=0)
            _strings(limit, 'entities', limit_path)
        _date(coupon, 'startDate', path)
        _date(coupon, 'expiryDate', path)
    coupon_values = _unique_ids(coupons, 'value', 'coupons', same)
    referrals = _list(data, 'referrals', '$')
    for index, referral in enumerate(referrals):
        path = 'referrals[%d]' % index
        _str(referral, 'code', path, required=True)
        _str(referral, 'advocateProfileIntegrationId', path, required=True)
        _str(referral, 'friendProfileIntegrationId', path)
        _campaign_ref(referral, path, campaigns)
        _int(referral, 'usageLimit', path, low=0)
        _object(referral, 'attributes', path)
        _date(referral, 'startDate', path)
        _date(referral, 'expiryDate', path)
    _unique_ids(referrals, 'code', 'referrals', same)
    return coupon_values


def _campaign_ref(code, path, campaigns):
    if _int(code, 'campaignId', path, required=True) not in campaigns:
        _fail(path + '.campaignId', 'unknown campaign %r' % code['campaignId'])


def _check_cards(data, programs):
    cards = _list(data, 'loyaltyCards', '$')
    for index, card in enumerate(cards):
        path = 'loyaltyCards[%d]' % index
        _str(card, 'identifier', path, required=True)
        program = programs.get(_int(card, 'programId', path, required=True))
        if program is None or not program.get('cardBased'):
            _fail(path + '.programId', 'must name a card-based loyalty program')
        _str(card, 'status', path)
        _int(card, 'usersPerCardLimit', path, low=0)
        _strings(card, 'profiles', path, non_empty=True)
    _unique_ids(cards, 'identifier', 'loyaltyCards')


def _check_transactions(data, programs):
    for index, entry in enumerate(_list(data, 'loyaltyTransactions', '$')):
        path = 'loyaltyTransactions[%d]' % index
        program = programs.get(_int(entry, 'programId', path, required=True))
        if program is None:
            _fail(path + '.programId', 'unknown loyalty program')
        owner = 'cardIdentifier' if program.get('cardBased') else 'profileId'
        _str(entry, owner, path, required=True)
        _number(entry, 'amount', path, required=True)
        _str(entry, 'name', path)
        _program_ref(entry, path, programs)
        _int(entry, 'createdDaysAgo', path, low=0, high=MAX_DAYS)
        for key in ('created', 'startDate', 'expiryDate'):
            _date(entry, key, path)


def _check_audiences(data):
    audiences = _list(data, 'audiences', '$')
    for index, audience in enumerate(audiences):
        path = 'audiences[%d]' % index
        _int(audience, 'id', path, required=True)
        for name in ('name', 'description', 'integration', 'integrationId'):
            _str(audience, name, path)
        for name in ('sandbox', 'createdIn3rdParty'):
            _need(audience, name, path, bool, required=False)
        _strings(audience, 'members', path, non_empty=True)
    _unique_ids(audiences, 'id', 'audiences')


def _check_catalogs(data):
    catalogs = _list(data, 'catalogs', '$')
    for index, catalog in enumerate(catalogs):
        path = 'catalogs[%d]' % index
        _int(catalog, 'id', path, required=True)
        _str(catalog, 'name', path)
        _str(catalog, 'description', path)
        items = _list(catalog, 'items', path)
        for i_index, item in enumerate(items):
            item_path = '%s.items[%d]' % (path, i_index)
            if not _str(item, 'sku', item_path, required=True):
                _fail(item_path + '.sku', 'must not be empty')
            _number(item, 'price', item_path)
            _object(item, 'attributes', item_path)
        _unique_ids(items, 'sku', path + '.items')
    _unique_ids(catalogs, 'id', 'catalogs')


def _check_people(data):
    profiles = _list(data, 'profiles', '$')
    for index, profile in enumerate(profiles):
        path = 'profiles[%d]' % index
        _str(profile, 'integrationId', path, required=True)
        _object(profile, 'attributes', path)
    sessions = _list(data, 'sessions', '$')
    for index, session in enumerate(sessions):
        path = 'sessions[%d]' % index
        _str(session, 'integrationId', path, required=True)
        if session.get('state', 'open') not in ('open', 'closed', 'cancelled'):
            _fail(path + '.state', 'must be open, closed or cancelled')
        # Seeded sessions go through the session route's code: hold them to its schema.
        body = {k: v for k, v in session.items() if k not in ('integrationId', 'state')}
        try:
            schema.validate(schema.NEW_CUSTOMER_SESSION_V2, body)
        except SandboxError as exc:
            pointer = exc.pointer or ''
            rule = exc.message[len(pointer) + 2:] if exc.message.startswith(pointer + ': ') \
                else exc.message
            _fail(path + _pointer_path(pointer), rule)
    _unique_ids(sessions, 'integrationId', 'sessions')


def _pointer_path(pointer):
    """``/cartItems/0/sku`` -> ``.cartItems[0].sku``."""
    out = ''
    for part in pointer.split('/')[1:]:
        part = part.replace('~1', '/').replace('~0', '~')
        out += '[%s]' % part if part.isdigit() else '.' + part
    return out
