"""Request body schemas (by API name) and a small validator.

Written from the Integration API spec; deliberately independent of the SDK's
generated models so a mapping bug cannot be shared by client and server.
A failed check raises a 400 naming the JSON pointer of the offending field.
"""

import math
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from talon_one.sandbox.errors import SandboxError, bad_request
from talon_one.sandbox.timeutil import is_rfc3339


class Field(object):
    """One JSON value's rules."""

    def __init__(self, kind: str, items: Optional['Field'] = None,
                 props: Optional[Dict[str, 'Field']] = None, required: Sequence[str] = (),
                 values: Optional['Field'] = None, enum: Optional[Sequence[str]] = None,
                 minimum: Optional[float] = None, maximum: Optional[float] = None,
                 min_length: Optional[int] = None, max_length: Optional[int] = None,
                 min_items: Optional[int] = None, max_items: Optional[int] = None,
                 fmt: Optional[str] = None) -> None:
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


def s(**rules: Any) -> Field:
    return Field('string', **rules)


def i(**rules: Any) -> Field:
    return Field('integer', **rules)


def n(**rules: Any) -> Field:
    return Field('number', **rules)


def b() -> Field:
    return Field('boolean')


def obj(props: Optional[Dict[str, Field]] = None, required: Sequence[str] = (),
        values: Optional[Field] = None) -> Field:
    return Field('object', props=props, required=required, values=values)


def arr(items: Field, **rules: Any) -> Field:
    return Field('array', items=items, **rules)


def dt() -> Field:
    return Field('string', fmt='date-time')


_TYPE_OK: Dict[str, Callable[[Any], bool]] = {
    'any': lambda value: True,
    'string': lambda value: isinstance(value, str),
    'integer': lambda value: isinstance(value, int) and not isinstance(value, bool),
    'number': lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    'boolean': lambda value: isinstance(value, bool),
    'object': lambda value: isinstance(value, dict),
    'array': lambda value: isinstance(value, list),
}


# The API's numbers: integers are 64-bit (int64), numbers are finite doubles. Amounts are
# kept as the client sent them; only what no JSON number of those types can be is refused.
INT64_MIN, INT64_MAX = -2 ** 63, 2 ** 63 - 1


def _number_ok(value: float) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    try:
        return math.isfinite(float(value))     # an integer literal beyond a double: no
    except OverflowError:
        return False


def check_number(value: float, pointer: str) -> None:
    """A 400 naming ``pointer`` unless ``value`` is a finite double (NaN, Infinity and
    literals beyond the double range are refused)."""
    if not _number_ok(value):
        raise bad_request('%s: must be a finite number (a double), got %s'
                          % (pointer, _short(value)), pointer=pointer)


def check_integer(value: int, pointer: str) -> None:
    """A 400 naming ``pointer`` unless ``value`` fits a 64-bit signed integer."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise bad_request('%s: must be a 64-bit integer (between %d and %d), got %s'
                          % (pointer, INT64_MIN, INT64_MAX, _short(value)), pointer=pointer)


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:20] + '...(%d digits)' % len(text)


def _escape(name: Any) -> str:
    return str(name).replace('~', '~0').replace('/', '~1')


# Where a value sits: a JSON pointer string, or (parent, property name or array index). The
# pointer is only written out for an error: a valid body costs a tuple per value visited.
Path = Union[str, Tuple[Any, Union[str, int]]]


def _pointer(path: 'Path') -> str:
    names: List[Union[str, int]] = []
    while isinstance(path, tuple):
        path, name = path
        names.append(name)
    return path + ''.join('/' + (_escape(name) if type(name) is str else str(name))
                          for name in reversed(names))


def _fail(path: 'Path', message: str) -> SandboxError:
    pointer = _pointer(path)
    return bad_request('%s: %s' % (pointer, message), pointer=pointer)


def validate(field: Field, value: Any, pointer: str = '') -> None:
    """Check ``value`` against ``field``; raise a 400 at the first problem."""
    _check(field, value, pointer)


def _check(field: Field, value: Any, path: 'Path') -> None:
    if value is None:
        return
    kind = field.kind
    if not _TYPE_OK[kind](value):
        pointer = _pointer(path)
        raise bad_request('%s: must be of type %s' % (pointer or '/', kind), pointer=pointer)
    if field.enum is not None and value not in field.enum:
        raise _fail(path, 'must be one of %s, got %r' % (', '.join(field.enum), value))
    if kind == 'object':
        _check_object(field, value, path)
    elif kind == 'array':
        _check_range(path, len(value), field.min_items, field.max_items,
                     'must have at least {0} items', 'must have at most {0} items')
        items = field.items
        if items is not None:
            for index, item in enumerate(value):
                _check_member(items, item, (path, index))
    elif kind == 'string':
        _check_range(path, len(value), field.min_length, field.max_length,
                     'length must be >= {0}', 'length must be <= {0}')
        if field.fmt == 'date-time' and not is_rfc3339(value):
            raise _fail(path, 'must be an RFC 3339 date-time')
    elif kind == 'integer':
        if not INT64_MIN <= value <= INT64_MAX:
            check_integer(value, _pointer(path))
        _check_range(path, value, field.minimum, field.maximum,
                     'must be >= {0}, got {1}', 'must be <= {0}, got {1}')
    elif kind == 'number':
        if not _number_ok(value):
            check_number(value, _pointer(path))
        _check_range(path, value, field.minimum, field.maximum,
                     'must be >= {0}, got {1}', 'must be <= {0}, got {1}')


def _check_range(path: 'Path', measured: float, low: Optional[float], high: Optional[float],
                 too_low: str, too_high: str) -> None:
    """400 unless ``low <= measured <= high``; the messages get the bound and ``measured``."""
    if low is not None and measured < low:
        raise _fail(path, too_low.format(low, measured))
    if high is not None and measured > high:
        raise _fail(path, too_high.format(high, measured))


def _check_member(field: Field, item: Any, path: 'Path') -> None:
    """An array item or map value: unlike an optional property, it may not be null."""
    if item is None:
        raise _fail(path, 'must not be null')
    _check(field, item, path)


def _check_object(field: Field, value: Any, path: 'Path') -> None:
    for name in field.required:
        if value.get(name) is None:
            raise _fail((path, name), 'is required')
    if field.props:
        for name, rules in field.props.items():
            if name in value:
                _check(rules, value[name], (path, name))
    if field.values is not None:
        for name, item in value.items():
            _check_member(field.values, item, (path, name))


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
    'storeIntegrationId': s(min_length=1, max_length=1000),
    'experimentVariantAllocations': arr(obj()),
})
SESSION_RESPONSE_CONTENT = ('customerSession', 'customerProfile', 'coupons',
                            'triggeredCampaigns', 'referral', 'loyalty', 'event',
                            'awardedGiveaways', 'ruleFailureReasons', 'previousReturns',
                            'campaignEligibility', 'achievements')
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
    'return': obj({'returnedCartItems': arr(obj({'position': i(), 'quantity': i(),
                                                 'sku': s()}))},
                  required=('returnedCartItems',)),
    'responseContent': arr(s(enum=RETURN_RESPONSE_CONTENT)),
}, required=('return',))

PROFILE_RESPONSE_CONTENT = ('customerProfile', 'triggeredCampaigns', 'loyalty', 'event',
                            'awardedGiveaways', 'ruleFailureReasons', 'campaignEligibility',
                            'achievements')
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
    'storeIntegrationId': s(min_length=1, max_length=1000), 'loyaltyCards': arr(s()),
    'attributes': obj(), 'responseContent': arr(s(enum=PROFILE_RESPONSE_CONTENT)),
}, required=('type',))
NEW_EVENT = obj({'profileId': s(), 'type': s(min_length=1), 'attributes': obj(),
                 'sessionId': s(min_length=1),
                 'storeIntegrationId': s(min_length=1, max_length=1000)},
                required=('attributes', 'sessionId', 'type'))
EVENT_V3_CONTENT = ('customerProfile', 'triggeredCampaigns', 'loyalty', 'advancedEvent',
                    'awardedGiveaways', 'ruleFailureReasons', 'campaignEligibility',
                    'achievements')
EVENT_V3_REQUEST = obj({
    'profileId': s(min_length=1), 'storeIntegrationId': s(min_length=1, max_length=1000),
    'evaluableCampaignIds': arr(i()), 'integrationId': s(min_length=1, max_length=1000),
    'type': s(min_length=1), 'attributes': obj(), 'connectedSessionId': s(min_length=1),
    'previousEventID': s(), 'loyaltyCards': arr(s()),
    'responseContent': arr(s(enum=EVENT_V3_CONTENT)),
}, required=('integrationId', 'profileId', 'type'))
BEST_PRIOR_PRICE_REQUEST = obj({
    'skus': arr(s(min_length=1), min_items=1, max_items=1000), 'timeframeEndDate': dt(),
    'timeframe': s(min_length=1), 'timeframeEndDateType': s(enum=('strict', 'price', 'sale')),
    'target': obj({'targetType': s(enum=('NONE', 'AUDIENCE')), 'audienceID': i()},
                  required=('targetType',)),
}, required=('skus', 'timeframe', 'timeframeEndDate', 'timeframeEndDateType'))
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
