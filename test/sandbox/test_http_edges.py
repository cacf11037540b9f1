"""Auth, routing, limits and malformed input, over real HTTP."""

import copy
import json
import socket

from talon_one.sandbox import Sandbox
from talon_one.sandbox.http import auth
from talon_one.sandbox import world as world_module

from .http_client import Client, assert_error

CART = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 99.99, 'category': 'shoes'}]


def test_missing_authorization_is_401(client):
    response = client.get('/v2/customer_sessions/175KJPS947296', auth=False)
    assert_error(response, 401)


def test_wrong_api_key_is_401(client):
    response = client.get('/v2/customer_sessions/175KJPS947296',
                          headers={'Authorization': 'ApiKey-v1 wrong-key'})
    assert_error(response, 401)
    assert b'wrong-key' not in response.raw


def test_key_without_prefix_is_401(client, sandbox):
    response = client.get('/v2/customer_sessions/175KJPS947296',
                          headers={'Authorization': sandbox.api_key})
    assert_error(response, 401)


def test_api_key_given_on_the_command_line_replaces_the_worlds():
    with Sandbox(api_key='my-own-key') as sandbox:
        ok = Client(sandbox.url, 'my-own-key').get('/v2/customer_sessions/175KJPS947296')
        old = Client(sandbox.url, 'sandbox-api-key').get('/v2/customer_sessions/175KJPS947296')
    assert ok.status == 200
    assert old.status == 401


def _signed_world():
    with open(world_module.EXAMPLE_WORLD) as handle:
        data = json.load(handle)
    data = copy.deepcopy(data)
    data['application']['applicationKey'] = '0123456789abcdef0123456789abcdef'
    return data


def test_content_signature_authenticates_v1_routes():
    with Sandbox(world=_signed_world()) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        body = json.dumps({'integrationIDs': ['URNGV8294NV']}).encode()
        signature = auth.signature_of(body, '0123456789abcdef0123456789abcdef')
        good = client.post('/v1/coupon_reservations/XMAS-20-2021', raw=body, auth=False,
                           headers={'Content-Signature': 'signer=1; signature=' + signature})
        bad = client.post('/v1/coupon_reservations/XMAS-20-2021', raw=body, auth=False,
                          headers={'Content-Signature': 'signer=1; signature=00ff'})
        other = {'Content-Signature': 'signer=2; signature=' + signature}
        wrong_signer = client.post('/v1/coupon_reservations/XMAS-20-2021', raw=body, auth=False,
                                   headers=other)
        tampered = client.post('/v1/coupon_reservations/XMAS-20-2021', raw=body + b' ',
                               auth=False,
                               headers={'Content-Signature': 'signer=1; signature=' + signature})
        v2 = client.put('/v2/customer_profiles/X1', raw=body, auth=False,
                        headers={'Content-Signature': 'signer=1; signature=' + signature})
    assert good.status == 201
    assert_error(bad, 401)
    assert_error(wrong_signer, 401)
    assert_error(tampered, 401)
    assert_error(v2, 401)          # v2 routes accept only the API key


def test_non_ascii_signature_is_401():
    with Sandbox(world=_signed_world()) as sandbox:
        response = Client(sandbox.url, sandbox.api_key).post(
            '/v1/coupon_reservations/XMAS-20-2021', {'integrationIDs': ['URNGV8294NV']},
            auth=False, headers={'Content-Signature': 'signer=1; signature=\xe9'})
    assert_error(response, 401)


def test_negative_content_length_is_400(sandbox):
    with socket.create_connection(sandbox.server.server_address[:2], timeout=10) as conn:
        conn.sendall(b'PUT /v2/customer_profiles/P1 HTTP/1.1\r\nHost: sandbox\r\n'
                     b'Authorization: ApiKey-v1 ' + sandbox.api_key.encode() +
                     b'\r\nContent-Length: -5\r\n\r\n{}')
        answer = b''
        while b'\r\n\r\n' not in answer:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b'HTTP/1.1 400 ')
    assert b'Connection: close' in answer


def test_unknown_route_is_404(client):
    assert_error(client.get('/v2/nothing_here'), 404)
    assert_error(client.get('/v3/customer_sessions/x'), 404)


def test_wrong_method_is_405(client):
    assert_error(client.call('PATCH', '/v2/customer_sessions/175KJPS947296'), 405)
    assert_error(client.get('/v2/audiences'), 405)


def test_body_over_the_limit_is_413():
    with Sandbox(max_body=1024) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        big = {'customerSession': {'attributes': {'blob': 'x' * 2000}}}
        response = client.put('/v2/customer_sessions/BIG', big)
        after = client.get('/v2/customer_sessions/BIG')
    assert_error(response, 413)
    assert_error(after, 404)       # nothing was written


def test_malformed_json_is_400(client):
    response = client.put('/v2/customer_sessions/S', raw=b'{"customerSession": ')
    assert_error(response, 400, pointer='')
    assert 'JSON' in response.body['message']


def test_a_byte_order_mark_is_named(client):
    response = client.put('/v2/customer_sessions/S',
                          raw=b'\xef\xbb\xbf{"customerSession": {"profileId": "P"}}')
    assert_error(response, 400, pointer='')
    assert 'Unexpected UTF-8 BOM' in response.body['message']


def test_missing_body_is_400(client):
    assert_error(client.put('/v2/customer_sessions/S', raw=b''), 400)


def test_schema_violation_names_the_field(client):
    items = [dict(CART[0]), dict(CART[0], quantity=0)]
    response = client.session('S-BAD', cartItems=items)
    assert_error(response, 400, pointer='/customerSession/cartItems/1/quantity')
    assert '>= 1' in response.body['message']
    assert_error(client.get('/v2/customer_sessions/S-BAD'), 404)


def test_wrong_types_and_required_fields(client):
    assert_error(client.put('/v2/customer_sessions/S', {}), 400, pointer='/customerSession')
    assert_error(client.session('S', cartItems=[{'quantity': 1}]), 400,
                 pointer='/customerSession/cartItems/0/sku')
    assert_error(client.session('S', couponCodes='XMAS'), 400,
                 pointer='/customerSession/couponCodes')
    assert_error(client.session('S', state='done'), 400, pointer='/customerSession/state')
    assert_error(client.session('S', identifiers=['a'] * 6), 400,
                 pointer='/customerSession/identifiers')
    assert_error(client.put('/v2/customer_sessions/S', {'customerSession': {},
                                                          'responseContent': ['everything']}),
                 400, pointer='/responseContent/0')
    assert_error(client.put('/v2/customer_sessions/S', [1, 2]), 400)
    assert_error(client.post('/v2/events', {'type': ''}), 400, pointer='/type')
    assert_error(client.post('/v2/events', {'type': 'x', 'profileId': 7}), 400,
                 pointer='/profileId')


def test_bad_query_and_path_parameters_are_400(client):
    response = client.get('/v1/loyalty_programs/abc/profile/URNGV8294NV/balances')
    assert_error(response, 400)
    assert response.body['errors'][0]['source']['parameter'] == 'loyaltyProgramId'
    response = client.session('S', query={'dry': 'maybe'})
    assert_error(response, 400)
    response = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                          query={'endDate': 'yesterday'})
    assert_error(response, 400)
    response = client.put('/v2/customer_profiles', {'customerProfiles': []},
                          query={'silent': 'maybe'})
    assert_error(response, 400)


def test_nan_is_not_json(client):
    response = client.put('/v2/customer_sessions/S', raw=b'{"customerSession": {"attributes": '
                                                          b'{"x": NaN}}}')
    assert_error(response, 400)


def test_bad_requests_leave_the_server_working(client):
    for raw in (b'\xff\xfe', b'[', b'null', b'"text"', b'{"customerSession": null}'):
        assert client.put('/v2/customer_sessions/S', raw=raw).status == 400
    assert client.get('/v2/customer_sessions/175KJPS947296').status == 200


def test_path_parameters_are_percent_decoded(client):
    response = client.session('order/with space', cartItems=CART)
    assert response.status == 200
    assert response.body['customerSession']['integrationId'] == 'order/with space'
    assert client.get('/v2/customer_sessions/order%2Fwith%20space').status == 200
