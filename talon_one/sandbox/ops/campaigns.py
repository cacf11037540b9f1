"""The running campaigns as integrations see them (IntegrationCampaign), with the spec's
filters: campaign ids, start and end windows, linked store and audience."""

import datetime
from typing import Iterable, List, Optional, Set

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import is_running
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.ops.views import campaign_features

# IntegrationCampaign.features takes these (Campaign's also has advancedEvents).
_FEATURES = ('coupons', 'referrals', 'loyalty', 'giveaways', 'strikethrough', 'achievements')


def _audiences_in(conditions: Iterable[Doc], found: Set[int]) -> None:
    for condition in conditions:
        if condition['type'] == 'audience':
            found.add(condition['audienceId'])
        elif condition['type'] == 'any':
            _audiences_in(condition['conditions'], found)
        elif condition['type'] == 'not':
            _audiences_in([condition['condition']], found)


def linked_audiences(campaign: Doc) -> List[int]:
    """The audiences a campaign's rules test or change membership of."""
    found: Set[int] = set(campaign.get('linkedAudienceIds', []))
    for rule in campaign.get('rules', []):
        _audiences_in(rule.get('conditions', []), found)
        found.update(e['audienceId'] for e in rule.get('effects', [])
                     if e['type'] in ('addToAudience', 'removeFromAudience'))
    return sorted(found)


def integration_campaign(svc: Service, campaign: Doc) -> Doc:
    body: Doc = {'id': campaign['id'], 'applicationId': svc.world.application_id,
                 'name': campaign['name'], 'description': campaign.get('description', ''),
                 'attributes': campaign.get('attributes', {}), 'state': 'enabled',
                 'tags': campaign.get('tags', []),
                 'features': [f for f in campaign_features(campaign) if f in _FEATURES],
                 'rules': [{'title': r['title']} for r in campaign.get('rules', [])],
                 'linkedStoreIds': campaign.get('linkedStoreIds', []),
                 'linkedAudienceIds': linked_audiences(campaign)}
    for name in ('startTime', 'endTime'):
        if campaign.get(name):
            body[name] = campaign[name]
    return body


def _within(value: Optional[str], after: Optional[datetime.datetime],
            before: Optional[datetime.datetime], missing: bool) -> bool:
    """``value`` (a date-time) lies in [after, before]; a campaign without it counts as
    ``missing`` (no start: started long ago; no end: never ends) under any bound."""
    if after is None and before is None:
        return True
    if not value:
        return missing
    at = timeutil.parse(value)
    return (after is None or at >= after) and (before is None or at <= before)


def integration_get_all_campaigns(svc: Service, req: Request) -> Answer:
    size = req.integer('pageSize', 50, minimum=1, maximum=1000)
    skip = req.integer('skip', 0, minimum=0)
    ids = req.ints('campaignIds')
    start_after, start_before = req.date_time('startAfter'), req.date_time('startBefore')
    end_after, end_before = req.date_time('endAfter'), req.date_time('endBefore')
    store_id = req.integer('storeId', 0) if req.query.get('storeId') else None
    audience_id = req.integer('audienceId', 0) if req.query.get('audienceId') else None
    now = svc.now()
    found: List[Doc] = []
    for campaign_id, campaign in sorted(svc.world.campaigns.items()):
        if not is_running(campaign, now) or (ids is not None and campaign_id not in ids):
            continue
        if not _within(campaign.get('startTime'), start_after, start_before,
                       start_after is None) or \
                not _within(campaign.get('endTime'), end_after, end_before, end_before is None):
            continue
        if store_id is not None and store_id not in campaign.get('linkedStoreIds', []):
            continue
        if audience_id is not None and audience_id not in linked_audiences(campaign):
            continue
        found.append(campaign)
    page = found[skip:skip + size]
    return 200, {'hasMore': skip + len(page) < len(found),
                 'data': [integration_campaign(svc, c) for c in page]}
