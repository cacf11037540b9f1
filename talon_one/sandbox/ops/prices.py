"""Catalog price history and the best prior price (the lowest price of an item over a
timeframe before a date, as price-reduction rules ask for it).

The history of a SKU (kind ``priceHistory``) lists its price observations, oldest first:
the world's ``priceHistory`` of catalog items, then every price change a catalog sync makes.
A price holds from its observation until the next one."""

import datetime
from typing import Dict, List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

MAX_TIMEFRAME_DAYS = 36500
LOCK = 'priceHistory'       # one lock for every SKU's history: syncs are rare


def observe(svc: Service, changes: Changes, sku: str, price: float, at: datetime.datetime,
            context_ids: Optional[List[str]] = None) -> None:
    """Add a price observation, unless it repeats the SKU's latest price."""
    doc = changes.get('priceHistory', sku) or {'sku': sku, 'entries': []}
    entries: List[Doc] = doc['entries']
    if entries and entries[-1]['price'] == price:
        return
    entries.append({'id': svc.next_id('pricePoint'), 'price': price,
                    'observedAt': timeutil.fmt(at), 'contextIds': list(context_ids or [])})
    entries.sort(key=lambda e: timeutil.parse(e['observedAt']))
    changes.put('priceHistory', sku, doc)


def seed_prices(svc: Service, changes: Changes, now: datetime.datetime) -> None:
    """The world's price history; an item's current price, when it differs from the last
    one of its history, is observed at seed time."""
    for catalog in svc.world.section('catalogs'):
        for item in catalog.get('items', []):
            for entry in item.get('priceHistory', []):
                observe(svc, changes, item['sku'], entry['price'],
                        timeutil.parse(entry['observedAt']), entry.get('contextIds'))
            if item.get('price') is not None:
                observe(svc, changes, item['sku'], item['price'], now)


def record_sync(svc: Service, changes: Changes, before: Dict[str, Optional[float]],
                items: Dict[str, Doc], now: datetime.datetime) -> None:
    """After a catalog sync: each item whose price it set or changed gets an observation."""
    for sku, item in items.items():
        price = item.get('price')
        if price is not None and before.get(sku) != price:
            observe(svc, changes, sku, price, now)


def _timeframe(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_TIMEFRAME_DAYS:
        raise bad_request('/timeframe: must be a number of days between 1 and %d, got %r'
                          % (MAX_TIMEFRAME_DAYS, raw), pointer='/timeframe')
    return int(raw)


def best_prior(entries: List[Doc], end: datetime.datetime, days: int,
               end_type: str) -> Optional[Doc]:
    """The lowest price that held at some moment of the window (the latest observation of
    it when several tie). ``strict``: the window is the ``days`` before ``end``; ``price``
    and ``sale``: the ``days`` before the price in effect at ``end`` was set (so that price,
    e.g. the sale price itself, is not its own prior price)."""
    dated = [(timeutil.parse(e['observedAt']), e) for e in entries]
    past = [pair for pair in dated if pair[0] <= end]
    if end_type != 'strict' and past:
        end = past[-1][0]
        past = [pair for pair in past if pair[0] < end]
    start = end - datetime.timedelta(days=days)
    held = [e for at, e in past if at >= start]
    before_start = [e for at, e in past if at < start]
    if before_start:                  # the price in effect when the window opened
        held.insert(0, before_start[-1])
    if not held:
        return None
    lowest = min(e['price'] for e in held)
    found: Doc = [e for e in held if e['price'] == lowest][-1]
    return found


def best_prior_price(svc: Service, req: Request) -> Answer:
    schema.validate(schema.BEST_PRIOR_PRICE_REQUEST, req.body)
    body = req.body
    days = _timeframe(body['timeframe'])
    end = timeutil.parse(body['timeframeEndDate'])
    target = body.get('target') or {'targetType': 'NONE'}
    out: List[Doc] = []
    for sku in dict.fromkeys(body['skus']):     # each SKU once, in request order
        doc = svc.store.get('priceHistory', sku)
        found = best_prior(doc['entries'], end, days, body['timeframeEndDateType']) \
            if doc else None
        if found is None:
            continue        # no price known for the window
        out.append({'id': found['id'], 'sku': sku, 'observedAt': found['observedAt'],
                    'contextId': (found['contextIds'] or [''])[0], 'price': found['price'],
                    'metadata': {'influencingCampaignDetails': []}, 'target': dict(target),
                    'contextIds': list(found['contextIds'])})
    return 200, out
