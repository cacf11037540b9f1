"""Audiences and memberships."""

from .http_client import assert_error


def _memberships(client, integration_id):
    body = client.get('/v1/customer_profiles/%s/inventory' % integration_id,
                      query={'profile': 'true'}).body
    return {a['id'] for a in body['profile']['audienceMemberships']}


def test_create_rename_delete(client):
    created = client.post('/v2/audiences', {'name': 'Rome', 'integration': 'mparticle',
                                            'integrationId': 'rome-1'})
    assert created.status == 201
    audience = created.body
    assert audience['name'] == 'Rome' and audience['id'] > 748
    assert audience['accountId'] == 1 and audience['created'].endswith('Z')
    duplicate = client.post('/v2/audiences', {'name': 'Rome 2', 'integrationId': 'rome-1'})
    assert_error(duplicate, 409)
    renamed = client.put('/v2/audiences/%d' % audience['id'], {'name': 'Roma'})
    assert renamed.status == 200 and renamed.body['name'] == 'Roma'
    assert client.delete('/v2/audiences/%d' % audience['id']).status == 204
    assert_error(client.delete('/v2/audiences/%d' % audience['id']), 404)
    assert_error(client.put('/v2/audiences/%d' % audience['id'], {'name': 'x'}), 404)
    assert_error(client.post('/v2/audiences', {'name': ''}), 400, pointer='/name')


def test_memberships(client):
    response = client.post('/v2/customer_audiences', {'data': [
        {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 748},
        {'action': 'delete', 'profileIntegrationId': 'R195412', 'audienceId': 7}]})
    assert response.status == 204
    assert _memberships(client, 'R195412') == {748}
    assert client.delete('/v2/audiences/748/memberships').status == 204
    assert _memberships(client, 'R195412') == set()
    assert _memberships(client, 'URNGV8294NV') == {2}
    assert_error(client.delete('/v2/audiences/999/memberships'), 404)


def test_membership_errors_change_nothing(client):
    response = client.post('/v2/customer_audiences', {'data': [
        {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 4},
        {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 999}]})
    assert_error(response, 404, pointer='/data/1/audienceId')
    assert _memberships(client, 'R195412') == {7}
    bad = client.post('/v2/customer_audiences', {'data': [
        {'action': 'join', 'profileIntegrationId': 'R195412', 'audienceId': 4}]})
    assert_error(bad, 400, pointer='/data/0/action')
    unknown = client.post('/v2/customer_audiences', {'data': [
        {'action': 'add', 'profileIntegrationId': 'NOBODY', 'audienceId': 4}]})
    assert_error(unknown, 404, pointer='/data/0/profileIntegrationId')


def test_deleted_audience_disappears_from_profiles(client):
    client.delete('/v2/audiences/748')
    assert _memberships(client, 'URNGV8294NV') == {2}


def test_audience_members_attributes(client):
    response = client.put('/v2/audience_customers/2/attributes', {'newsletter': True})
    assert response.status == 204
    for member in ('URNGV8294NV', 'BZGGC2454PA'):
        body = client.get('/v1/customer_profiles/%s/inventory' % member,
                          query={'profile': 'true'}).body
        assert body['profile']['attributes']['newsletter'] is True
    other = client.get('/v1/customer_profiles/R195412/inventory', query={'profile': 'true'}).body
    assert 'newsletter' not in other['profile']['attributes']
    assert_error(client.put('/v2/audience_customers/999/attributes', {'a': 1}), 404)


def test_audience_condition_follows_membership(client):
    cart = [{'sku': 'A', 'quantity': 1, 'price': 10}]
    before = client.session('S', profileId='R195412', cartItems=cart)
    assert not any(e['props'].get('name') == 'VIP bonus' for e in before.body['effects'])
    client.post('/v2/customer_audiences', {'data': [
        {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 748}]})
    after = client.session('S', profileId='R195412', cartItems=cart)
    assert any(e['props'].get('name') == 'VIP bonus' for e in after.body['effects'])
