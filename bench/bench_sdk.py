"""Side-by-side speed ratios for the design choices that make talon_one fast.

The official talon_one 4.0.0 package is not published on PyPI, so it cannot be installed here. Each
benchmark therefore runs this SDK against a baseline that does the same work the way the official
generated client does it, using the same classes and data:

- import: lazy model and transport loading vs importing every model module and urllib3 up front;
- parse: lenient, compiled response parsing vs a generated-client style parse that builds a
  ``Configuration()`` for every model instance, runs ``__init__`` with validation on every field,
  and parses every date-time with ``dateutil.parser.parse``;
- request: validating and serializing a 60-item IntegrationRequest body (talon_one checks every
  rule and required field before sending) vs the generated-client walk over ``openapi_types``
  with ``getattr`` (no send-time checks);
- datetime: the SDK's date-time parser (``talon_one._datetimes``) vs ``dateutil.parser.parse``.

Both sides of a pair run interleaved in one process (or one batch of subprocesses), repeated, and
the median ratio is printed. Machines here are small and noisy: read ratios, not absolute times.

    python bench/bench_sdk.py [--rounds N]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import dateutil.parser  # noqa: E402

import talon_one  # noqa: E402
from talon_one import _codec, _datetimes, _types  # noqa: E402
from talon_one.configuration import Configuration  # noqa: E402


# --------------------------------------------------------------------------- sample data

def _cart_item(index):
    return {
        "name": "Item %d" % index, "sku": "SKU-%04d" % index, "quantity": 1 + index % 3,
        "price": 10.5 + index, "category": "shoes", "weight": 1.5, "position": index,
        "attributes": {"color": "red", "size": 42},
        "additionalCosts": {"shipping": {"price": 2.5}},
    }


def _effect(index):
    return {
        "campaignId": 10 + index % 4, "rulesetId": 3, "ruleIndex": index % 5, "ruleName": "rule",
        "effectType": "setDiscountPerItem",
        "props": {"name": "10% off", "value": 1.05, "position": index},
        "triggeredByCoupon": 44, "conditionIndex": 0, "effectIndex": index,
    }


def sample_state(items=60, effects=40):
    """A realistic, large IntegrationStateV2 response body."""
    now = "2026-11-22T10:15:30.123456Z"
    return {
        "customerSession": {
            "integrationId": "session-1", "created": now, "applicationId": 5,
            "profileId": "URNGV8294NV", "couponCodes": ["XMAS-20-2021"], "referralCode": "NT2K54D9",
            "loyaltyCards": ["card-1"], "state": "open",
            "cartItems": [_cart_item(i) for i in range(items)],
            "additionalCosts": {"shipping": {"price": 9}}, "identifiers": ["91.11.156.141"],
            "attributes": {"ShippingCity": "Berlin"}, "firstSession": False, "total": 1234.5,
            "cartItemTotal": 1200.0, "additionalCostTotal": 34.5, "updated": now,
        },
        "customerProfile": {
            "id": 6, "created": now, "integrationId": "URNGV8294NV",
            "attributes": {"Language": "english"}, "accountId": 31, "closedSessions": 3,
            "totalSales": 299.99, "lastActivity": now, "sandbox": False,
            "loyaltyMemberships": [{"joined": now, "loyaltyProgramId": 125}],
            "audienceMemberships": [{"id": 2, "name": "Travel"}],
        },
        "effects": [_effect(i) for i in range(effects)],
        "triggeredCampaigns": [],
        "ruleFailureReasons": [],
        "createdCoupons": [],
        "createdReferrals": [],
        "referral": None,
        "coupons": [],
        "loyalty": {"programs": {"125": {"title": "Points", "name": "points",
                                         "ledger": {"currentBalance": 10, "pendingBalance": 0,
                                                    "expiredBalance": 0, "spentBalance": 0,
                                                    "tentativeCurrentBalance": 10}}}},
    }


# --------------------------------------------------------------------------- baselines

def _baseline_value(type_string, value):
    """Deserialize the way a generated client of the official's kind does it."""
    if value is None:
        return None
    if type_string.startswith("list["):
        inner = type_string[5:-1]
        return [_baseline_value(inner, item) for item in value]
    if type_string.startswith("dict("):
        inner = type_string[5:-1].split(", ", 1)[1]
        return {key: _baseline_value(inner, item) for key, item in value.items()}
    if type_string in ("str", "int", "float", "bool", "object"):
        return value
    if type_string in ("datetime", "date"):
        parsed = dateutil.parser.parse(value)
        return parsed.date() if type_string == "date" else parsed
    klass = _types.resolve_model(type_string)
    kwargs = {}
    for attr, attr_type in klass.openapi_types.items():
        api_name = klass.attribute_map[attr]
        if api_name in value:
            kwargs[attr] = _baseline_value(attr_type, value[api_name])
    # The official models build a fresh Configuration per instance when none is given.
    return klass(local_vars_configuration=Configuration(), **kwargs)


def _baseline_sanitize(obj):
    """JSON-ready form of a request the way the official generated client builds it."""
    if obj is None:
        return None
    if isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, list):
        return [_baseline_sanitize(item) for item in obj]
    if isinstance(obj, dict):
        return {key: _baseline_sanitize(value) for key, value in obj.items()}
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    wire = {obj.attribute_map[attr]: getattr(obj, attr) for attr in obj.openapi_types
            if getattr(obj, attr) is not None}
    return {key: _baseline_sanitize(value) for key, value in wire.items()}


def sample_request(items=60):
    session = talon_one.NewCustomerSessionV2(
        profile_id="URNGV8294NV", coupon_codes=["XMAS-20-2021"], state="open",
        cart_items=[talon_one.CartItem(name="Item %d" % i, sku="SKU-%04d" % i, quantity=1 + i % 3,
                                       price=10.5 + i, category="shoes",
                                       attributes={"color": "red"},
                                       additional_costs={"shipping": talon_one.AdditionalCost(
                                           price=2.5)})
                    for i in range(items)],
        attributes={"ShippingCity": "Berlin"})
    return talon_one.IntegrationRequest(customer_session=session,
                                        response_content=["customerSession", "customerProfile"])


# --------------------------------------------------------------------------- timing helpers

def _best_of(function, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def _ratio(name, ours, baseline, rounds, repeat):
    ratios = []
    ours_times = []
    base_times = []
    for _ in range(rounds):
        a = _best_of(ours, repeat)
        b = _best_of(baseline, repeat)
        ours_times.append(a)
        base_times.append(b)
        ratios.append(b / a)
    print("%-10s talon_one %8.3f ms | baseline %8.3f ms | baseline/talon_one = %5.1fx"
          % (name, statistics.median(ours_times) * 1e3, statistics.median(base_times) * 1e3,
             statistics.median(ratios)))
    return statistics.median(ratios)


def bench_import(rounds):
    lazy = "import time; t=time.perf_counter(); import talon_one; print(time.perf_counter()-t)"
    # What the official package loads on import: the transport (urllib3) and every model.
    eager = ("import time; t=time.perf_counter(); import talon_one, talon_one.rest, "
             "talon_one.models as m; [getattr(m, n) for n in m.__all__]; "
             "print(time.perf_counter()-t)")

    def run(code):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        return float(out)

    ours, base, ratios = [], [], []
    for _ in range(rounds):
        a = run(lazy)
        b = run(eager)
        ours.append(a)
        base.append(b)
        ratios.append(b / a)
    print("%-10s talon_one %8.3f ms | baseline %8.3f ms | baseline/talon_one = %5.1fx"
          % ("import", statistics.median(ours) * 1e3, statistics.median(base) * 1e3,
             statistics.median(ratios)))


def bench_parse(rounds):
    body = sample_state()
    text = json.dumps(body)
    # Both sides must agree on the result before their speed is compared.
    ours_result = _codec.decode("IntegrationStateV2", json.loads(text))
    base_result = _baseline_value("IntegrationStateV2", json.loads(text))
    assert ours_result.to_dict() == base_result.to_dict(), "parsers disagree"
    _ratio("parse",
           # Responses are parsed lazily: to_dict() reads every field, as the baseline builds
           # every one (and then builds dicts on top, so talon_one is charged extra work).
           lambda: _codec.decode("IntegrationStateV2", json.loads(text)).to_dict(),
           lambda: _baseline_value("IntegrationStateV2", json.loads(text)),
           rounds, repeat=5)


def bench_request(rounds):
    body = sample_request()
    assert json.loads(json.dumps(body.to_wire())) == json.loads(json.dumps(
        _baseline_sanitize(body))), "serializers disagree"

    def ours():
        body.validate("IntegrationRequest")   # talon_one also checks required fields here
        return json.dumps(body.to_wire(), separators=(",", ":"))

    _ratio("request", ours, lambda: json.dumps(_baseline_sanitize(body)), rounds, repeat=5)


def bench_datetime(rounds):
    stamps = ["2026-11-%02dT%02d:%02d:30.%06dZ" % (1 + i % 28, i % 24, i % 60, i * 7919 % 999999)
              for i in range(2000)]
    for stamp in stamps[:50]:
        assert _datetimes.parse_datetime(stamp) == dateutil.parser.parse(stamp)
    _ratio("datetime",
           lambda: [_datetimes.parse_datetime(s) for s in stamps],
           lambda: [dateutil.parser.parse(s) for s in stamps],
           rounds, repeat=3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print("talon_one %s, Python %s" % (talon_one.__version__, sys.version.split()[0]))
    bench_import(args.rounds)
    bench_parse(args.rounds)
    bench_request(args.rounds)
    bench_datetime(args.rounds)


if __name__ == "__main__":
    main()
