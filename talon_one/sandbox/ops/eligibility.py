"""IntegrationStateV2.campaignEligibility: for each campaign an evaluation ran rules of,
whether it applied and, per rule, whether its conditions held."""

from typing import Dict, List, Optional, Tuple

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.ops.campaigns import integration_campaign
from talon_one.sandbox.ops.service import Service


def campaign_eligibility(svc: Service, outcome: Optional[Outcome]) -> List[Doc]:
    if outcome is None:
        return []
    failed: Dict[Tuple[int, int], Doc] = {(f['campaignID'], f['ruleIndex']): f
                                          for f in outcome.failures}
    ids = sorted(set(outcome.triggered) | {c for c, _ in failed})
    out: List[Doc] = []
    for campaign_id in ids:
        campaign = svc.world.campaigns[campaign_id]
        body = integration_campaign(svc, campaign)
        body.pop('linkedStoreIds')
        body.pop('linkedAudienceIds')
        passed = campaign_id in outcome.triggered
        body['eligibility'] = [{'passed': True} if passed else
                               {'passed': False, 'details': {'failureCode': 'ALL_RULES_FAILED'}}]
        rules: List[Doc] = []
        for index, rule in enumerate(campaign.get('rules', [])):
            failure = failed.get((campaign_id, index))
            verdict: Doc = {'passed': failure is None}
            if failure is not None:
                verdict['details'] = {'failureCode': 'CONDITION_NOT_MET',
                                      'conditionIndex': failure['conditionIndex'],
                                      'details': failure['details']}
            rules.append({'title': rule['title'], 'eligibility': [verdict]})
        body['rules'] = rules
        out.append(body)
    return out
