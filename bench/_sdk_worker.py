"""One side of ``bench_sdk.py``: times whichever ``talon_one`` the interpreter imports.

``bench_sdk.py`` runs this file once with this project's SDK on the path and once with the
official SDK's own venv, so both sides run the same code on the same data. It uses only calls
the two SDKs share (model constructors, ``ApiClient.deserialize``,
``ApiClient.sanitize_for_serialization``, ``to_dict``) and nothing else of either.

    python bench/_sdk_worker.py REPEAT [--check]

prints one JSON line: the SDK's version and file, seconds for ``import talon_one`` (first thing
in a fresh process) and the best of REPEAT runs of each workload; with ``--check`` also the
results, so the caller can see that both SDKs read the same values.
"""

import time

_START = time.perf_counter()
import talon_one  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _START

import json  # noqa: E402
import sys  # noqa: E402

NOW = "2026-11-22T10:15:30.123456Z"


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
    """A realistic, large IntegrationStateV2 response body (wire form)."""
    return {
        "customerSession": {
            "id": 1, "integrationId": "session-1", "created": NOW, "applicationId": 5,
            "profileId": "URNGV8294NV", "couponCodes": ["XMAS-20-2021"],
            "referralCode": "NT2K54D9", "loyaltyCards": ["card-1"], "state": "open",
            "cartItems": [_cart_item(i) for i in range(items)],
            "additionalCosts": {"shipping": {"price": 9}}, "identifiers": ["91.11.156.141"],
            "attributes": {"ShippingCity": "Berlin"}, "firstSession": False, "total": 1234.5,
            "cartItemTotal": 1200.0, "additionalCostTotal": 34.5, "updated": NOW,
        },
        "customerProfile": {
            "id": 6, "created": NOW, "integrationId": "URNGV8294NV",
            "attributes": {"Language": "english"}, "accountId": 31, "closedSessions": 3,
            "totalSales": 299.99, "lastActivity": NOW, "sandbox": False,
            "loyaltyMemberships": [{"joined": NOW, "loyaltyProgramId": 125}],
            "audienceMemberships": [{"id": 2, "name": "Travel"}],
        },
        "effects": [_effect(i) for i in range(effects)],
        "triggeredCampaigns": [],
        "ruleFailureReasons": [],
        "createdCoupons": [],
        "createdReferrals": [],
        "referral": None,
        "coupons": [],
        "loyalty": {"programs": {"125": {"id": 125, "title": "Points", "name": "points",
                                         "ledger": {"currentBalance": 10, "pendingBalance": 0,
                                                    "expiredBalance": 0, "spentBalance": 0,
                                                    "tentativeCurrentBalance": 10}}}},
    }


def sample_stamps(count=2000):
    return ["2026-11-%02dT%02d:%02d:30.%06dZ" % (1 + i % 28, i % 24, i % 60, i * 7919 % 999999)
            for i in range(count)]


def sample_request(sdk, items=60):
    """A 60-item IntegrationRequest built with ``sdk``'s public model constructors."""
    session = sdk.NewCustomerSessionV2(
        profile_id="URNGV8294NV", coupon_codes=["XMAS-20-2021"], state="open",
        cart_items=[sdk.CartItem(name="Item %d" % i, sku="SKU-%04d" % i, quantity=1 + i % 3,
                                 price=10.5 + i, category="shoes", attributes={"color": "red"},
                                 additional_costs={"shipping": sdk.AdditionalCost(price=2.5)})
                    for i in range(items)],
        attributes={"ShippingCity": "Berlin"})
    return sdk.IntegrationRequest(customer_session=session,
                                  response_content=["customerSession", "customerProfile"])


class _Response:
    """What ``ApiClient.deserialize`` reads: a status and the body text."""

    status = 200
    reason = "OK"

    def __init__(self, data):
        self.data = data

    def getheaders(self):
        return {"Content-Type": "application/json"}

    def getheader(self, name, default=None):
        return self.getheaders().get(name, default)


def _best_of(function, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    repeat = int(sys.argv[1])
    check = "--check" in sys.argv[2:]
    client = talon_one.ApiClient()
    state_text = json.dumps(sample_state())
    stamps_text = json.dumps(sample_stamps())

    def parse():
        # to_dict() reads every field on both sides, so lazy parsing skips nothing.
        return client.deserialize(_Response(state_text), "IntegrationStateV2").to_dict()

    def request():
        return json.dumps(client.sanitize_for_serialization(sample_request(talon_one)),
                          separators=(",", ":"))

    def datetimes():
        return client.deserialize(_Response(stamps_text), "list[datetime]")

    out = {
        "version": talon_one.__version__, "file": talon_one.__file__,
        "import": IMPORT_SECONDS,
        "parse": _best_of(parse, repeat),
        "request": _best_of(request, repeat),
        "datetime": _best_of(datetimes, repeat),
    }
    if check:
        parsed = client.deserialize(_Response(state_text), "IntegrationStateV2")
        out["check"] = {
            "parse": client.sanitize_for_serialization(parsed),
            "request": json.loads(request()),
            "datetime": [value.isoformat() for value in datetimes()],
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
