"""Customer profile documents, as every domain uses them: made on first use, found, viewed."""

import datetime
from typing import List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import not_found
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.carts import num
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes


def ensure_profile(svc: Service, changes: Changes, integration_id: str,
                   now: datetime.datetime) -> Doc:
    """The profile, created when it does not exist yet (the API makes profiles on use)."""
    doc = changes.get('profile', integration_id)
    if doc is None:
        stamp = timeutil.fmt(now)
        doc = changes.put('profile', integration_id, {
            'id': svc.next_id('profile'), 'created': stamp,
            'integrationId': integration_id, 'attributes': {},
            'accountId': svc.world.account_id, 'closedSessions': 0, 'totalSales': 0,
            'lastActivity': stamp, 'loyaltyMemberships': []})
    return doc


def touch_profile(changes: Changes, profile: Doc, now: datetime.datetime) -> None:
    profile['lastActivity'] = timeutil.fmt(now)
    changes.put('profile', profile['integrationId'], profile)


def require_profile(changes: Changes, integration_id: str,
                    pointer: Optional[str] = None) -> Doc:
    doc = changes.get('profile', integration_id)
    if doc is None:
        raise not_found('customer profile %r not found' % integration_id, pointer=pointer)
    return doc


def profile_of(changes: Changes, session: Doc) -> Optional[Doc]:
    """The profile of a session, if it names one."""
    return changes.get('profile', session['profileId']) if session.get('profileId') else None


def audiences_of(changes: Changes, integration_id: str) -> List[Doc]:
    """The audience documents ``integration_id`` is a member of (shared: read only)."""
    return sorted((a for a in changes.view('audience')
                   if integration_id in a.get('members', [])), key=lambda a: a['id'])


def audience_ids(changes: Changes, profile: Optional[Doc]) -> List[int]:
    """The ids of the audiences the rules see ``profile`` in (none without a profile)."""
    if profile is None:
        return []
    return [a['id'] for a in audiences_of(changes, profile['integrationId'])]


def profile_view(changes: Changes, profile: Doc) -> Doc:
    return views.profile(profile, audiences_of(changes, profile['integrationId']))


def add_sales(changes: Changes, profile: Doc, amount: float) -> None:
    """Add ``amount`` (negative: take it off) to the profile's total sales."""
    profile['totalSales'] = num(round(float(profile.get('totalSales', 0)) + amount, 2))
    changes.put('profile', profile['integrationId'], profile)
