"""The Integration API routes: method, path template, the operation that answers it.

Adding an operation: write it in the ops/ module of its domain (a function of a ``Service``
and a ``Request``) and add its line here.
"""

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from talon_one.sandbox.errors import SandboxError, bad_request
from talon_one.sandbox.ops import (achievements, advanced_events, audiences, campaigns,
                                   catalogs, codes, customer_data, events, inventory, loyalty,
                                   prices, profiles, returns, sessions)
from talon_one.sandbox.ops import loyalty_cards, loyalty_members, loyalty_points
from talon_one.sandbox.ops.service import Operation

# (method, path template, handler, takes a body). Templates use {name} for a
# string segment and {name:int} for an integer one.
ROUTES: Tuple[Tuple[str, str, Operation, bool], ...] = (
    ('POST', '/v1/best_prior_price', prices.best_prior_price, True),
    ('GET', '/v1/customer_profiles/{integrationId}/achievements',
     achievements.get_customer_achievements, False),
    ('GET', '/v1/customer_profiles/{integrationId}/achievements/{achievementId:int}',
     achievements.get_customer_achievement_history, False),
    ('GET', '/v1/integration/campaigns', campaigns.integration_get_all_campaigns, False),
    ('POST', '/v3/events', advanced_events.track_event_v3, True),
    ('GET', '/v3/events/{integrationId}', advanced_events.get_event_v3, False),
    ('PUT', '/v1/catalogs/{catalogId:int}/sync', catalogs.sync_catalog, True),
    ('GET', '/v1/coupon_reservations/coupons/{integrationId}', codes.get_reserved_coupons, False),
    ('GET', '/v1/coupon_reservations/customerprofiles/{couponValue}',
     codes.get_reserved_customers, False),
    ('DELETE', '/v1/coupon_reservations/{couponValue}', codes.delete_coupon_reservation, True),
    ('POST', '/v1/coupon_reservations/{couponValue}', codes.create_coupon_reservation, True),
    ('DELETE', '/v1/customer_data/{integrationId}', customer_data.delete_customer_data, False),
    ('PUT', '/v1/customer_profiles/{integrationId}', profiles.update_customer_profile_v1, True),
    ('GET', '/v1/customer_profiles/{integrationId}/inventory',
     inventory.get_customer_inventory, False),
    ('PUT', '/v1/customer_sessions/{customerSessionId}',
     sessions.update_customer_session_v1, True),
    ('POST', '/v1/events', events.track_event_v1, True),
    ('POST', '/v1/loyalty_programs/{loyaltyProgramId:int}/activate_points',
     loyalty_points.activate_loyalty_points, True),
    ('POST', '/v1/loyalty_programs/{loyaltyProgramId:int}/cards',
     loyalty_cards.generate_loyalty_card, True),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/cards/{loyaltyCardId}/balances',
     loyalty.get_loyalty_card_balances, False),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/cards/{loyaltyCardId}/points',
     loyalty_points.get_loyalty_card_points, False),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/cards/{loyaltyCardId}/transactions',
     loyalty.get_loyalty_card_transactions, False),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/profile/{integrationId}/balances',
     loyalty.get_loyalty_balances, False),
    ('POST',
     '/v1/loyalty_programs/{loyaltyProgramId:int}/profile/{integrationId}/delete_transactions',
     loyalty_members.delete_loyalty_transactions_from_ledgers, True),
    ('POST', '/v1/loyalty_programs/{loyaltyProgramId:int}/profile/{integrationId}/join',
     loyalty_members.join_loyalty_program, False),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/profile/{integrationId}/points',
     loyalty_points.get_loyalty_program_profile_points, False),
    ('GET', '/v1/loyalty_programs/{loyaltyProgramId:int}/profile/{integrationId}/transactions',
     loyalty.get_loyalty_program_profile_transactions, False),
    ('POST', '/v1/referrals', codes.create_referral, True),
    ('POST', '/v1/referrals_for_multiple_advocates',
     codes.create_referrals_for_multiple_advocates, True),
    ('PUT', '/v2/audience_customers/{audienceId:int}/attributes',
     audiences.update_audience_customers_attributes, True),
    ('POST', '/v2/audiences', audiences.create_audience_v2, True),
    ('DELETE', '/v2/audiences/{audienceId:int}', audiences.delete_audience_v2, False),
    ('PUT', '/v2/audiences/{audienceId:int}', audiences.update_audience_v2, True),
    ('DELETE', '/v2/audiences/{audienceId:int}/memberships',
     audiences.delete_audience_memberships_v2, False),
    ('POST', '/v2/customer_audiences', audiences.update_customer_profile_audiences, True),
    ('PUT', '/v2/customer_profiles', profiles.update_customer_profiles_v2, True),
    ('PUT', '/v2/customer_profiles/{integrationId}', profiles.update_customer_profile_v2, True),
    ('GET', '/v2/customer_sessions/{customerSessionId}', sessions.get_customer_session, False),
    ('PUT', '/v2/customer_sessions/{customerSessionId}',
     sessions.update_customer_session_v2, True),
    ('PUT', '/v2/customer_sessions/{customerSessionId}/reopen',
     sessions.reopen_customer_session, False),
    ('POST', '/v2/customer_sessions/{customerSessionId}/returns',
     returns.return_cart_items, True),
    ('POST', '/v2/events', events.track_event_v2, True),
    ('POST', '/v2/loyalty_programs/{loyaltyProgramId:int}/cards/{loyaltyCardId}/link_profile',
     loyalty.link_loyalty_card_to_profile, True),
    ('POST', '/v2/loyalty_programs/{loyaltyProgramId:int}/cards/{loyaltyCardId}/unlink_profile',
     loyalty_cards.unlink_loyalty_card_from_profile, True),
)


class Route(object):
    def __init__(self, method: str, template: str, handler: Operation, has_body: bool) -> None:
        self.method = method
        self.template = template
        self.handler = handler
        self.has_body = has_body
        self.segments = template.strip('/').split('/')
        self.v1 = template.startswith('/v1/')

    def match(self, segments: Sequence[str]) -> Optional[Dict[str, Tuple[str, str]]]:
        """Path parameters when ``segments`` (decoded) fit, else None."""
        if len(segments) != len(self.segments):
            return None
        params: Dict[str, Tuple[str, str]] = {}
        for pattern, value in zip(self.segments, segments):
            if pattern.startswith('{'):
                name, _, kind = pattern[1:-1].partition(':')
                if value == '':
                    return None
                params[name] = (value, kind)
            elif pattern != value:
                return None
        return params

    def convert(self, params: Dict[str, Tuple[str, str]]) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for name, (value, kind) in params.items():
            if kind == 'int':
                try:
                    out[name] = int(value)
                except ValueError:
                    raise bad_request('path parameter %s: must be an integer, got %r'
                                      % (name, value), parameter=name) from None
            else:
                out[name] = value
        return out


COMPILED = tuple(Route(*route) for route in ROUTES)


def _index(compiled: Iterable[Route]) -> Dict[Tuple[Any, ...], List[Route]]:
    """Routes by (segment count, first two segments): every template starts with two
    literal segments, so a request is matched against a handful of routes, not all of them."""
    index: Dict[Tuple[Any, ...], List[Route]] = {}
    for route in compiled:
        assert not any(s.startswith('{') for s in route.segments[:2]), route.template
        key = (len(route.segments),) + tuple(route.segments[:2])
        index.setdefault(key, []).append(route)
    return index


_BY_PREFIX = _index(COMPILED)


class MethodNotAllowed(SandboxError):
    """405, with the methods the path does take (for the ``Allow`` header)."""

    def __init__(self, method: str, allowed: Iterable[str]) -> None:
        self.allowed = sorted(set(allowed))
        super().__init__(405, 'method %s not allowed here (allowed: %s)'
                         % (method, ', '.join(self.allowed)), title='Method not allowed')


def resolve(method: str, segments: List[str]) -> Tuple[Route, Dict[str, Any]]:
    """(route, params) for a request; 404 / 405 errors otherwise. HEAD runs the GET route."""
    wanted = 'GET' if method == 'HEAD' else method
    allowed: List[str] = []
    for route in _BY_PREFIX.get((len(segments),) + tuple(segments[:2]), ()):
        params = route.match(segments)
        if params is None:
            continue
        if route.method == wanted:
            return route, route.convert(params)
        allowed.append(route.method)
        if route.method == 'GET':
            allowed.append('HEAD')
    if allowed:
        raise MethodNotAllowed(method, allowed)
    raise SandboxError(404, 'no such route: %s /%s' % (method, '/'.join(segments)),
                       title='Not found')
