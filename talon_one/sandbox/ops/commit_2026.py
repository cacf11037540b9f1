"""Storing what the 2026 effect types decided when an evaluation is committed: audience
memberships (addToAudience, removeFromAudience) and achievement progress."""

import datetime
from typing import Optional

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome, achievements
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes


def commit_2026(svc: Service, changes: Changes, outcome: Outcome, profile: Optional[Doc],
                now: datetime.datetime) -> None:
    if profile is None:
        return      # both effect types need a profile; the engine gave none without one
    integration_id: str = profile['integrationId']
    for action, audience_id in outcome.audience_changes:
        audience = changes.get('audience', audience_id)
        if audience is None:
            continue
        members = audience.setdefault('members', [])
        if action == 'add' and integration_id not in members:
            members.append(integration_id)
        elif action == 'remove' and integration_id in members:
            members.remove(integration_id)
        changes.put('audience', audience_id, audience)
    if outcome.achievements:
        doc = changes.get('achievementProgress', integration_id) or {}
        for achievement_id, delta in outcome.achievements:
            runs = doc.setdefault(str(achievement_id), [])
            achievements.step(svc.world.achievements[achievement_id], runs, delta, now)
        changes.put('achievementProgress', integration_id, doc)
