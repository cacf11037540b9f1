"""The effect types of the 2026 API the rules can produce: audience membership changes and
achievement progress (their rollback is made by ops/rollbacks.py, not by rules)."""

import copy
from typing import TYPE_CHECKING, Callable, Dict

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import achievements
from talon_one.sandbox.engine.context import Firing

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.engine.evaluation import Evaluation

Handler = Callable[['Evaluation', Firing, Doc], None]


def _audience_effect(ev: 'Evaluation', at: Firing, spec: Doc, action: str) -> None:
    ctx = ev.ctx
    if ctx.profile is None:
        return      # membership is a profile's
    audience = ctx.lookup('audience', spec['audienceId'])
    if audience is None:
        return      # deleted through the API since the world was loaded
    member = ctx.profile['integrationId'] in audience.get('members', [])
    if member == (action == 'add'):
        return      # nothing would change
    ev.out.audience_changes.append((action, audience['id']))
    ev.effect(at, 'addToAudience' if action == 'add' else 'removeFromAudience', {
        'audienceId': audience['id'], 'audienceName': audience.get('name', ''),
        'profileIntegrationId': ctx.profile['integrationId'],
        'profileId': ctx.profile['id']})


def add_to_audience(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    _audience_effect(ev, at, spec, 'add')


def remove_from_audience(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    _audience_effect(ev, at, spec, 'remove')


def increase_achievement_progress(ev: 'Evaluation', at: Firing, spec: Doc) -> None:
    ctx = ev.ctx
    if ctx.profile is None:
        return      # progress is a profile's
    achievement = ctx.world.achievements[spec['achievementId']]
    delta = float(spec.get('value', 1))
    # The stored runs plus this evaluation's earlier steps, on a copy: nothing is written.
    runs = copy.deepcopy(achievements.trackers(
        ctx.lookup('achievementProgress', ctx.profile['integrationId']), achievement['id']))
    for earlier_id, earlier in ev.out.achievements:
        if earlier_id == achievement['id']:
            achievements.step(achievement, runs, earlier, ctx.now)
    stepped = achievements.step(achievement, runs, delta, ctx.now)
    if stepped is None:
        return
    run, just_completed = stepped
    ev.out.achievements.append((achievement['id'], delta))
    ev.effect(at, 'increaseAchievementProgress', {
        'achievementId': achievement['id'], 'achievementName': achievement['name'],
        'progressTrackerId': run['id'], 'delta': achievements.num(delta),
        'value': run['progress'], 'target': achievement['target'],
        'isJustCompleted': just_completed})


EFFECTS_2026: Dict[str, Handler] = {
    'addToAudience': add_to_audience, 'removeFromAudience': remove_from_audience,
    'increaseAchievementProgress': increase_achievement_progress,
}
