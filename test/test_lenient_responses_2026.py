"""Every operation parses random valid responses of the 2026 spec.

For each of the 43 operations, several responses are generated from its 2xx response
schema in talon-one-integration-2026.yaml the way a mock server such as Prism does:
random values of the right JSON type and format (date-time fractions of 1 to 9 digits,
integers past 2**53), enum values, string lengths and number ranges respected, required
properties always there, optional ones sometimes absent, nullable ones sometimes null,
arrays and maps of a few items; an ``Effect`` carries the props of a random effect type
(``x-effect-types``). A seeded RNG makes each run the same.

Each response is served by a real local HTTP server; the call goes through the SDK, and
the result is checked against the JSON it came from: the documented return class, every
nested object the class of its schema (generator/compat.py names), date-times tz-aware
and equal to the text, numbers floats, maps and lists of the right items, effect props
parsed by ``effect_props``, and the effects summary built without error.
"""

import datetime
import random
import string
import uuid

import pytest
import yaml

import talon_one
from generator import compat, naming
from generator.__main__ import DEFAULT_SPEC
from talon_one.api import integration_api
from talon_one._operations import Endpoint

RUNS = 6          # responses per operation
SEED = 20260613
MAX_DEPTH = 6     # below it, optional properties are left out and lists are empty

with open(DEFAULT_SPEC, encoding='utf-8') as _handle:
    DOCUMENT = yaml.load(_handle, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))
SCHEMAS = DOCUMENT['components']['schemas']
EFFECT_TYPES = DOCUMENT['x-effect-types']
METHODS = ('get', 'put', 'post', 'delete', 'patch')


def _ref(schema):
    ref = schema.get('$ref')
    return ref.rsplit('/', 1)[-1] if ref else None


def _free_form(schema):
    return (schema.get('type') == 'object' and not schema.get('properties')
            and not isinstance(schema.get('additionalProperties'), dict))


def _class_of(schema_name):
    """The SDK class of a schema, or None for a free-form object (typed ``object``)."""
    schema = SCHEMAS[schema_name]
    if _free_form(schema):
        return None
    return getattr(talon_one.models, compat.class_name(schema_name, schema))


def _operations():
    found = {}
    for item in DOCUMENT['paths'].values():
        for method in METHODS:
            if method in item:
                op = item[method]
                found[naming.method_name(op['operationId'])] = (op, item)
    return found


OPERATIONS = _operations()


# -- random responses -------------------------------------------------------------------

class Faker(object):
    """Prism-style random JSON for a schema."""

    def __init__(self, rng):
        self.rng = rng

    def value(self, schema, depth=0):
        name = _ref(schema)
        if name:
            return self.value(SCHEMAS[name], depth)
        if schema.get('nullable') and self.rng.random() < 0.15:
            return None
        if 'allOf' in schema:
            merged = {}
            for part in schema['allOf']:
                merged.update(self.value(part, depth) or {})
            return merged
        if 'enum' in schema:
            return self.rng.choice(schema['enum'])
        kind = schema.get('type')
        if kind == 'string':
            return self.string(schema)
        if kind == 'integer':
            low = int(schema.get('minimum', 0))
            high = int(schema.get('maximum', 2 ** 63 - 1))
            if self.rng.random() < 0.1:  # anywhere in range, past 2**53 too
                return self.rng.randint(low, max(low, high))
            return self.rng.randint(low, max(low, min(high, low + 10 ** 6)))
        if kind == 'number':
            low = float(schema.get('minimum', 0))
            high = float(schema.get('maximum', low + 10000))
            if self.rng.random() < 0.3:
                return self.rng.randint(int(low), int(min(high, low + 1000)))  # JSON integer
            if self.rng.random() < 0.05 and 'maximum' not in schema:
                return self.rng.randint(2 ** 53, 2 ** 70)  # exact past the float range
            return round(self.rng.uniform(low, min(high, low + 10 ** 6)), 2)
        if kind == 'boolean':
            return self.rng.random() < 0.5
        if kind == 'array':
            low = schema.get('minItems', 0)
            high = max(low, min(schema.get('maxItems', 3), 3 if depth < MAX_DEPTH else low))
            return [self.value(schema.get('items') or {}, depth + 1)
                    for _ in range(self.rng.randint(low, high))]
        if schema.get('properties') or isinstance(schema.get('additionalProperties'), dict):
            return self.object(schema, depth)
        return self.free_form()

    def string(self, schema):
        fmt = schema.get('format')
        if fmt == 'date-time':
            moment = datetime.datetime(2020, 1, 1) + datetime.timedelta(
                seconds=self.rng.randint(0, 6 * 365 * 86400))
            text = moment.strftime('%Y-%m-%dT%H:%M:%S')
            if self.rng.random() < 0.4:  # RFC 3339 fractions of 1 to 9 digits (Go sends 9)
                text += '.' + ''.join(self.rng.choice(string.digits)
                                      for _ in range(self.rng.randint(1, 9)))
            return text + self.rng.choice(['Z', '+00:00', '+02:00', '-05:30'])
        if fmt == 'uuid':
            return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        if fmt == 'date':
            return (datetime.date(2020, 1, 1)
                    + datetime.timedelta(days=self.rng.randint(0, 2000))).isoformat()
        low = max(schema.get('minLength', 1), 1)
        high = max(low, min(schema.get('maxLength', 12), 12))
        first = self.rng.choice(string.ascii_letters)  # fits the patterns of the spec
        rest = ''.join(self.rng.choice(string.ascii_letters + string.digits)
                       for _ in range(self.rng.randint(low, high) - 1))
        return first + rest

    def free_form(self):
        return {'k%d' % i: self.rng.choice([1, 'text', True, None, [1, 2], {'x': 1.5}])
                for i in range(self.rng.randint(0, 2))}

    def object(self, schema, depth):
        required = set(schema.get('required', ()))
        result = {}
        for api_name, prop in (schema.get('properties') or {}).items():
            if api_name not in required and (depth >= MAX_DEPTH or self.rng.random() < 0.35):
                continue
            result[api_name] = self.value(prop, depth + 1)
        extra = schema.get('additionalProperties')
        if isinstance(extra, dict):
            for i in range(self.rng.randint(0, 2 if depth < MAX_DEPTH else 0)):
                result['key%d' % i] = self.value(extra, depth + 1)
        return result

    def response(self, schema_name_or_schema):
        value = self.value(schema_name_or_schema)
        return self.with_effect_props(value)

    def with_effect_props(self, value, schema=None):
        """Give each generated ``Effect`` the props of a random effect type."""
        if isinstance(value, list):
            for item in value:
                self.with_effect_props(item)
        elif isinstance(value, dict):
            if 'effectType' in value and 'props' in value and 'ruleIndex' in value:
                effect_type = self.rng.choice(sorted(EFFECT_TYPES))
                value['effectType'] = effect_type
                value['props'] = self.value(SCHEMAS[EFFECT_TYPES[effect_type]], 2)
            for item in value.values():
                self.with_effect_props(item)
        return value


# -- checking what was parsed ----------------------------------------------------------

def _expected_datetime(text):
    """What an RFC 3339 text means, to the microsecond (longer fractions truncated)."""
    main, offset = text[:19], text[19:]
    fraction = ''
    if offset.startswith('.'):
        digits = len(offset) - len(offset[1:].lstrip(string.digits))
        fraction, offset = offset[1:digits], offset[digits:]
    moment = datetime.datetime.strptime(main, '%Y-%m-%dT%H:%M:%S').replace(
        microsecond=int(fraction[:6].ljust(6, '0')) if fraction else 0)
    if offset == 'Z':
        return moment.replace(tzinfo=datetime.timezone.utc)
    sign = -1 if offset[0] == '-' else 1
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    return moment.replace(tzinfo=datetime.timezone(
        sign * datetime.timedelta(hours=hours, minutes=minutes)))


def check(value, wire, schema, where):
    """``value`` (parsed) is what the spec says ``wire`` (the JSON) means."""
    name = _ref(schema)
    if name:
        target = SCHEMAS[name]
        cls = _class_of(name)
        if cls is None:
            assert value == wire, where
            return
        if wire is None:
            assert value is None, where
            return
        assert isinstance(value, cls), (where, type(value), cls)
        check_model(value, wire, target, where)
        return
    if wire is None:
        assert value in (None, [], {}), where
        return
    if 'allOf' in schema:
        for part in schema['allOf']:
            check(value, wire, part, where)
        return
    kind = schema.get('type')
    fmt = schema.get('format')
    if kind == 'string' and fmt == 'date-time':
        assert isinstance(value, datetime.datetime), (where, value)
        assert value.tzinfo is not None and value.utcoffset() is not None, where
        assert value == _expected_datetime(wire), (where, value, wire)
    elif kind == 'string' and fmt == 'date':
        assert value == datetime.date.fromisoformat(wire), where
    elif kind == 'number':
        if isinstance(wire, int) and abs(wire) > 2 ** 53:
            assert value == wire, (where, value, wire)      # kept exact
        else:
            assert isinstance(value, float) and value == wire, (where, value, wire)
    elif kind == 'integer':
        assert type(value) is int and value == wire, (where, value)
    elif kind in ('string', 'boolean'):
        assert value == wire and type(value) is type(wire), (where, value, wire)
    elif kind == 'array':
        assert isinstance(value, list) and len(value) == len(wire), (where, value)
        for i, (item, wire_item) in enumerate(zip(value, wire)):
            check(item, wire_item, schema.get('items') or {}, '%s[%d]' % (where, i))
    elif schema.get('properties'):
        raise AssertionError('inline object schema at %s' % where)
    elif isinstance(schema.get('additionalProperties'), dict):
        assert isinstance(value, dict) and set(value) == set(wire), where
        for key in wire:
            check(value[key], wire[key], schema['additionalProperties'],
                  '%s[%r]' % (where, key))
    else:
        assert value == wire, where


def check_model(model, wire, schema, where):
    properties = schema.get('properties') or {}
    by_api_name = {api: attr for attr, api in type(model).attribute_map.items()}
    for api_name, prop in properties.items():
        attr = by_api_name[api_name]
        value = getattr(model, attr)
        if api_name in wire:
            check(value, wire[api_name], prop, '%s.%s' % (where, attr))
    assert set(wire) - set(properties) == set(model.extra_fields), where
    if type(model) is talon_one.Effect and wire.get('effectType') in EFFECT_TYPES \
            and isinstance(wire.get('props'), dict):
        props = talon_one.effect_props(model)
        props_schema = {'$ref': '#/components/schemas/' + EFFECT_TYPES[wire['effectType']]}
        check(props, wire['props'], props_schema, where + '.props')
    model.to_dict()
    repr(model)


def _response_schemas(op):
    found = {}
    for status, response in op['responses'].items():
        if 200 <= int(status) < 300 and 'content' in response:
            found[int(status)] = response['content']['application/json']['schema']
    return found


def _arguments(endpoint):
    args = []
    for param in endpoint.positional:
        if param.location == 'body':
            args.append({})
        elif param.type == 'int':
            args.append(125)
        else:
            args.append('URNGV8294NV')
    return args


def test_every_operation_is_covered():
    endpoints = [v for v in vars(integration_api).values() if isinstance(v, Endpoint)]
    assert sorted(e.name for e in endpoints) == sorted(OPERATIONS)
    assert len(OPERATIONS) == 43
    # Every operation documents a response body, except the ones answering 204 only.
    no_body = sorted(name for name, (op, _) in OPERATIONS.items() if not _response_schemas(op))
    assert no_body == ['delete_audience_memberships_v2', 'delete_audience_v2',
                       'delete_coupon_reservation', 'delete_customer_data',
                       'delete_loyalty_transactions_from_ledgers', 'join_loyalty_program',
                       'update_audience_customers_attributes',
                       'update_customer_profile_audiences']


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize('name', sorted(OPERATIONS))
def test_random_valid_responses_parse(http_server, make_api_client, name):
    op, _ = OPERATIONS[name]
    endpoint = getattr(integration_api, '_' + name.upper())
    client = make_api_client()
    client.configuration.client_side_validation = False  # the request body is a bare {}
    api = talon_one.IntegrationApi(client)
    rng = random.Random('%s:%s' % (SEED, name))
    faker = Faker(rng)
    schemas = _response_schemas(op)
    if not schemas:
        http_server.respond(204)
        assert getattr(api, name)(*_arguments(endpoint)) is None
        return
    for run in range(RUNS):
        status = rng.choice(sorted(schemas))
        schema = schemas[status]
        wire = faker.response(schema)
        http_server.respond(status, wire)
        data, got_status, _ = getattr(api, name + '_with_http_info')(*_arguments(endpoint))
        assert got_status == status
        documented = endpoint.responses[status]
        if documented.startswith('list['):
            assert isinstance(data, list)
            item_class = getattr(talon_one, documented[5:-1])
            assert all(isinstance(item, item_class) for item in data)
        else:
            assert type(data) is getattr(talon_one, documented), (name, type(data))
        check(data, wire, schema, '%s#%d' % (name, run))
        if hasattr(data, 'effects'):
            # the states as they are; other results with effects (EventV3) by their list
            states = (talon_one.IntegrationStateV2, talon_one.IntegrationState,
                      talon_one.IntegrationCustomerSessionResponse,
                      talon_one.IntegrationEventV3Response, talon_one.ReopenSessionResponse)
            summary = talon_one.summarize_effects(
                data if isinstance(data, states) else (data.effects or []))
            str(summary)
