"""The asyncio client against the local sandbox (real HTTP on 127.0.0.1, no mocks).

- Native asyncio flows: a checkout (profile, open session, coupon, close, balances, a
  return), errors as the same exception classes, ``aiter_pages`` against the sandbox's
  listings, ``summarize_effects`` of an async response, concurrent sessions on one client.
- Every end-to-end test of test_e2e_sandbox.py that takes the ``api`` fixture runs here
  again through an ``AsyncIntegrationApi`` (seen through ``support.aio.SyncView``).
"""

import asyncio
import inspect
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from support.aio import make_sync_view, require_aiohttp

require_aiohttp()

import talon_one  # noqa: E402
from talon_one.aio import AsyncApiClient, AsyncIntegrationApi, aiter_pages  # noqa: E402

import test_e2e_sandbox  # noqa: E402
from test_e2e_sandbox import (COUPON, PROFILE_PROGRAM, VIP_AUDIENCE, cart_item,  # noqa: E402
                              one_effect, session_request)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

for _name, _test in vars(test_e2e_sandbox).items():
    if (_name.startswith('test_') and callable(_test)
            and 'api' in inspect.signature(_test).parameters):
        globals()[_name] = _test


@pytest.fixture
def api(talon_sandbox):
    view, close = make_sync_view(talon_sandbox.configuration())
    yield view
    close()


def run(configuration, flow):
    """``await flow(api)`` on a new event loop, inside ``async with`` client and api."""
    async def go():
        async with AsyncApiClient(configuration) as client:
            async with AsyncIntegrationApi(client) as api:
                return await flow(api)
    return asyncio.run(go())


# -- flows --------------------------------------------------------------------------------

def test_async_checkout(talon_sandbox):
    customer, order = 'AIO-CUSTOMER-1', 'AIO-ORDER-1'
    content = ['customerSession', 'customerProfile', 'coupons', 'loyalty']

    async def flow(api):
        state = await api.update_customer_profile_v2(
            customer, talon_one.CustomerProfileIntegrationRequestV2(
                attributes={'Name': 'Eve'},
                audiences_changes=talon_one.ProfileAudiencesChanges(adds=[VIP_AUDIENCE],
                                                                    deletes=[])))
        assert {m.id for m in state.customer_profile.audience_memberships} == {VIP_AUDIENCE}
        session = talon_one.NewCustomerSessionV2(
            profile_id=customer, coupon_codes=[COUPON], state='open',
            cart_items=[cart_item('Air Glide', 'SKU1241028', 2, 100.0, 'shoes'),
                        cart_item('Running socks', 'SOCKS-01', 1, 10.0, 'socks')])
        state = await api.update_customer_session_v2(order, session_request(session, *content))
        assert isinstance(state, talon_one.IntegrationStateV2)
        assert one_effect(state.effects, 'acceptCoupon').props['value'] == COUPON
        summary = talon_one.summarize_effects(state)
        assert summary.price_to_pay < Decimal(210)
        assert [coupon.code for coupon in summary.accepted_coupons] == [COUPON]

        session.state = 'closed'
        state = await api.update_customer_session_v2(order, session_request(session, *content))
        assert state.customer_session.state == 'closed' and state.coupons[0].usage_counter == 1
        balances = await api.get_loyalty_balances(PROFILE_PROGRAM, customer)
        assert balances.balance.active_points == 21

        state = await api.return_cart_items(order, talon_one.ReturnIntegrationRequest(
            _return=talon_one.NewReturn(
                returned_cart_items=[talon_one.ReturnedCartItem(position=0, quantity=1)])))
        assert state.customer_session.state == 'partially_returned'
        data, status, headers = await api.get_customer_session_with_http_info(order)
        assert status == 200 and headers['Content-Type'].startswith('application/json')
        assert data.customer_session.state == 'partially_returned'
        return True

    assert run(talon_sandbox.configuration(), flow)


def test_async_errors_are_the_sync_exception_classes(talon_sandbox):
    async def flow(api):
        with pytest.raises(talon_one.NotFoundException) as missing:
            await api.get_customer_session('no-such-session')
        assert missing.value.status == 404 and missing.value.message
        with pytest.raises(talon_one.ApiValueError, match='quantity'):
            await api.update_customer_session_v2('s', talon_one.IntegrationRequest(
                customer_session=talon_one.NewCustomerSessionV2(
                    profile_id='p', cart_items=[talon_one.CartItem(
                        name='x', sku='y', quantity=0, price=1.0)])))
        with pytest.raises(talon_one.ApiTypeError, match='async_req'):
            await api.get_customer_session('s', async_req=True)
        return True

    assert run(talon_sandbox.configuration(), flow)
    wrong = talon_one.Configuration(host=talon_sandbox.url,
                                    api_key={'Authorization': 'not-the-key-123'})

    async def unauthorized(api):
        with pytest.raises(talon_one.UnauthorizedException) as caught:
            await api.get_customer_session('s')
        return 'not-the-key-123' not in str(caught.value) + repr(caught.value)
    assert run(wrong, unauthorized)


def test_aiter_pages_walks_every_page_like_iterate_pages(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        expected = [entry.to_wire() for entry in talon_one.IntegrationApi(
            client).get_loyalty_program_profile_transactions(125, 'URNGV8294NV',
                                                             page_size=50).data]

    async def flow(api):
        pages = []
        for page_size in (1, 2, 3):
            items = []
            async for entry in talon_one.aiter_pages(api.get_loyalty_program_profile_transactions,
                                                     125, 'URNGV8294NV', page_size=page_size):
                items.append(entry.to_wire())
            pages.append(items)
        return pages

    assert len(expected) > 3
    assert run(talon_sandbox.configuration(), flow) == [expected] * 3


def test_aiter_pages_checks_its_method_at_once(talon_sandbox):
    async def flow(api):
        with pytest.raises(talon_one.ApiTypeError, match='not a coroutine function'):
            aiter_pages(talon_one.IntegrationApi(talon_one.ApiClient()).get_loyalty_card_transactions,
                        324, 'c')
        with pytest.raises(talon_one.ApiTypeError, match='does not take `skip`'):
            aiter_pages(api.get_customer_session, 's')
        with pytest.raises(talon_one.ApiTypeError, match='_with_http_info'):
            aiter_pages(api.get_loyalty_card_transactions_with_http_info, 324, 'c')
        with pytest.raises(talon_one.ApiTypeError, match='coroutine function'):
            talon_one.iterate_pages(api.get_loyalty_card_transactions, 324, 'c')
        return True
    assert run(talon_sandbox.configuration(), flow)


def test_concurrent_sessions_on_one_client(talon_sandbox):
    async def flow(api):
        async def one(index):
            session = talon_one.NewCustomerSessionV2(
                profile_id='AIO-P%d' % index, coupon_codes=[COUPON],
                cart_items=[cart_item('Air Glide', 'SKU1241028', 1, 100.0, 'shoes')])
            state = await api.update_customer_session_v2('AIO-S%d' % index,
                                                         session_request(session))
            return talon_one.summarize_effects(state).price_to_pay
        return await asyncio.gather(*(one(index) for index in range(64)))
    prices = run(talon_sandbox.configuration(), flow)
    assert len(prices) == 64 and len(set(prices)) == 1 and prices[0] < 100


def test_a_deprecated_operation_warns_at_the_callers_line(talon_sandbox):
    async def flow(api):
        with pytest.warns(DeprecationWarning, match='deprecated') as caught:
            await api.get_reserved_coupons('URNGV8294NV')
        return caught[0].filename
    assert run(talon_sandbox.configuration(), flow) == __file__


# -- imports ------------------------------------------------------------------------------

def _python(code):
    return subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_import_talon_one_loads_neither_aiohttp_nor_the_aio_module():
    result = _python(
        'import sys, talon_one\n'
        'talon_one.aiter_pages\n'
        'print([m for m in ("aiohttp", "talon_one.aio", "talon_one._aio_client",'
        ' "talon_one.api.async_integration_api") if m in sys.modules])\n'
        'talon_one.AsyncApiClient\n'
        'print(sorted(m for m in ("aiohttp", "talon_one.aio") if m in sys.modules))\n'
        'print(talon_one.AsyncIntegrationApi is talon_one.aio.AsyncIntegrationApi)\n')
    assert result.stdout.split('\n')[:3] == ['[]', "['aiohttp', 'talon_one.aio']", 'True'], (
        result.stderr)


def test_without_aiohttp_the_import_error_says_what_to_install():
    result = _python(
        'import sys\n'
        'class Block:\n'
        '    def find_spec(self, name, path=None, target=None):\n'
        '        if name.split(".")[0] == "aiohttp":\n'
        '            raise ModuleNotFoundError("No module named %r" % name, name=name)\n'
        'sys.meta_path.insert(0, Block())\n'
        'import talon_one\n'
        'talon_one.Configuration(); talon_one.IntegrationApi\n'
        'for attempt in ("import talon_one.aio", "talon_one.AsyncApiClient"):\n'
        '    try:\n'
        '        exec(attempt)\n'
        '    except ImportError as error:\n'
        '        print(type(error).__name__, error)\n')
    lines = result.stdout.strip().split('\n')
    assert len(lines) == 2, result.stderr
    for line in lines:
        assert line.startswith('ImportError talon_one.aio needs aiohttp')
        assert "pip install 'talon_one[aio]'" in line



# -- the README ---------------------------------------------------------------------------

def test_the_readme_asyncio_example_runs_against_the_sandbox(talon_sandbox, capsys):
    from test_readme import BLOCKS, PLACEHOLDER_HOST, PLACEHOLDER_KEY
    code = next(code for heading, language, code in BLOCKS
                if heading == 'asyncio' and language == 'python')
    assert PLACEHOLDER_HOST in code and PLACEHOLDER_KEY in code
    code = code.replace(PLACEHOLDER_HOST, talon_sandbox.url).replace(
        PLACEHOLDER_KEY, talon_sandbox.api_key)
    exec(compile(code, 'README.md (asyncio)', 'exec'), {'__name__': '__readme__'})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) > 3
    assert Decimal(printed[0]) > 0          # the price to pay
