"""Request body schemas (by API name) and a small validator.

Written from the Integration API spec; deliberately independent of the SDK's
generated models so a mapping bug cannot be shared by client and server.
A failed check raises a 400 naming the JSON pointer of the offending field.
"""

import math

from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.timeutil import is_rfc3339


class Field(object):
    """One JSON value's rules."""

    def __init__(self, kind, items=None, props=None, required=(), values=None,
                 enum=None, minimum=None, maximum=None, min_length=None,
                 max_length=None, min_items=None, max_items=None, fmt=None):
        self.kind = kind            # string integer number boolean object array any
        self.items = items          # Field of array items
        self.props = props          # dict API name -> Field (object)
        self.required = tuple(required)
        self.values = values        # Field of additionalProperties values
        self.enum = enum
        self.minimum = minimum
        self.maximum = maximum
        self.min_length = min_length
        self.max_length = max_length
        self.min_items = min_items
        self.max_items = max_items
        self.fmt = fmt


def s(**rules):
    return Field('string', **rules)


def i(**rules):
    return Field('integer', **rules)


def n(**rules):
    return Field('number', **rules)


def b():
    return Field('boolean')


def obj(props=None, required=(), values=None):
    return Field('object', props=props, required=required, values=values)


def arr(items, **rules):
    return Field('array', items=items, **rules)


def dt():
    return Field('string', fmt='date-time')


def _type_ok(kind, value):
    if kind == 'any':
        return True
    if kind == 'string':
        return isinstance(value, str)
    if kind == 'integer':
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == 'number':
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == 'boolean':
        return isinstance(value, bool)
    if kind == 'object':
        return isinstance(value, dict)
    if kind == 'array':
        return isinstance(value, list)
    raise AssertionError(kind)


MAX_MAGNITUDE = 1e15    # amounts and counts beyond this are nonsense and break arithmetic


def check_number(value, pointer):
    """A 400 naming ``pointer`` unless ``value`` is finite and within +-MAX_MAGNITUDE."""
    if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise bad_request('%s: must be a finite number between -%g and %g, got %s'
                          % (pointer, MAX_MAGNITUDE, MAX_MAGNITUDE, _short(value)),
                          pointer=pointer)


def _short(value):
    text = str(value)
    return text if len(text) <= 40 else text[:20] + '...(%d digits)' % len(text)


def _escape(name):
    return str(name).replace('~', '~0').replace('/', '~1')


def validate(field, value, pointer=''):
    """Check ``value`` against ``field``; raise a 400 at the first problem."""
    if value is None:
        return
    if not _type_ok(field.kind, value):
        raise bad_request('%s: must be of type %s' % (pointer or '/', field.kind),
                          pointer=pointer)
    if field.enum is not None and value not in field.enum:
        raise bad_request('%s: must be one of %s, got %r' % (pointer, ', '.join(field.enum), value),
                          pointer=pointer)
    if field.kind == 'string':
        _check_range(pointer, len(value), field.min_length, field.max_length,
                     'length must be >= {0}', 'length must be <= {0}')
        if field.fmt == 'date-time' and not is_rfc3339(value):
            raise bad_request('%s: must be an RFC 3339 date-time' % pointer, pointer=pointer)
    elif field.kind in ('integer', 'number'):
        check_number(value, pointer)
        _check_range(pointer, value, field.minimum, field.maximum,
                     'must be >= {0}, got {1}', 'must be <= {0}, got {1}')
    elif field.kind == 'array':
        _check_range(pointer, len(value), field.min_items, field.max_items,
                     'must have at least {0} items', 'must have at most {0} items')
        if field.items is not None:
            for index, item in enumerate(value):
                _validate_member(field.items, item, '%s/%d' % (pointer, index))
    elif field.kind == 'object':
        _validate_object(field, value, pointer)


def _check_range(pointer, measured, low, high, too_low, too_high):
    """400 unless ``low <= measured <= high``; the messages get the bound and ``measured``."""
    if low is not None and measured < low:
        raise bad_request('%s: %s' % (pointer, too_low.format(low, measured)), pointer=pointer)
    if high is not None and measured > high:
        raise bad_request('%s: %s' % (pointer, too_high.format(high, measured)), pointer=pointer)


def _validate_member(field, item, pointer):
    """An array item or map value: unlike an optional property, it may not be null."""
    if item is None:
        raise bad_request('%s: must not be null' % pointer, pointer=pointer)
    validate(field, item, pointer)


def _validate_object(field, value, pointer):
    for name in field.required:
        if value.get(name) is None:
            child = '%s/%s' % (pointer, _escape(name))
            raise bad_request('%s: is required' % child, pointer=child)
    for name, rules in (field.props or {}).items():
        if name in value:
            validate(rules, value[name], '%s/%s' % (pointer, _escape(name)))
    if field.values is not None:
        for name, item in value.items():
            _validate_member(field.values, item, '%s/%s' % (pointer, _escape(name)))


ADDITIONAL_COST = obj({'price': n()}, required=('price',))
CART_ITEM = obj({
    'name': s(), 'sku': s(min_length=1), 'quantity': i(minimum=1),
    'returnedQuantity': i(), 'remainingQuantity': i(), 'price': n(), 'category': s(),
    'weight': n(), 'height': n(), 'width': n(), 'length': n(), 'position': n(),
    'attributes': obj(), 'additionalCosts': obj(values=ADDITIONAL_COST),
    'catalogItemID': i(),
}, required=('sku', 'quantity'))
SESSION_STATES = ('open', 'closed', 'partially_returned', 'cancelled')

NEW_CUSTOMER_SESSION_V2 = obj({
    'profileId': s(), 'evaluableCampaignIds': arr(i()),
    'couponCodes': arr(s(max_length=100)), 'referralCode': s(max_length=100),
    'loyaltyCards': arr(s(), max_items=1), 'state': s(enum=SESSION_STATES),
    'cartItems': arr(CART_ITEM), 'additionalCosts': obj(values=ADDITIONAL_COST),
    'identifiers': arr(s(), max_items=5), 'attributes': obj(),
})
SESSION_RESPONSE_CONTENT = ('customerSession', 'customerProfile', 'coupons',
                            'triggeredCampaigns', 'referral', 'loyalty', 'event',
                            'awardedGiveaways', 'ruleFailureReasons', 'previousReturns')
INTEGRATION_REQUEST = obj({
    'customerSession': NEW_CUSTOMER_SESSION_V2,
    'responseContent': arr(s(enum=SESSION_RESPONSE_CONTENT)),
}, required=('customerSession',))

NEW_CUSTOMER_SESSION = obj({
    'profileId': s(), 'coupon': s(max_length=100), 'referral': s(max_length=100),
    'state': s(enum=SESSION_STATES), 'cartItems': arr(CART_ITEM),
    'identifiers': arr(s(), max_items=5), 'total': n(), 'attributes': obj(),
})

RETURN_RESPONSE_CONTENT = ('customerSession', 'customerProfile', 'coupons',
                           'triggeredCampaigns', 'referral', 'loyalty', 'event',
                           'previousReturns')
RETURN_INTEGRATION_REQUEST = obj({
    'return': obj({'returnedCartItems': arr(obj({'position': i(), 'quantity': i()},
                                                required=('position',)))},
                  required=('returnedCartItems',)),
    'responseContent': arr(s(enum=RETURN_RESPONSE_CONTENT)),
}, required=('return',))

PROFILE_RESPONSE_CONTENT = ('customerProfile', 'triggeredCampaigns', 'loyalty', 'event',
                            'awardedGiveaways', 'ruleFailureReasons')
CUSTOMER_PROFILE_REQUEST_V2 = obj({
    'attributes': obj(), 'evaluableCampaignIds': arr(i()),
    'audiencesChanges': obj({'adds': arr(i()), 'deletes': arr(i())},
                            required=('adds', 'deletes')),
    'responseContent': arr(s(enum=PROFILE_RESPONSE_CONTENT)),
})
NEW_CUSTOMER_PROFILE = obj({'attributes': obj()})
MULTIPLE_PROFILES_REQUEST = obj({
    'customerProfiles': arr(obj({'attributes': obj(), 'integrationId': s(max_length=1000)},
                                required=('integrationId',)), max_items=1000),
})
EVENT_V2_REQUEST = obj({
    'profileId': s(), 'evaluableCampaignIds': arr(i()), 'type': s(min_length=1),
    'attributes': obj(), 'responseContent': arr(s(enum=PROFILE_RESPONSE_CONTENT)),
}, required=('type',))
NEW_EVENT = obj({'profileId': s(), 'type': s(min_length=1), 'attributes': obj(),
                 'sessionId': s(min_length=1)},
                required=('attributes', 'sessionId', 'type'))
COUPON_RESERVATIONS = obj({'integrationIDs': arr(s(), max_items=1000)},
                          required=('integrationIDs',))
NEW_REFERRAL = obj({
    'startDate': dt(), 'expiryDate': dt(), 'usageLimit': i(minimum=0, maximum=999999),
    'campaignId': i(), 'advocateProfileIntegrationId': s(max_length=1000),
    'friendProfileIntegrationId': s(), 'attributes': obj(),
}, required=('advocateProfileIntegrationId', 'campaignId'))
NEW_REFERRALS_MULTIPLE = obj({
    'startDate': dt(), 'expiryDate': dt(), 'usageLimit': i(minimum=0, maximum=999999),
    'campaignId': i(), 'advocateProfileIntegrationIds': arr(s(), min_items=1, max_items=1000),
    'attributes': obj(), 'validCharacters': arr(s()),
    'referralPattern': s(min_length=3, max_length=100),
}, required=('advocateProfileIntegrationIds', 'campaignId', 'usageLimit'))
NEW_AUDIENCE = obj({
    'name': s(min_length=1), 'sandbox': b(), 'description': s(), 'integration': s(),
    'integrationId': s(min_length=1, max_length=1000), 'createdIn3rdParty': b(),
    'lastUpdate': dt(),
}, required=('name',))
UPDATE_AUDIENCE = obj({'name': s(min_length=1)}, required=('name',))
PROFILE_AUDIENCE_REQUEST = obj({
    'data': arr(obj({'action': s(enum=('add', 'delete')),
                     'profileIntegrationId': s(max_length=1000), 'audienceId': i()},
                    required=('action', 'audienceId', 'profileIntegrationId'))),
})
CATALOG_ACTION_TYPES = ('ADD', 'PATCH', 'PATCH_MANY', 'REMOVE', 'REMOVE_MANY')
CATALOG_SYNC_REQUEST = obj({
    'actions': arr(obj({'type': s(enum=CATALOG_ACTION_TYPES), 'payload': obj()},
                       required=('payload', 'type')), min_items=1, max_items=1000),
    'version': i(minimum=1),
}, required=('actions',))
LOYALTY_CARD_REGISTRATION = obj({'integrationId': s()}, required=('integrationId',))
