"""``python -m talon_one.sandbox.demo``: a real checkout flow through the SDK.

Starts an in-process sandbox with the example world and walks one customer
through profile, cart with coupon, discounts (free shipping too), closing, loyalty points,
balances, a custom event and a partial return, printing what happened.
"""

import signal
import sys
import threading
from typing import IO, Any, Dict, Iterable, List, Optional, TypeVar

import talon_one
from talon_one.sandbox.engine import DISCOUNT_TYPES
from talon_one.sandbox.runner import Sandbox

CUSTOMER = 'DEMO-CUSTOMER-1'
SESSION = 'DEMO-ORDER-1'
T = TypeVar('T')
ALL_CONTENT = ['customerSession', 'customerProfile', 'coupons', 'loyalty', 'triggeredCampaigns']


def describe(effect: talon_one.Effect) -> str:
    """One readable line for an effect."""
    props: Dict[str, Any] = effect.props or {}
    kind = effect.effect_type
    if kind == 'setDiscount':
        text = 'discount %-22s -%.2f' % (props['name'], props['value'])
    elif kind == 'setDiscountPerItem':
        text = 'item discount %-17s -%.2f on cart item %d' % (props['name'], props['value'],
                                                               props['position'])
    elif kind == 'setDiscountPerAdditionalCost':
        text = 'discount %-22s -%.2f on %s' % (
            props['name'], props['value'], props['additionalCost'])
    elif kind == 'setDiscountPerAdditionalCostPerItem':
        text = 'discount %-22s -%.2f on %s of cart item %d' % (
            props['name'], props['value'], props['additionalCost'], props['position'])
    elif kind == 'acceptCoupon':
        text = 'coupon %s accepted' % props['value']
    elif kind == 'rejectCoupon':
        text = 'coupon %s rejected (%s)' % (props['value'], props['rejectionReason'])
    elif kind == 'addFreeItem':
        text = 'free item: %s (%s)' % (props['name'], props['sku'])
    elif kind == 'addLoyaltyPoints':
        where = props.get('cardIdentifier') or 'program %s' % props['programId']
        sub = ' / %s' % props['subLedgerId'] if props.get('subLedgerId') else ''
        pending = ' (pending until %s)' % props['startDate'][:10] if props.get('startDate') else ''
        text = '+%g points %s: %s%s%s' % (props['value'], props['name'], where, sub, pending)
    elif kind == 'deductLoyaltyPoints':
        text = '-%g points: %s' % (props['value'], props['name'])
    elif kind == 'showNotification':
        text = 'notification "%s": %s' % (props['title'], props['body'])
    elif kind == 'customEffect':
        text = 'custom effect %s %s' % (props['name'], props.get('payload'))
    elif kind.startswith('rollback'):
        text = '%s %s' % (kind, props.get('name') or props.get('value'))
        if 'value' in props and props.get('name'):
            text = '%s %s: %g' % (kind, props['name'], props['value'])
        elif kind in ('rollbackAddedLoyaltyPoints', 'rollbackDeductedLoyaltyPoints'):
            text = '%s: %g points' % (kind, props['value'])
    else:
        text = '%s %s' % (kind, props)
    return '[campaign %s] %s' % (effect.campaign_id, text)


class Printer(object):
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def title(self, text: str) -> None:
        self.out.write('\n== %s\n' % text)

    def line(self, text: str = '') -> None:
        self.out.write('   %s\n' % text)

    def effects(self, effects: Optional[Iterable[talon_one.Effect]]) -> None:
        if not effects:
            self.line('(no effects)')
        for effect in effects or ():
            self.line(describe(effect))


def sent(value: Optional[T]) -> T:
    """A response field the sandbox always sends (the models type every field optional)."""
    if value is None:
        raise AssertionError('the sandbox left out a field it always sends')
    return value


def _balance_line(balances: talon_one.LoyaltyBalances) -> str:
    main = sent(balances.balance)
    text = 'active %g, pending %g, spent %g, expired %g' % (
        sent(main.active_points), sent(main.pending_points), sent(main.spent_points),
        sent(main.expired_points))
    for name, sub in sorted((balances.subledger_balances or {}).items()):
        text += '; %s active %g' % (name, sent(sub.active_points))
    return text


def run(api: talon_one.IntegrationApi, show: Printer) -> None:
    show.title('1. Customer profile %s joins the VIP audience' % CUSTOMER)
    # Every step answers with an IntegrationStateV2 (or a subclass of it): one name for all.
    state: talon_one.IntegrationStateV2 = api.update_customer_profile_v2(
        CUSTOMER, talon_one.CustomerProfileIntegrationRequestV2(
            attributes={'Name': 'Demo Customer', 'ShippingCity': 'Berlin'},
            audiences_changes=talon_one.ProfileAudiencesChanges(adds=[748], deletes=[])))
    profile = sent(state.customer_profile)
    show.line('profile id %s, audiences: %s' % (
        profile.id, ', '.join(str(a.name) for a in sent(profile.audience_memberships))))
    registration = talon_one.LoyaltyCardRegistration(integration_id=CUSTOMER)
    card = api.link_loyalty_card_to_profile(324, 'summer-loyalty-card-0544', registration)
    show.line('loyalty card %s linked (program %s)' % (card.identifier, card.program_id))

    show.title('2. Cart with a coupon (session %s, open)' % SESSION)
    cart = [
        talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=2, price=99.99,
                           category='shoes'),
        talon_one.CartItem(name='Running socks', sku='SOCKS-01', quantity=3, price=9.5,
                           category='socks'),
    ]
    session = talon_one.NewCustomerSessionV2(
        profile_id=CUSTOMER, coupon_codes=['XMAS-20-2021'], cart_items=cart,
        additional_costs={'shipping': talon_one.AdditionalCost(price=4.95)},
        loyalty_cards=['summer-loyalty-card-0544'], state='open')
    state = api.update_customer_session_v2(
        SESSION, talon_one.IntegrationRequest(customer_session=session,
                                              response_content=ALL_CONTENT))
    customer_session = sent(state.customer_session)
    show.line('cart items %.2f + additional costs %.2f = total %.2f' % (
        sent(customer_session.cart_item_total), sent(customer_session.additional_cost_total),
        sent(customer_session.total)))
    show.effects(state.effects)
    discount = sum(e.props['value'] for e in sent(state.effects)
                   if e.effect_type in DISCOUNT_TYPES)
    show.line('=> the customer pays %.2f (shipping is free from 150)' % (
        sent(customer_session.total) - discount))

    show.title('3. Checkout: close the session (coupon use and points are committed)')
    session.state = 'closed'
    state = api.update_customer_session_v2(
        SESSION, talon_one.IntegrationRequest(customer_session=session,
                                              response_content=ALL_CONTENT))
    show.line('session state: %s' % sent(state.customer_session).state)
    summary = talon_one.summarize_effects(state)    # every discount type, in Decimal cents
    show.line('price to pay (talon_one.summarize_effects): %s' % summary.price_to_pay)
    coupon = sent(state.coupons)[0]
    show.line('coupon %s used %d time(s)' % (coupon.value, coupon.usage_counter))
    closed = sent(state.customer_profile)
    show.line('profile: %d closed session(s), total sales %.2f' % (
        sent(closed.closed_sessions), sent(closed.total_sales)))
    show.line('triggered campaigns: %s' % ', '.join(
        str(c.name) for c in sent(state.triggered_campaigns)))

    show.title('4. Loyalty balances')
    balances = api.get_loyalty_balances(125, CUSTOMER)
    show.line('Shop points (125): ' + _balance_line(balances))
    card_balances = api.get_loyalty_card_balances(324, 'summer-loyalty-card-0544')
    show.line('Summer card (324): ' + _balance_line(card_balances))

    show.title('5. A custom event: the customer writes a review')
    state = api.track_event_v2(talon_one.IntegrationEventV2Request(
        type='review_written', profile_id=CUSTOMER, attributes={'stars': 5},
        response_content=['customerProfile', 'loyalty']), silent='no')
    show.effects(state.effects)
    show.line('Shop points now: %g active' % (
        sent(sent(sent(state.loyalty).programs)['125'].ledger).current_balance))

    show.title('6. Partial return: one pair of shoes comes back')
    returned = api.return_cart_items(SESSION, talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(returned_cart_items=[
            talon_one.ReturnedCartItem(position=0, quantity=1)])))
    show.line('session state: %s, return id %s' % (sent(returned.customer_session).state,
                                                   sent(returned._return).id))
    show.effects(returned.effects)

    show.title('7. Transactions of program 125 (newest first)')
    page = api.get_loyalty_program_profile_transactions(125, CUSTOMER, page_size=10)
    for entry in page.data:
        show.line('%-11s %7g  %s' % (entry.type, entry.amount, entry.name))
    balances = api.get_loyalty_balances(125, CUSTOMER)
    show.title('Summary')
    show.line('Shop points: ' + _balance_line(balances))
    show.line('Every call above went through talon_one.IntegrationApi to a local sandbox.')


def main(argv: Optional[List[str]] = None, out: Optional[IO[str]] = None) -> int:
    stream = out or sys.stdout
    keep_running = '--keep-running' in (argv or [])
    with Sandbox() as sandbox:
        stream.write('Talon.One sandbox running at %s (example world)\n' % sandbox.url)
        stream.write('Inspector page (asks for the API key): %s%s\n' % (
            sandbox.inspector_url, '' if keep_running else
            ' -- add --keep-running to browse it after the demo'))
        with talon_one.ApiClient(sandbox.configuration()) as client:
            run(talon_one.IntegrationApi(client), Printer(stream))
        if keep_running:
            _serve_until_interrupted(stream, sandbox.api_key)
    stream.flush()
    return 0


def _serve_until_interrupted(stream: IO[str], api_key: str) -> None:
    """Say "Serving until Ctrl+C" once Ctrl+C (SIGINT) and SIGTERM are handled, and wait.

    The handlers go in first: a signal sent as soon as the line is read must end the demo
    cleanly, even in a process started with SIGINT ignored (a background job), where
    Python's own KeyboardInterrupt handler is not installed.
    """
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {signum: signal.signal(signum, on_signal)
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        stream.write('\nServing until Ctrl+C; API key: %s\n' % api_key)
        stream.flush()
        while not stop.wait(1.0):   # wakes up for the handler even where waits are not
            pass                    # interrupted by signals
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
