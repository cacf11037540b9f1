"""World-file rules of what the 2026 operations read: achievements, catalog price history,
advanced events, the new campaign fields, and the references of the 2026 effect types."""

from typing import Any, Dict

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import SandboxError
from talon_one.sandbox.world import schema
from talon_one.sandbox.world.fields import (date, fail, integer, items_of, need, number,
                                            objects, optional_object, short, string, unique)

EFFECT_TYPES_2026 = {'addToAudience': ('audienceId',), 'removeFromAudience': ('audienceId',),
                     'increaseAchievementProgress': ('achievementId',)}
RECURRENCE_POLICIES = ('no_recurrence', 'on_expiration', 'on_completion')
ACTIVATION_POLICIES = ('user_action', 'fixed_schedule')
CAMPAIGN_TYPES = ('cartItem', 'advanced')


def check_2026(data: Doc) -> None:
    """After the older checks (campaigns, audiences and catalogs are well formed)."""
    campaigns = {c['id']: c for c in data.get('campaigns', [])}
    for index, campaign in enumerate(data.get('campaigns', [])):
        path = 'campaigns[%d]' % index
        need(campaign, 'reevaluateOnReturn', path, bool, required=False)
        if campaign.get('type', 'cartItem') not in CAMPAIGN_TYPES:
            fail(path + '.type', 'must be one of %s' % ', '.join(CAMPAIGN_TYPES))
        items_of(campaign, 'linkedStoreIds', path, int)
    achievements = _check_achievements(data, campaigns)
    audiences = {a['id'] for a in data.get('audiences', [])}
    for index, campaign in enumerate(data.get('campaigns', [])):
        for r_index, rule in enumerate(campaign.get('rules', [])):
            for e_index, effect in enumerate(rule.get('effects', [])):
                _check_effect(effect, 'campaigns[%d].rules[%d].effects[%d]'
                              % (index, r_index, e_index), campaign, audiences, achievements)
    _check_price_history(data)
    _check_advanced_events(data)


def _check_effect(effect: Doc, path: str, campaign: Doc, audiences: Any,
                  achievements: Dict[int, Doc]) -> None:
    kind = effect['type']
    if kind in ('addToAudience', 'removeFromAudience') and \
            integer(effect, 'audienceId', path, required=True) not in audiences:
        fail(path + '.audienceId', 'unknown audience %r (declare it in audiences)'
             % (effect['audienceId'],))
    if kind == 'increaseAchievementProgress':
        achievement = achievements.get(integer(effect, 'achievementId', path, required=True))
        if achievement is None:
            fail(path + '.achievementId', 'unknown achievement %r (declare it in achievements)'
                 % (effect['achievementId'],))
        if achievement['campaignId'] != campaign['id']:
            fail(path + '.achievementId', 'achievement %d belongs to campaign %d, not to this '
                 'one' % (achievement['id'], achievement['campaignId']))


def _check_achievements(data: Doc, campaigns: Dict[int, Doc]) -> Dict[int, Doc]:
    found = objects(data, 'achievements', '$')
    for index, achievement in enumerate(found):
        path = 'achievements[%d]' % index
        integer(achievement, 'id', path, required=True)
        string(achievement, 'name', path, required=True)
        achievement.setdefault('title', string(achievement, 'title', path) or achievement['name'])
        achievement.setdefault('description', string(achievement, 'description', path) or '')
        string(achievement, 'description', path)
        if integer(achievement, 'campaignId', path, required=True) not in campaigns:
            fail(path + '.campaignId', 'unknown campaign %r' % (achievement['campaignId'],))
        target = number(achievement, 'target', path, required=True)
        if target is not None and target <= 0:
            fail(path + '.target', 'must be > 0, got %s' % short(target))
        period = string(achievement, 'period', path)
        if period is not None and not _period_ok(period):
            fail(path + '.period', 'must be a count and a unit D, W, M or Y (e.g. 1Y), got %s'
                 % short(period))
        for name, allowed in (('recurrencePolicy', RECURRENCE_POLICIES),
                              ('activationPolicy', ACTIVATION_POLICIES)):
            if achievement.get(name) is not None and achievement[name] not in allowed:
                fail('%s.%s' % (path, name), 'must be one of %s' % ', '.join(allowed))
        for name in ('fixedStartDate', 'endDate'):
            date(achievement, name, path)
        need(achievement, 'allowRollbackAfterCompletion', path, bool, required=False)
        for p_index, entry in enumerate(objects(achievement, 'progress', path)):
            entry_path = '%s.progress[%d]' % (path, p_index)
            if not string(entry, 'profileId', entry_path, required=True):
                fail(entry_path + '.profileId', 'must not be empty')
            number(entry, 'value', entry_path, required=True)
        unique(achievement.get('progress', []), 'profileId', path + '.progress')
    unique(found, 'id', 'achievements')
    return {a['id']: a for a in found}


def _period_ok(period: str) -> bool:
    return len(period) >= 2 and period[:-1].isdigit() and period[-1] in 'DWMY'


def _check_price_history(data: Doc) -> None:
    for c_index, catalog in enumerate(data.get('catalogs', [])):
        for i_index, item in enumerate(catalog.get('items', [])):
            path = 'catalogs[%d].items[%d]' % (c_index, i_index)
            for h_index, entry in enumerate(objects(item, 'priceHistory', path)):
                entry_path = '%s.priceHistory[%d]' % (path, h_index)
                number(entry, 'price', entry_path, required=True)
                if entry.get('observedAt') is None:
                    fail(entry_path + '.observedAt', 'is required')
                date(entry, 'observedAt', entry_path)
                items_of(entry, 'contextIds', entry_path, str)


def _check_advanced_events(data: Doc) -> None:
    events = objects(data, 'advancedEvents', '$')
    for index, event in enumerate(events):
        path = 'advancedEvents[%d]' % index
        optional_object(event, 'attributes', path)
        try:     # seeded through the route's code: hold them to its schema
            schema.validate(schema.EVENT_V3_REQUEST, event)
        except SandboxError as exc:
            fail(path + (exc.pointer or '').replace('/', '.'), exc.message)
    unique(events, 'integrationId', 'advancedEvents')
