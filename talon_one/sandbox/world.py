"""Load and validate a world file (see WORLD.md for the format).

A world declares what the Management API would create: the application,
campaigns with rules, coupons, referrals, loyalty programs and cards,
audiences, catalogs, giveaway pools, and optionally profiles and sessions to
start with. Mistakes are reported early with the JSON path and the rule.
"""

import json
import os

from talon_one.sandbox import timeutil
from talon_one.sandbox.timeutil import is_rfc3339

EXAMPLE_WORLD = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'example_world.json')

CONDITION_TYPES = {
    'couponValid': (), 'referralValid': (), 'subtotal': ('op', 'value'),
    'cartItem': (), 'profileAttribute': ('name', 'op'), 'sessionAttribute': ('name', 'op'),
    'eventAttribute': ('name', 'op'), 'eventType': ('value',), 'audience': ('audienceId',),
    'loyaltyBalance': ('programId', 'op', 'value'), 'firstSession': (),
    'any': ('conditions',), 'not': ('condition',),
}
EFFECT_TYPES = {
    'setDiscount': ('name',), 'setDiscountPerItem': ('name',), 'addFreeItem': ('sku', 'name'),
    'addLoyaltyPoints': ('programId',), 'deductLoyaltyPoints': ('programId', 'value'),
    'showNotification': ('title', 'body'), 'customEffect': ('effectId', 'name'),
    'awardGiveaway': ('poolId',),
}
OPERATORS = ('==', '!=', '>', '>=', '<', '<=', 'contains', 'exists')
DEFAULT_API_KEY = 'sandbox-api-key'


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
        _fail('%s.%s' % (path, key), 'must be %s, got %r' % (_kind_name(kinds), value))
    return value


def _as_tuple(kinds):
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _kind_name(kinds):
    return ' or '.join(k.__name__ for k in _as_tuple(kinds))


def _list(mapping, key, path):
    value = mapping.get(key, [])
    if not isinstance(value, list):
        _fail('%s.%s' % (path, key), 'must be a list')
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            _fail('%s.%s[%d]' % (path, key, index), 'must be an object')
    return value


def _date(mapping, key, path):
    value = mapping.get(key)
    if value is not None and not is_rfc3339(value):
        _fail('%s.%s' % (path, key), 'must be an RFC 3339 date-time, got %r' % (value,))


class World(object):
    """A validated world: plain dicts keyed by API names."""

    def __init__(self, data):
        self.data = data
        self.application = data['application']
        self.campaigns = {c['id']: c for c in data.get('campaigns', [])}
        self.programs = {p['id']: p for p in data.get('loyaltyPrograms', [])}
        self.created = timeutil.now()
        self.uses_giveaways = any(e['type'] == 'awardGiveaway' for c in self.campaigns.values()
                                  for r in c.get('rules', []) for e in r.get('effects', []))

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
    application = data.get('application')
    if not isinstance(application, dict):
        _fail('application', 'is required and must be an object')
    _need(application, 'id', 'application', int, required=False)
    _need(application, 'currency', 'application', str, required=False)
    _need(application, 'apiKey', 'application', str, required=False)
    key = _need(application, 'applicationKey', 'application', str, required=False)
    if key is not None:
        try:
            bytes.fromhex(key)
        except ValueError:
            _fail('application.applicationKey', 'must be hexadecimal')
    programs = _check_programs(data)
    campaigns = _check_campaigns(data, programs)
    _check_codes(data, campaigns)
    _check_entities(data, programs)
    return World(data)


def _unique_ids(items, key, path):
    seen = set()
    for index, item in enumerate(items):
        value = item.get(key)
        if value in seen:
            _fail('%s[%d].%s' % (path, index, key), 'duplicate %r' % (value,))
        seen.add(value)
    return seen


def _check_programs(data):
    programs = _list(data, 'loyaltyPrograms', '$')
    for index, program in enumerate(programs):
        path = 'loyaltyPrograms[%d]' % index
        _need(program, 'id', path, int)
        _need(program, 'name', path, str)
        _need(program, 'cardBased', path, bool, required=False)
        for name in ('pendingDays', 'expiryDays', 'usersPerCardLimit'):
            value = _need(program, name, path, int, required=False)
            if value is not None and value < 0:
                _fail('%s.%s' % (path, name), 'must be >= 0')
        subledgers = program.get('subledgers', [])
        if not isinstance(subledgers, list) or \
                not all(isinstance(x, str) and x for x in subledgers):
            _fail(path + '.subledgers', 'must be a list of non-empty strings')
    _unique_ids(programs, 'id', 'loyaltyPrograms')
    return {p['id']: p for p in programs}


def _check_campaigns(data, programs):
    campaigns = _list(data, 'campaigns', '$')
    _unique_ids(campaigns, 'id', 'campaigns')
    pools = {p.get('id') for p in data.get('giveawayPools', []) if isinstance(p, dict)}
    for index, campaign in enumerate(campaigns):
        path = 'campaigns[%d]' % index
        _need(campaign, 'id', path, int)
        _need(campaign, 'name', path, str)
        state = campaign.get('state', 'enabled')
        if state not in ('enabled', 'disabled', 'archived'):
            _fail(path + '.state', 'must be enabled, disabled or archived')
        _date(campaign, 'startTime', path)
        _date(campaign, 'endTime', path)
        for r_index, rule in enumerate(_list(campaign, 'rules', path)):
            rule_path = '%s.rules[%d]' % (path, r_index)
            _need(rule, 'title', rule_path, str)
            for c_index, condition in enumerate(_list(rule, 'conditions', rule_path)):
                _check_condition(condition, '%s.conditions[%d]' % (rule_path, c_index),
                                 programs)
            for e_index, effect in enumerate(_list(rule, 'effects', rule_path)):
                _check_effect(effect, '%s.effects[%d]' % (rule_path, e_index), programs, pools)
    return {c['id']: c for c in campaigns}


def _typed(spec, path, what, known):
    """``spec['type']`` after checking it is known and its required keys are there."""
    kind = spec.get('type')
    if kind not in known:
        _fail(path + '.type', 'unknown %s type %r (known: %s)'
              % (what, kind, ', '.join(sorted(known))))
    for key in known[kind]:
        if key not in spec:
            _fail('%s.%s' % (path, key), 'is required for %s' % kind)
    return kind


def _check_condition(condition, path, programs):
    kind = _typed(condition, path, 'condition', CONDITION_TYPES)
    if 'op' in condition and condition['op'] not in OPERATORS:
        _fail(path + '.op', 'must be one of %s' % ', '.join(OPERATORS))
    # Checked here so a mistake fails at start-up, not as a 500 when the rule runs.
    if kind == 'cartItem':
        _need(condition, 'minQuantity', path, int, required=False)
    if kind == 'loyaltyBalance' and condition['programId'] not in programs:
        _fail(path + '.programId', 'unknown loyalty program %r' % (condition['programId'],))
    if kind == 'any':
        for index, inner in enumerate(_list(condition, 'conditions', path)):
            _check_condition(inner, '%s.conditions[%d]' % (path, index), programs)
    if kind == 'not':
        inner = _need(condition, 'condition', path, dict)
        _check_condition(inner, path + '.condition', programs)


def _check_effect(effect, path, programs, pools):
    kind = _typed(effect, path, 'effect', EFFECT_TYPES)
    if kind in ('setDiscount', 'setDiscountPerItem', 'addLoyaltyPoints'):
        if ('value' in effect) == ('percent' in effect):
            _fail(path, '%s needs exactly one of value, percent' % kind)
    for amount in ('value', 'percent'):
        _need(effect, amount, path, (int, float), required=False)
    if kind in ('addLoyaltyPoints', 'deductLoyaltyPoints'):
        program = programs.get(effect['programId'])
        if program is None:
            _fail(path + '.programId', 'unknown loyalty program %r' % (effect['programId'],))
        sub = effect.get('subledgerId', '')
        if sub and sub not in program.get('subledgers', []):
            _fail(path + '.subledgerId', 'program %s has no subledger %r' % (program['id'], sub))
    if kind == 'awardGiveaway' and effect['poolId'] not in pools:
        _fail(path + '.poolId', 'unknown giveaway pool %r' % (effect['poolId'],))


def _check_codes(data, campaigns):
    coupons = _list(data, 'coupons', '$')
    _unique_ids(coupons, 'value', 'coupons')
    for index, coupon in enumerate(coupons):
        path = 'coupons[%d]' % index
        value = _need(coupon, 'value', path, str)
        if len(value) < 4:
            _fail(path + '.value', 'must be at least 4 characters')
        if _need(coupon, 'campaignId', path, int) not in campaigns:
            _fail(path + '.campaignId', 'unknown campaign %r' % coupon['campaignId'])
        _need(coupon, 'usageLimit', path, int, required=False)
        _date(coupon, 'startDate', path)
        _date(coupon, 'expiryDate', path)
    referrals = _list(data, 'referrals', '$')
    _unique_ids(referrals, 'code', 'referrals')
    for index, referral in enumerate(referrals):
        path = 'referrals[%d]' % index
        _need(referral, 'code', path, str)
        _need(referral, 'advocateProfileIntegrationId', path, str)
        if _need(referral, 'campaignId', path, int) not in campaigns:
            _fail(path + '.campaignId', 'unknown campaign %r' % referral['campaignId'])
        _date(referral, 'startDate', path)
        _date(referral, 'expiryDate', path)


def _check_entities(data, programs):
    for index, card in enumerate(_list(data, 'loyaltyCards', '$')):
        path = 'loyaltyCards[%d]' % index
        _need(card, 'identifier', path, str)
        program = programs.get(_need(card, 'programId', path, int))
        if program is None or not program.get('cardBased'):
            _fail(path + '.programId', 'must name a card-based loyalty program')
    for name in ('audiences', 'catalogs', 'giveawayPools'):
        items = _list(data, name, '$')
        _unique_ids(items, 'id', name)
        for index, item in enumerate(items):
            _need(item, 'id', '%s[%d]' % (name, index), int)
    for index, profile in enumerate(_list(data, 'profiles', '$')):
        _need(profile, 'integrationId', 'profiles[%d]' % index, str)
    for index, session in enumerate(_list(data, 'sessions', '$')):
        path = 'sessions[%d]' % index
        _need(session, 'integrationId', path, str)
        if session.get('state', 'open') not in ('open', 'closed', 'cancelled'):
            _fail(path + '.state', 'must be open, closed or cancelled')
    for index, entry in enumerate(_list(data, 'loyaltyTransactions', '$')):
        path = 'loyaltyTransactions[%d]' % index
        program = programs.get(_need(entry, 'programId', path, int))
        if program is None:
            _fail(path + '.programId', 'unknown loyalty program')
        owner = 'cardIdentifier' if program.get('cardBased') else 'profileId'
        _need(entry, owner, path, str)
        _need(entry, 'amount', path, (int, float))
        for key in ('created', 'startDate', 'expiryDate'):
            _date(entry, key, path)
