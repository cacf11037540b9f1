"""Cart item catalog sync: ADD, PATCH, PATCH_MANY, REMOVE, REMOVE_MANY.

A sync request is all-or-nothing: the actions run on a copy of the catalog
and the copy replaces the catalog only when every action succeeded.
"""

from typing import Any, Dict, List

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc, as_list, as_object
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops import prices, views
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

_FILTER_OPS = ('EQ', 'LT', 'LE', 'GT', 'GE', 'IN')


def sync_catalog(svc: Service, req: Request) -> Answer:
    schema.validate(schema.CATALOG_SYNC_REQUEST, req.body)
    catalog_id = req.params['catalogId']
    with svc.store.locked(['catalog:%s' % catalog_id, prices.LOCK]):
        changes = Changes(svc.store)
        catalog = changes.get('catalog', catalog_id)
        if catalog is None:
            raise not_found('catalog %s not found' % catalog_id)
        version = req.body.get('version')
        if version is not None and version != catalog['version']:
            raise bad_request('/version: catalog %s is at version %d, not %d'
                              % (catalog_id, catalog['version'], version), pointer='/version')
        items = catalog.setdefault('items', {})
        before = {sku: item.get('price') for sku, item in items.items()}
        for index, action in enumerate(req.body['actions']):
            _apply(svc, items, action, '/actions/%d/payload' % index)
        prices.record_sync(svc, changes, before, items, svc.now())
        catalog['version'] += 1
        catalog['modified'] = timeutil.fmt(svc.now())
        changes.put('catalog', catalog_id, catalog)
        changes.commit()
    return 200, views.catalog(catalog)


def _sku(payload: Doc, pointer: str) -> str:
    sku = payload.get('sku')
    if not isinstance(sku, str) or not sku:
        raise bad_request('%s/sku: is required and must be a non-empty string' % pointer,
                          pointer=pointer + '/sku')
    return sku


def _check_fields(payload: Doc, pointer: str) -> None:
    """The payload fields the actions use (the schema leaves ``payload`` open)."""
    price = payload.get('price')
    if price is not None:
        if isinstance(price, bool) or not isinstance(price, (int, float)):
            raise bad_request('%s/price: must be a number' % pointer, pointer=pointer + '/price')
        schema.check_number(price, pointer + '/price')
    if 'attributes' in payload and not isinstance(payload['attributes'], dict):
        raise bad_request('%s/attributes: must be an object' % pointer,
                          pointer=pointer + '/attributes')
    removed: Any = payload.get('removeAttributes')
    if removed is not None and not (isinstance(removed, list) and
                                    all(isinstance(name, str) for name in as_list(removed))):
        raise bad_request('%s/removeAttributes: must be a list of strings' % pointer,
                          pointer=pointer + '/removeAttributes')


def _patch(item: Doc, payload: Doc) -> None:
    if payload.get('price') is not None:
        item['price'] = payload['price']
    item.setdefault('attributes', {}).update(payload.get('attributes') or {})
    removed: List[str] = payload.get('removeAttributes') or []
    for name in removed:
        item['attributes'].pop(name, None)


def _apply(svc: Service, items: Dict[str, Doc], action: Doc, pointer: str) -> None:
    kind, payload = action['type'], action['payload']
    _check_fields(payload, pointer)
    if kind == 'ADD':
        sku = _sku(payload, pointer)
        if sku in items and not payload.get('replaceIfExists'):
            raise bad_request('%s/sku: item %r already exists (set replaceIfExists)'
                              % (pointer, sku), pointer=pointer + '/sku')
        items[sku] = {'sku': sku, 'catalogItemID': svc.next_id('catalogItem'),
                      'price': payload.get('price'), 'attributes': payload.get('attributes') or {}}
    elif kind == 'PATCH':
        sku = _sku(payload, pointer)
        if sku not in items:
            if not payload.get('createIfNotExists'):
                raise not_found('%s/sku: item %r not found' % (pointer, sku),
                                pointer=pointer + '/sku')
            items[sku] = {'sku': sku, 'catalogItemID': svc.next_id('catalogItem'),
                          'attributes': {}}
        _patch(items[sku], payload)
    elif kind == 'REMOVE':
        sku = _sku(payload, pointer)
        if sku not in items:
            raise not_found('%s/sku: item %r not found' % (pointer, sku), pointer=pointer + '/sku')
        del items[sku]
    else:
        matches = _filtered(items, payload.get('filters'), pointer)
        for sku in matches:
            if kind == 'PATCH_MANY':
                _patch(items[sku], payload)
            else:
                del items[sku]


def _filtered(items: Dict[str, Doc], raw: Any, pointer: str) -> List[str]:
    """The SKUs that match every filter of ``raw`` (the payload leaves it open: checked)."""
    if not isinstance(raw, list) or not raw:
        raise bad_request('%s/filters: is required and must be a non-empty list' % pointer,
                          pointer=pointer + '/filters')
    filters = as_list(raw)
    for index, raw_filter in enumerate(filters):
        where = '%s/filters/%d' % (pointer, index)
        item_filter = as_object(raw_filter) if isinstance(raw_filter, dict) else {}
        if not isinstance(item_filter.get('attr'), str):    # also when it is no object
            raise bad_request('%s/attr: is required' % where, pointer=where + '/attr')
        if item_filter.get('op') not in _FILTER_OPS:
            raise bad_request('%s/op: must be one of %s' % (where, ', '.join(_FILTER_OPS)),
                              pointer=where + '/op')
    return [sku for sku, item in sorted(items.items())
            if all(_matches(item, f) for f in filters)]


def _matches(item: Doc, item_filter: Doc) -> bool:
    name = item_filter['attr']
    actual = item.get(name) if name in ('sku', 'price') else item.get('attributes', {}).get(name)
    expected, op = item_filter.get('value'), item_filter['op']
    try:
        if op == 'EQ':
            return bool(actual == expected)
        if op == 'IN':
            return bool(actual in (expected or []))
        if actual is None:
            return False
        return bool({'LT': actual < expected, 'LE': actual <= expected,
                     'GT': actual > expected, 'GE': actual >= expected}[op])
    except TypeError:
        return False
