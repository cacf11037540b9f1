"""Example values for the runnable examples in docs/IntegrationApi.md.

Path parameters use the identifiers of the table in docs/design.md (the
sandbox's example world contains them). Request bodies are built from the
examples of generator/request_examples.yaml (else the spec's schema examples),
with values that are not valid for their type or rules dropped, identical list
items collapsed, and a few spec values swapped for identifiers of the example
world.
"""

import functools
import os
import re

import yaml

from generator import pyfmt, typestrings

_REQUEST_EXAMPLES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                      'request_examples.yaml')

# Path parameter API name -> example value.
PATH_VALUES = {
    'audienceId': 748,
    'catalogId': 6,
    'couponValue': 'XMAS-20-2021',
    'customerSessionId': '175KJPS947296',
    'integrationId': 'URNGV8294NV',
    'loyaltyCardId': 'summer-loyalty-card-0543',
    'loyaltyProgramId': 125,
    'achievementId': 3,
}

# Per operation: path values that differ from PATH_VALUES.
OPERATION_PATH_VALUES = {
    'getLoyaltyCardBalances': {'loyaltyProgramId': 324},
    'getLoyaltyCardTransactions': {'loyaltyProgramId': 324},
    'linkLoyaltyCardToProfile': {'loyaltyProgramId': 324},
    'getLoyaltyCardPoints': {'loyaltyProgramId': 324},
    'generateLoyaltyCard': {'loyaltyProgramId': 324},
    'unlinkLoyaltyCardFromProfile': {'loyaltyProgramId': 324},
    'joinLoyaltyProgram': {'integrationId': 'DRPVV9476AF'},
    'getEventV3': {'integrationId': 'ADV-EVENT-1'},
    # Reopening and returning need a closed session with cart items.
    'reopenCustomerSession': {'customerSessionId': 'CLOSED-SESSION-1'},
    'returnCartItems': {'customerSessionId': 'CLOSED-SESSION-1'},
}

# Per operation: the request body, where the schema's example does not fit the operation.
OPERATION_BODIES = {
    # Unlink the profile the example world links to the card (linking uses another one).
    'unlinkLoyaltyCardFromProfile': {'integrationId': 'URNGV8294NV'},
}

# Per operation: optional (query) parameters shown in the example, by API name.
QUERY_VALUES = {
    'createReferralsForMultipleAdvocates': {'silent': 'no'},
    'getCustomerInventory': {'profile': True, 'referrals': True, 'coupons': True,
                             'loyalty': True, 'giveaways': True},
    'getLoyaltyCardTransactions': {'pageSize': 10},
    'getLoyaltyProgramProfileTransactions': {'subledgerId': 'sub-123', 'pageSize': 10},
    'trackEventV2': {'silent': 'no'},
    'trackEventV3': {'silent': 'no'},
    'updateCustomerProfileV2': {'runRuleEngine': True},
    'updateCustomerProfilesV2': {'silent': 'no'},
}

# Spec example strings replaced by the example world's identifiers.
SUBSTITUTIONS = {
    '2740-tbjua-6720': 'NT2K54D9',
    'XMAS-2021': 'XMAS-20-2021',
    'loyalty-card-1': 'summer-loyalty-card-0543',
}

OMIT = object()

# (schema name, property API name) -> value used instead of the spec's example.
PROPERTY_OVERRIDES = {
    # The spec's example is the string '{}'; an ADD action needs an item.
    ('CatalogAction', 'payload'): {'sku': 'SKU1241028', 'price': 99.99, 'replaceIfExists': True},
    # The version must match the catalog's current one; leave it out.
    ('CatalogSyncRequest', 'version'): OMIT,
}

_DATETIME = re.compile(
    r'(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$')
_DATE = re.compile(r'(\d{4})-(\d\d)-(\d\d)$')
_LOOKS_LIKE_DATETIME = re.compile(r'\d{4}-\d\d-\d\d[T ]\d')


class Invalid(Exception):
    """An example value that does not fit its type or rules."""


def path_value(op, param):
    return OPERATION_PATH_VALUES.get(op.operation_id, {}).get(param.api_name,
                                                              PATH_VALUES[param.api_name])


def query_values(op):
    """``[(param, value)]`` of the optional parameters the example passes."""
    chosen = QUERY_VALUES.get(op.operation_id, {})
    return [(param, chosen[param.api_name]) for param in op.optional if param.api_name in chosen]


def body_source(spec, param, op=None):
    """A ``pyfmt`` value building the request body of an operation."""
    kind, name = typestrings.split(param.type_string)
    if kind == 'model':
        body = OPERATION_BODIES.get(op.operation_id) if op is not None else None
        return model_source(spec, spec.model(name), body)
    # A free-form body (e.g. AttributeQuery): the example of the schema it points at.
    name = typestrings.ref_name(param.schema)
    schema = spec.schemas[name] if name else param.schema
    return value_source(spec, param.type_string, schema.get('example'), {})


@functools.lru_cache(maxsize=None)
def request_examples():
    """Schema name -> example body, from generator/request_examples.yaml."""
    from generator.spec import _SpecLoader  # keeps date-times as the strings written
    with open(_REQUEST_EXAMPLES_FILE, encoding='utf-8') as handle:
        return yaml.load(handle, Loader=_SpecLoader)


def model_source(spec, model, data):
    """Constructor call for ``model`` from a JSON example (``None``: the model's example)."""
    if data is None:
        data = request_examples().get(model.schema_name, model.example)
        data = data if isinstance(data, dict) else {}
    if not isinstance(data, dict):
        raise Invalid('%s: example is not an object' % model.class_name)
    kwargs = []
    for prop in model.props:
        override = PROPERTY_OVERRIDES.get((model.schema_name, prop.api_name))
        if override is OMIT:
            continue
        if override is not None:
            value = override
        elif prop.api_name in data:
            value = data[prop.api_name]
        elif 'example' in prop.schema and (prop.required or not data):
            value = prop.schema['example']
        else:
            continue
        try:
            kwargs.append((prop.attr, value_source(spec, prop.type_string, value, prop.rules)))
        except Invalid as error:
            if prop.required:
                raise Invalid('%s.%s: %s' % (model.class_name, prop.attr, error)) from None
    missing = [p.attr for p in model.props if p.required and p.attr not in dict(kwargs)]
    if missing:
        raise Invalid('%s: no usable example for %s' % (model.class_name, ', '.join(missing)))
    return pyfmt.Call('talon_one.%s' % model.class_name, kwargs=kwargs)


def value_source(spec, type_string, value, rules):
    """``pyfmt`` value for a JSON example of ``type_string``; raises ``Invalid``."""
    value = _substitute(value)
    kind, detail = typestrings.split(type_string)
    if kind == 'model':
        return model_source(spec, spec.model(detail), value)
    if kind == 'list':
        if not isinstance(value, list):
            raise Invalid('not a list: %r' % (value,))
        items = []
        for item in value:
            if item not in items:  # the spec repeats identical items
                items.append(item)
        _check_rules(rules, items)
        return [value_source(spec, detail, item, {}) for item in items]
    if kind == 'dict':
        if not isinstance(value, dict):
            raise Invalid('not an object: %r' % (value,))
        return {key: value_source(spec, detail, item, {}) for key, item in value.items()}
    return _primitive(detail, value, rules)


def _primitive(name, value, rules):
    if name == 'object':
        if not isinstance(value, dict):
            raise Invalid('not an object: %r' % (value,))
        return value
    if name in ('datetime', 'date'):
        return pyfmt.Raw(_date_source(name, value))
    expected = {'str': str, 'int': int, 'float': (int, float), 'bool': bool}[name]
    if not isinstance(value, expected) or (name != 'bool' and isinstance(value, bool)):
        raise Invalid('not a %s: %r' % (name, value))
    if name == 'str' and _LOOKS_LIKE_DATETIME.match(value) and not _DATETIME.match(value):
        # e.g. Go's layout string 2022-08-02T15:04:05Z07:00, which is no real timestamp
        raise Invalid('broken date-time: %r' % (value,))
    _check_rules(rules, value)
    return value


def _date_source(name, value):
    if not isinstance(value, str):
        raise Invalid('not a date string: %r' % (value,))
    if name == 'date':
        match = _DATE.match(value)
        if not match:
            raise Invalid('not a date: %r' % (value,))
        return 'datetime.date(%d, %d, %d)' % tuple(int(part) for part in match.groups())
    match = _DATETIME.match(value)
    if not match:
        raise Invalid('not an RFC 3339 date-time: %r' % (value,))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    args = [int(year), int(month), int(day), int(hour), int(minute)]
    micro = int((fraction or '').ljust(6, '0'))
    if int(second) or micro:
        args.append(int(second))
    if micro:
        args.append(micro)
    if zone in ('Z', '+00:00', '-00:00'):
        tz = 'datetime.timezone.utc'
    else:
        sign = -1 if zone[0] == '-' else 1
        minutes = sign * (int(zone[1:3]) * 60 + int(zone[4:6]))
        tz = 'datetime.timezone(datetime.timedelta(minutes=%d))' % minutes
    return 'datetime.datetime(%s, tzinfo=%s)' % (', '.join(str(arg) for arg in args), tz)


def _substitute(value):
    if isinstance(value, str):
        return SUBSTITUTIONS.get(value, value)
    if isinstance(value, list):
        return [_substitute(item) for item in value]
    return value


def _check_rules(rules, value):
    if not rules:
        return
    if isinstance(value, list):
        if not rules.get('min_items', 0) <= len(value) <= rules.get('max_items', len(value)):
            raise Invalid('wrong number of items: %r' % (value,))
        if 'enum' in rules and any(item not in rules['enum'] for item in value):
            raise Invalid('not in enum: %r' % (value,))
        return
    if 'enum' in rules and value not in rules['enum']:
        raise Invalid('not in enum: %r' % (value,))
    if isinstance(value, str):
        if not rules.get('min_length', 0) <= len(value) <= rules.get('max_length', len(value)):
            raise Invalid('wrong length: %r' % (value,))
        if 'pattern' in rules and not re.search(rules['pattern'], value):
            raise Invalid('does not match the pattern: %r' % (value,))
    elif isinstance(value, (int, float)):
        if 'minimum' in rules and value < rules['minimum']:
            raise Invalid('too small: %r' % (value,))
        if 'maximum' in rules and value > rules['maximum']:
            raise Invalid('too large: %r' % (value,))
