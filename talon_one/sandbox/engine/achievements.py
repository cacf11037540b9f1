"""Achievement progress, pure: a profile's trackers of one achievement and what a step of
progress does to them. The engine previews with it and the commit applies it, so both agree.

A profile's progress document (kind ``achievementProgress``, keyed by integration id) maps an
achievement id (as a string) to its trackers, oldest first; each tracker is one run of the
achievement (``id``, ``status``, ``progress``, ``startDate``, ``endDate``, ``completionDate``).
"""

import datetime
import re
from typing import List, Optional, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc

_PERIOD = re.compile(r'^(\d+)([DWMY])$')
_DAYS = {'D': 1, 'W': 7, 'M': 30, 'Y': 365}


def period_days(period: Optional[str]) -> Optional[int]:
    """Days of an achievement ``period`` such as ``1Y`` or ``30D`` (None: no period)."""
    found = _PERIOD.match(period or '')
    return int(found.group(1)) * _DAYS[found.group(2)] if found else None


def trackers(progress_doc: Optional[Doc], achievement_id: int) -> List[Doc]:
    found: List[Doc] = (progress_doc or {}).get(str(achievement_id), [])
    return found


def _expired(tracker: Doc, now: datetime.datetime) -> bool:
    end = tracker.get('endDate')
    return tracker['status'] == 'expired' or \
        (tracker['status'] == 'inprogress' and bool(end) and timeutil.parse(end) <= now)


def shown(tracker: Doc, now: datetime.datetime) -> Doc:
    """AchievementProgress of a tracker as of ``now`` (a run past its end shows expired)."""
    body: Doc = {name: tracker[name] for name in ('status', 'progress', 'startDate',
                                              'completionDate', 'endDate') if name in tracker}
    if _expired(tracker, now):
        body['status'] = 'expired'
    return body


def step(achievement: Doc, runs: List[Doc], delta: float,
         now: datetime.datetime) -> Optional[Tuple[Doc, bool]]:
    """Add ``delta`` to the achievement's current run in ``runs`` (changed in place; a new
    run is appended when none is in progress and the recurrence policy allows one). The
    run and whether it was just completed; None when no run takes progress (a finished
    achievement without recurrence, or one not started yet)."""
    fixed = achievement.get('fixedStartDate')
    if fixed and timeutil.parse(fixed) > now:
        return None
    end = achievement.get('endDate')
    if end and timeutil.parse(end) <= now:
        return None
    current = runs[-1] if runs else None
    if current is not None and _expired(current, now):
        current['status'] = 'expired'
    if current is None or current['status'] != 'inprogress':
        policy = achievement.get('recurrencePolicy', 'no_recurrence')
        if current is not None and not (
                (policy == 'on_completion' and current['status'] == 'completed') or
                (policy == 'on_expiration' and current['status'] == 'expired')):
            return None
        current = _new_run(achievement, len(runs) + 1, now)
        runs.append(current)
    target = float(achievement['target'])
    before = float(current['progress'])
    current['progress'] = num(round(before + delta, 2))
    just_completed = before < target <= float(current['progress'])
    if just_completed:
        current['status'] = 'completed'
        current['completionDate'] = timeutil.fmt(now)
    return current, just_completed


def _new_run(achievement: Doc, run_id: int, now: datetime.datetime) -> Doc:
    run: Doc = {'id': run_id, 'status': 'inprogress', 'progress': 0,
                'startDate': timeutil.fmt(now)}
    days = period_days(achievement.get('period'))
    ends = [timeutil.add_days(now, days)] if days else []
    if achievement.get('endDate'):
        ends.append(timeutil.parse(achievement['endDate']))
    if ends:
        run['endDate'] = timeutil.fmt(min(ends))
    return run


def num(value: float) -> float:
    return int(value) if value == int(value) else value
