"""Short descriptions in our own words (the spec's prose is not copied).

Used by the method docstrings and the Markdown reference.
"""

# Parameter API name -> what it means.
PARAMETERS = {
    'audienceId': 'ID of the audience.',
    'catalogId': 'ID of the cart item catalog.',
    'couponValue': 'The coupon code.',
    'coupons': 'Include the coupons of the profile.',
    'customerSessionId': 'Your identifier of the customer session.',
    'dry': 'Evaluate the request without saving anything (dry run).',
    'endDate': 'Only take entries created before this moment into account.',
    'giveaways': 'Include the giveaways of the profile.',
    'integrationId': 'Your identifier of the customer profile.',
    'loyalty': 'Include the loyalty data of the profile.',
    'loyaltyCardId': 'Identifier of the loyalty card.',
    'loyaltyProgramId': 'ID of the loyalty program.',
    'pageSize': 'Maximum number of items in the response.',
    'profile': 'Include the customer profile itself.',
    'referrals': 'Include the referrals of the profile.',
    'runRuleEngine': 'Run the rules of the campaigns for this update (effects in the response).',
    'silent': "'yes' answers 204 without a body (faster); 'no' returns the result.",
    'skip': 'Number of items to skip (paging).',
    'startDate': 'Only take entries created at or after this moment into account.',
    'subledgerId': 'Only take this subledger into account.',
}

BODY = 'The request body.'

# Meaning of an HTTP status in one short phrase.
STATUSES = {
    200: 'Success.',
    201: 'Created.',
    204: 'Success; no response body.',
    400: 'The request is invalid (body or parameters).',
    401: 'The API key (or the request signature) is missing or wrong.',
    404: 'A referenced object does not exist.',
    409: 'Conflict with the current state (a duplicate, or a parallel request on the same data).',
}

# Deprecated operation -> what to use instead.
REPLACEMENTS = {
    'getReservedCoupons': 'get_customer_inventory(integration_id, coupons=True)',
    'trackEvent': 'track_event_v2',
    'updateCustomerProfile': 'update_customer_profile_v2',
    'updateCustomerSession': 'update_customer_session_v2',
}

AUTH = {
    'api_key_v1': 'API key (`Authorization: ApiKey-v1 <key>`)',
    'integration_auth': 'request signature (`Content-Signature`, HMAC-MD5 of the body)',
}

REFERENCE = 'https://docs.talon.one/integration-api#operation/%s'


def parameter(param):
    if param.location == 'body':
        return BODY
    return PARAMETERS.get(param.api_name, '')


def rules(limits):
    """The rules of a value in words: ``'1 to 1000'``, ``'at most 108 characters'``..."""
    parts = []
    if 'enum' in limits:
        parts.append('one of %s' % ', '.join('`%s`' % value for value in limits['enum']))
    low, high = limits.get('min_length'), limits.get('max_length')
    if low is not None and high is not None:
        parts.append('%d to %d characters' % (low, high))
    elif low is not None:
        parts.append('at least %d character%s' % (low, '' if low == 1 else 's'))
    elif high is not None:
        parts.append('at most %d characters' % high)
    if 'pattern' in limits:
        parts.append('matches `%s`' % limits['pattern'])
    low, high = limits.get('minimum'), limits.get('maximum')
    low_op = '>' if limits.get('exclusive_minimum') else '>='
    high_op = '<' if limits.get('exclusive_maximum') else '<='
    if low is not None and high is not None and low_op == '>=' and high_op == '<=':
        parts.append('%s to %s' % (low, high))
    else:
        if low is not None:
            parts.append('%s %s' % (low_op, low))
        if high is not None:
            parts.append('%s %s' % (high_op, high))
    low, high = limits.get('min_items'), limits.get('max_items')
    if low is not None and high is not None:
        parts.append('%d to %d items' % (low, high))
    elif low is not None:
        parts.append('at least %d item%s' % (low, '' if low == 1 else 's'))
    elif high is not None:
        parts.append('at most %d item%s' % (high, '' if high == 1 else 's'))
    if 'items' in limits:
        parts.append('each item %s' % rules(limits['items']))
    return '; '.join(parts)
