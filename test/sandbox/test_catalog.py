"""Catalog sync actions."""

import pytest

from .http_client import assert_error

PATH = '/v1/catalogs/6/sync'


def test_sync_actions(client):
    response = client.put(PATH, {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'NEW-1', 'price': 5, 'attributes': {'color': 'red'}}},
        {'type': 'PATCH', 'payload': {'sku': 'SKU1241028', 'price': 89.99}},
        {'type': 'PATCH_MANY', 'payload': {'filters': [{'attr': 'color', 'op': 'EQ',
                                                        'value': 'white'}],
                                           'attributes': {'season': 'summer'}}},
        {'type': 'REMOVE', 'payload': {'sku': 'SKU1241029'}},
    ]})
    assert response.status == 200
    catalog = response.body
    assert catalog['id'] == 6 and catalog['version'] == 2
    assert set(catalog) >= {'created', 'accountId', 'modified', 'name', 'description',
                            'createdBy', 'version'}
    removed = client.put(PATH, {'actions': [
        {'type': 'REMOVE_MANY', 'payload': {'filters': [{'attr': 'price', 'op': 'LT',
                                                         'value': 10}]}}]})
    assert removed.body['version'] == 3


def test_catalog_state_after_sync(sandbox, client):
    client.put(PATH, {'actions': [
        {'type': 'PATCH_MANY', 'payload': {'filters': [{'attr': 'color', 'op': 'EQ',
                                                        'value': 'white'}],
                                           'attributes': {'season': 'summer'}}},
        {'type': 'REMOVE_MANY', 'payload': {'filters': [{'attr': 'price', 'op': 'LT',
                                                         'value': 10}]}}]})
    items = sandbox.store.get('catalog', 6)['items']
    assert sorted(items) == ['SKU1241028', 'SKU1241029']
    assert items['SKU1241028']['attributes']['season'] == 'summer'
    assert 'season' not in items['SKU1241029']['attributes']


def test_sync_is_all_or_nothing(sandbox, client):
    response = client.put(PATH, {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'NEW-1', 'price': 5}},
        {'type': 'PATCH', 'payload': {'sku': 'MISSING', 'price': 1}}]})
    assert_error(response, 404, pointer='/actions/1/payload/sku')
    catalog = sandbox.store.get('catalog', 6)
    assert catalog['version'] == 1 and 'NEW-1' not in catalog['items']


def test_sync_errors(client):
    assert_error(client.put('/v1/catalogs/99/sync', {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'A'}}]}), 404)
    assert_error(client.put(PATH, {'actions': []}), 400, pointer='/actions')
    assert_error(client.put(PATH, {'actions': [{'type': 'UPSERT', 'payload': {}}]}), 400,
                 pointer='/actions/0/type')
    assert_error(client.put(PATH, {'actions': [{'type': 'ADD', 'payload': {}}]}), 400,
                 pointer='/actions/0/payload/sku')
    assert_error(client.put(PATH, {'actions': [{'type': 'ADD', 'payload': {'sku': 'SOCKS-01'}}]}),
                 400, pointer='/actions/0/payload/sku')
    assert_error(client.put(PATH, {'actions': [{'type': 'REMOVE_MANY', 'payload': {}}]}), 400,
                 pointer='/actions/0/payload/filters')
    assert_error(client.put(PATH, {'version': 7, 'actions': [
        {'type': 'ADD', 'payload': {'sku': 'A'}}]}), 400, pointer='/version')
    ok = client.put(PATH, {'version': 1, 'actions': [
        {'type': 'ADD', 'payload': {'sku': 'SOCKS-01', 'price': 3, 'replaceIfExists': True}},
        {'type': 'PATCH', 'payload': {'sku': 'B', 'createIfNotExists': True, 'price': 2}}]})
    assert ok.status == 200 and ok.body['version'] == 2


@pytest.mark.parametrize('removed', [5, [{}], 'color'])
def test_remove_attributes_must_be_a_list_of_names(sandbox, client, removed):
    before = sandbox.store.get('catalog', 6)
    response = client.put(PATH, {'actions': [{'type': 'PATCH', 'payload': {
        'sku': 'SOCKS-01', 'removeAttributes': removed}}]})
    assert_error(response, 400, pointer='/actions/0/payload/removeAttributes')
    assert sandbox.store.get('catalog', 6) == before


def test_synced_catalog_item_fills_missing_price_and_attributes(client):
    synced = client.put(PATH, {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'SCARF-9', 'price': 12.5,
                                    'attributes': {'color': 'blue', 'fabric': 'wool'}}}]})
    assert synced.status == 200
    response = client.session('CATALOG-CART', cartItems=[
        {'sku': 'SCARF-9', 'quantity': 2, 'attributes': {'color': 'green'}},
        {'sku': 'SCARF-9', 'quantity': 1, 'price': 10}])
    assert response.status == 200, response
    session = response.body['customerSession']
    assert session['cartItemTotal'] == 35          # 12.5 x 2 from the catalog + 10 x 1
    first, second = session['cartItems']
    assert first['price'] == 12.5
    assert first['attributes'] == {'color': 'green', 'fabric': 'wool'}   # the cart's value wins
    assert second['price'] == 10


def test_removed_catalog_item_no_longer_fills_prices(client):
    client.put(PATH, {'actions': [{'type': 'ADD', 'payload': {'sku': 'GONE-1', 'price': 7}}]})
    client.put(PATH, {'actions': [{'type': 'REMOVE', 'payload': {'sku': 'GONE-1'}}]})
    response = client.session('CATALOG-GONE', cartItems=[{'sku': 'GONE-1', 'quantity': 1}])
    assert response.body['customerSession']['cartItemTotal'] == 0
