"""``talon_one.iterate_pages``: every item of a skip / page_size / has_more listing."""

import pytest

import talon_one

CARD_PATH = '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/transactions'


@pytest.fixture
def api(make_api_client):
    return talon_one.IntegrationApi(make_api_client())


def _page(ids, has_more):
    return {'hasMore': has_more, 'data': [{'id': i, 'amount': i * 10.0} for i in ids]}


def _card_items(api, **kwargs):
    return talon_one.iterate_pages(api.get_loyalty_card_transactions, 324,
                                   'summer-loyalty-card-0543', **kwargs)


def test_requests_go_skip_0_then_skip_n_until_has_more_is_false(http_server, api):
    http_server.respond(200, _page([1, 2], True))
    http_server.respond(200, _page([3, 4], True))
    http_server.respond(200, _page([5], False))

    items = list(_card_items(api, page_size=2, subledger_id='sub-1'))

    assert [item.id for item in items] == [1, 2, 3, 4, 5]
    assert isinstance(items[0], talon_one.CardLedgerTransactionLogEntryIntegrationAPI)
    assert [(r.method, r.path) for r in http_server.requests] == [('GET', CARD_PATH)] * 3
    assert [r.query_list for r in http_server.requests] == [
        [('subledgerId', 'sub-1'), ('pageSize', '2'), ('skip', '0')],
        [('subledgerId', 'sub-1'), ('pageSize', '2'), ('skip', '2')],
        [('subledgerId', 'sub-1'), ('pageSize', '2'), ('skip', '4')],
    ]


def test_without_page_size_skip_follows_the_items_received(http_server, api):
    http_server.respond(200, _page([1, 2, 3], True))
    http_server.respond(200, _page([4], False))

    assert [item.id for item in _card_items(api)] == [1, 2, 3, 4]
    assert [r.query_list for r in http_server.requests] == [[('skip', '0')], [('skip', '3')]]


def test_a_given_skip_is_the_starting_point(http_server, api):
    http_server.respond(200, _page([6], False))

    assert [item.id for item in _card_items(api, skip=5, page_size=1)] == [6]
    assert http_server.requests[0].query['skip'] == ['5']


def test_an_empty_page_stops_even_if_has_more_says_otherwise(http_server, api):
    http_server.respond(200, _page([1], True))
    http_server.respond(200, _page([], True))

    assert [item.id for item in _card_items(api, page_size=1)] == [1]
    assert [r.query['skip'] for r in http_server.requests] == [['0'], ['1']]


def test_a_missing_has_more_is_taken_as_the_last_page(http_server, api):
    http_server.respond(200, {'data': [{'id': 1}]})

    assert [item.id for item in _card_items(api)] == [1]
    assert len(http_server.requests) == 1


def test_pages_are_fetched_as_the_loop_consumes_them(http_server, api):
    http_server.respond(200, _page([1], True))
    http_server.respond(200, _page([2], False))

    items = _card_items(api, page_size=1)
    assert http_server.requests == []
    assert next(items).id == 1
    assert len(http_server.requests) == 1
    assert next(items).id == 2
    assert len(http_server.requests) == 2


def test_an_error_on_a_later_page_propagates(http_server, api):
    http_server.respond(200, _page([1], True))
    http_server.respond(404, {'message': 'Card not found'})

    items = _card_items(api, page_size=1)
    assert next(items).id == 1
    with pytest.raises(talon_one.NotFoundException):
        next(items)


def test_methods_without_skip_are_rejected_before_any_request(http_server, api):
    with pytest.raises(talon_one.ApiTypeError, match=r'get_customer_session does not take `skip`'):
        talon_one.iterate_pages(api.get_customer_session, '175KJPS947296')
    with pytest.raises(TypeError, match='_with_http_info'):
        talon_one.iterate_pages(api.get_loyalty_card_transactions_with_http_info, 324, 'c')
    with pytest.raises(talon_one.ApiTypeError, match='async_req'):
        talon_one.iterate_pages(api.get_loyalty_card_transactions, 324, 'c', async_req=True)
    with pytest.raises(talon_one.ApiTypeError, match='bound API method'):
        talon_one.iterate_pages('get_loyalty_card_transactions', 324, 'c')
    assert http_server.requests == []


def test_bad_arguments_fail_at_the_first_page_like_a_direct_call(http_server, api):
    with pytest.raises(talon_one.ApiValueError, match='page_size'):
        next(_card_items(api, page_size=0))
    with pytest.raises(talon_one.ApiTypeError, match="'colour'"):
        next(_card_items(api, colour='red'))
    assert http_server.requests == []


# -- against the sandbox ----------------------------------------------------------------

@pytest.mark.parametrize('page_size', [1, 2, 3])
def test_sandbox_profile_transactions_page_by_page_equal_one_big_page(talon_sandbox,
                                                                      page_size):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        api = talon_one.IntegrationApi(client)
        everything = api.get_loyalty_program_profile_transactions(125, 'URNGV8294NV',
                                                                  page_size=50)
        paged = list(talon_one.iterate_pages(api.get_loyalty_program_profile_transactions,
                                             125, 'URNGV8294NV', page_size=page_size))

    assert everything.has_more is False
    assert len(everything.data) > 3          # several pages at every size tried
    assert [entry.to_wire() for entry in paged] == [entry.to_wire() for entry in everything.data]


def _achievements_page(ids, total):
    return {'totalResultSize': total,
            'data': [{'id': i, 'name': 'a%d' % i, 'title': 'A', 'description': '',
                      'campaignId': 1, 'target': 5.0, 'progress': 1.0,
                      'status': 'inprogress'} for i in ids]}


def test_a_counted_listing_stops_when_skip_reaches_the_total(http_server, api):
    # get_customer_achievements answers with totalResultSize instead of hasMore.
    http_server.respond(200, _achievements_page([1, 2], 5))
    http_server.respond(200, _achievements_page([3, 4], 5))
    http_server.respond(200, _achievements_page([5], 5))

    items = list(talon_one.iterate_pages(api.get_customer_achievements, 'URNGV8294NV',
                                         page_size=2))

    assert [item.id for item in items] == [1, 2, 3, 4, 5]
    assert [r.query_list[-1] for r in http_server.requests] == [
        ('skip', '0'), ('skip', '2'), ('skip', '4')]


def test_a_counted_listing_without_its_count_is_one_page(http_server, api):
    http_server.respond(200, {'data': _achievements_page([1, 2], 9)['data']})
    http_server.respond(200, _achievements_page([3], 9))

    items = list(talon_one.iterate_pages(api.get_customer_achievements, 'URNGV8294NV'))

    assert [item.id for item in items] == [1, 2]
    assert len(http_server.requests) == 1
