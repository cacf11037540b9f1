"""Loyalty cards made and unlinked through the API: generateLoyaltyCard and
unlinkLoyaltyCardFromProfile (linking is in loyalty.py)."""

from typing import List

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import codegen
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops.customers import require_profile
from talon_one.sandbox.ops.loyalty import card_of, card_view, program
from talon_one.sandbox.ops.loyalty_bodies import GENERATE_LOYALTY_CARD, check_card_identifier
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

# Generated identifiers: the program's cardCodePattern ('#' = a random character), else this.
DEFAULT_CARD_PATTERN = 'CARD-############'


def _profile_ids(body: Doc, limit: int) -> List[str]:
    ids: List[str] = body.get('customerProfileIds') or []
    for index, integration_id in enumerate(ids):
        pointer = '/customerProfileIds/%d' % index
        if not integration_id:
            raise bad_request(pointer + ': must not be empty', pointer=pointer)
        if integration_id in ids[:index]:
            raise bad_request('%s: profile %r is listed twice' % (pointer, integration_id),
                              pointer=pointer)
    if limit and len(ids) > limit:
        raise bad_request('/customerProfileIds: %d profiles, but the program allows %d per card '
                          '(usersPerCardLimit)' % (len(ids), limit), pointer='/customerProfileIds')
    return ids


def generate_loyalty_card(svc: Service, req: Request) -> Answer:
    schema.validate(GENERATE_LOYALTY_CARD, req.body)
    card_program = program(svc, req.params['loyaltyProgramId'], card_based=True)
    body = req.body
    wanted = body.get('cardIdentifier')
    if wanted is not None:
        check_card_identifier(wanted, '/cardIdentifier')
    ids = _profile_ids(body, card_program.get('usersPerCardLimit', 1))
    with svc.store.locked(['cards'] + ['profile:' + i for i in ids]):
        changes = Changes(svc.store)
        for index, integration_id in enumerate(ids):
            if changes.get('profile', integration_id) is None:
                pointer = '/customerProfileIds/%d' % index
                raise bad_request('%s: customer profile %r not found' % (pointer, integration_id),
                                  pointer=pointer)
        if wanted is None:
            identifier = codegen.generate(card_program.get('cardCodePattern') or
                                          DEFAULT_CARD_PATTERN, None,
                                          lambda code: changes.get('card', code) is not None)
            if identifier is None:
                raise bad_request('could not generate a free card identifier from the pattern '
                                  '%r; send cardIdentifier' % card_program.get('cardCodePattern'))
        elif changes.get('card', wanted) is not None:
            raise bad_request('/cardIdentifier: a loyalty card %r already exists' % wanted,
                              pointer='/cardIdentifier')
        else:
            identifier = wanted
        now = timeutil.fmt(svc.now())
        card: Doc = {
            'id': svc.next_id('card'), 'created': now, 'programId': card_program['id'],
            'identifier': identifier, 'status': body.get('status') or 'active',
            'usersPerCardLimit': card_program.get('usersPerCardLimit', 1),
            'profiles': [{'integrationId': i, 'timestamp': now} for i in ids]}
        changes.put('card', identifier, card)
        changes.commit()
    return 200, card_view(svc, changes, card)


def unlink_loyalty_card_from_profile(svc: Service, req: Request) -> Answer:
    schema.validate(schema.LOYALTY_CARD_REGISTRATION, req.body)
    card_program = program(svc, req.params['loyaltyProgramId'], card_based=True)
    identifier = req.params['loyaltyCardId']
    integration_id = req.body['integrationId']
    with svc.store.locked(['card:' + identifier, 'profile:' + integration_id]):
        changes = Changes(svc.store)
        card = card_of(changes, card_program, identifier)
        require_profile(changes, integration_id, pointer='/integrationId')
        profiles = card.get('profiles', [])
        kept = [p for p in profiles if p['integrationId'] != integration_id]
        if len(kept) == len(profiles):
            raise not_found('/integrationId: customer profile %r is not linked to loyalty card '
                            '%r' % (integration_id, identifier), pointer='/integrationId')
        card['profiles'] = kept
        card['modified'] = timeutil.fmt(svc.now())
        changes.put('card', identifier, card)
        changes.commit()
    return 200, card_view(svc, changes, card)
