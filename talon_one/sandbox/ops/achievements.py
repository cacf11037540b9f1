"""Achievements: the world's definitions, a profile's progress in them (advanced by the
``increaseAchievementProgress`` effect, engine/achievements.py), its rollback, and the routes
that list them."""

import datetime
from typing import Any, Callable, Dict, List, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import achievements, is_running
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops.customers import require_profile
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes

PROGRESS_STATUSES = ('inprogress', 'completed', 'expired', 'not_started')
ACHIEVEMENT_STATUSES = ('active', 'scheduled')


def undo_progress(svc: Service, changes: Changes, profile: Optional[Doc],
                  effect: Doc) -> Optional[Doc]:
    """Take back the progress a committed ``increaseAchievementProgress`` effect added; the
    RollbackIncreasedAchievementProgressEffectProps, or None when nothing is taken back
    (done already, or the run was completed and the achievement keeps completed runs)."""
    props = effect['props']
    achievement = svc.world.achievements.get(props['achievementId'])
    if profile is None or achievement is None or effect.get('rolledBack'):
        return None
    doc = changes.get('achievementProgress', profile['integrationId'])
    run = next((r for r in achievements.trackers(doc, achievement['id'])
                if r['id'] == props['progressTrackerId']), None)
    if doc is None or run is None:
        return None
    if run['status'] == 'completed' and not achievement.get('allowRollbackAfterCompletion'):
        return None
    taken = min(float(props['delta']), float(run['progress']))
    run['progress'] = achievements.num(round(float(run['progress']) - taken, 2))
    if run['status'] == 'completed' and float(run['progress']) < float(achievement['target']):
        run['status'] = 'inprogress'
        run.pop('completionDate', None)
    effect['rolledBack'] = taken
    changes.put('achievementProgress', profile['integrationId'], doc)
    return {'achievementId': achievement['id'], 'achievementName': achievement['name'],
            'progressTrackerId': run['id'], 'decreaseProgressBy': achievements.num(taken),
            'currentProgress': run['progress'], 'target': achievement['target']}


# -- views --------------------------------------------------------------------

def _status(achievement: Doc, now: datetime.datetime) -> str:
    fixed = achievement.get('fixedStartDate')
    return 'scheduled' if fixed and timeutil.parse(fixed) > now else 'active'


def _current(doc: Optional[Doc], achievement: Doc,
             now: datetime.datetime) -> Optional[Doc]:
    runs = achievements.trackers(doc, achievement['id'])
    return achievements.shown(runs[-1], now) if runs else None


def _listed(svc: Service, now: datetime.datetime) -> List[Doc]:
    """The achievements of running campaigns, by id."""
    return [a for _, a in sorted(svc.world.achievements.items())
            if a['campaignId'] in svc.world.campaigns and
            is_running(svc.world.campaigns[a['campaignId']], now)]


def customer_achievements(svc: Service, changes: Changes, profile: Doc) -> List[Doc]:
    """IntegrationStateV2.achievements (CustomerAchievement): what the profile can work on."""
    now = svc.now()
    doc = changes.get('achievementProgress', profile['integrationId'])
    out: List[Doc] = []
    for a in _listed(svc, now):
        body = _definition(a, ('id', 'name', 'title', 'description', 'target'))
        body.update(recurrencePolicy=a.get('recurrencePolicy', 'no_recurrence'),
                    activationPolicy=a.get('activationPolicy', 'fixed_schedule'),
                    allowRollbackAfterCompletion=bool(a.get('allowRollbackAfterCompletion')))
        body.update(_dates(a, 'fixedStartDate', 'endDate'))
        current = _current(doc, a, now)
        if current is not None:
            body['currentProgress'] = current
        out.append(body)
    return out


def inventory_achievements(svc: Service, changes: Changes, integration_id: str) -> List[Doc]:
    """CustomerInventory.achievements (AchievementProgressWithDefinition): every achievement
    the profile has progress in, with its current run."""
    now = svc.now()
    doc = changes.get('achievementProgress', integration_id)
    out: List[Doc] = []
    for achievement_id, achievement in sorted(svc.world.achievements.items()):
        current = _current(doc, achievement, now)
        if current is None:
            continue
        body = dict(current)
        body.update(achievementId=achievement_id, name=achievement['name'],
                    title=achievement['title'], description=achievement['description'],
                    campaignId=achievement['campaignId'], target=achievement['target'],
                    achievementRecurrencePolicy=achievement.get('recurrencePolicy',
                                                                'no_recurrence'),
                    achievementActivationPolicy=achievement.get('activationPolicy',
                                                                'fixed_schedule'),
                    achievementAllowRollbackAfterCompletion=bool(
                        achievement.get('allowRollbackAfterCompletion')))
        if achievement.get('fixedStartDate'):
            body['achievementFixedStartDate'] = achievement['fixedStartDate']
        if achievement.get('endDate'):
            body['achievementEndDate'] = achievement['endDate']
        out.append(body)
    return out


def _definition(achievement: Doc, names: Any) -> Doc:
    return {name: achievement[name] for name in names}


def _dates(achievement: Doc, *names: str) -> Doc:
    return {name: achievement[name] for name in names if achievement.get(name)}


# -- routes -------------------------------------------------------------------

def _one_of(req: Request, name: str, allowed: Any) -> Optional[List[str]]:
    values = req.csv(name)
    for value in values or []:
        if value not in allowed:
            raise bad_request('query parameter %s: must be one of %s, got %r'
                              % (name, ', '.join(allowed), value), parameter=name)
    return values


def _page(req: Request, items: List[Doc]) -> Answer:
    size = req.integer('pageSize', 1000, minimum=1, maximum=1000)
    skip = req.integer('skip', 0, minimum=0)
    return 200, {'totalResultSize': len(items), 'data': items[skip:skip + size]}


def get_customer_achievements(svc: Service, req: Request) -> Answer:
    """Achievements of running campaigns with the profile's progress; without
    ``achievementStatus`` only active ones (the spec's default)."""
    changes = Changes(svc.store)
    profile = require_profile(changes, req.params['integrationId'])
    campaign_ids = req.ints('campaignIds')
    achievement_ids = req.ints('achievementIds')
    statuses = _one_of(req, 'achievementStatus', ACHIEVEMENT_STATUSES) or ['active']
    progress = _one_of(req, 'currentProgressStatus', PROGRESS_STATUSES)
    now = svc.now()
    doc = changes.get('achievementProgress', profile['integrationId'])
    created = timeutil.fmt(svc.world.created)
    out: List[Doc] = []
    for a in _listed(svc, now):
        if (campaign_ids is not None and a['campaignId'] not in campaign_ids) or \
                (achievement_ids is not None and a['id'] not in achievement_ids):
            continue
        status = _status(a, now)
        current = _current(doc, a, now)
        shown_status = current['status'] if current else 'not_started'
        if status not in statuses or (progress is not None and shown_status not in progress):
            continue
        body = _definition(a, ('id', 'name', 'title', 'description', 'target', 'campaignId'))
        body.update(created=created, status=status,
                    recurrencePolicy=a.get('recurrencePolicy', 'no_recurrence'),
                    activationPolicy=a.get('activationPolicy', 'fixed_schedule'),
                    allowRollbackAfterCompletion=bool(a.get('allowRollbackAfterCompletion')))
        body.update(_dates(a, 'period', 'fixedStartDate', 'endDate'))
        body['currentProgress'] = current or {'status': 'not_started', 'progress': 0}
        out.append(body)
    return _page(req, out)


def get_customer_achievement_history(svc: Service, req: Request) -> Answer:
    """Every run of the profile in the achievement, newest first."""
    changes = Changes(svc.store)
    profile = require_profile(changes, req.params['integrationId'])
    achievement = svc.world.achievements.get(req.params['achievementId'])
    if achievement is None:
        raise not_found('achievement %s not found' % req.params['achievementId'])
    statuses = _one_of(req, 'progressStatus', PROGRESS_STATUSES)
    start, end = req.date_time('startDate'), req.date_time('endDate')
    now = svc.now()
    def keep(run: Doc) -> bool:
        return (
            (statuses is None or run['status'] in statuses) and
            (start is None or timeutil.parse(run['startDate']) >= start) and
            (end is None or timeutil.parse(run['startDate']) <= end))
    runs = [achievements.shown(run, now) for run in reversed(achievements.trackers(
        changes.get('achievementProgress', profile['integrationId']), achievement['id']))]
    return _page(req, [run for run in runs if keep(run)])


def seed_progress(svc: Service, changes: Changes, now: datetime.datetime,
                  ensure: Callable[[str], Doc]) -> None:
    """The world's starting progress (``achievements[].progress``): one run each."""
    for achievement in svc.world.section('achievements'):
        for entry in achievement.get('progress', []):
            ensure(entry['profileId'])
            doc: Dict[str, Any] = changes.get('achievementProgress', entry['profileId']) or {}
            runs = doc.setdefault(str(achievement['id']), [])
            achievements.step(achievement, runs, float(entry['value']), now)
            changes.put('achievementProgress', entry['profileId'], doc)
