"""Loyalty balances, transaction logs and card linking."""

from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.world import schema
from talon_one.sandbox import timeutil
from talon_one.sandbox.ops import views
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops.service import Changes


def _card(changes, program, identifier):
    card = changes.get('card', identifier)
    if card is None or card['programId'] != program['id']:
        raise not_found('loyalty card %r not found in program %s' % (identifier, program['id']))
    return card


def _program_id(req):
    return req.params['loyaltyProgramId']


def get_loyalty_balances(svc, req):
    program = svc.program(_program_id(req), card_based=False)
    changes = Changes(svc.store)
    integration_id = req.params['integrationId']
    svc.require_profile(changes, integration_id)
    at = req.date_time('endDate') or svc.now()
    return 200, views.balances(program, svc.ledger(changes, program, integration_id), at)


def get_loyalty_card_balances(svc, req):
    program = svc.program(_program_id(req), card_based=True)
    changes = Changes(svc.store)
    card = _card(changes, program, req.params['loyaltyCardId'])
    at = req.date_time('endDate') or svc.now()
    return 200, views.balances(program, svc.ledger(changes, program, card['identifier']), at)


def _page(req, maximum):
    return dict(subledger=req.query.get('subledgerId') or None,
                start=req.date_time('startDate'), end=req.date_time('endDate'),
                skip=req.integer('skip', 0, minimum=0),
                page_size=req.integer('pageSize', maximum, minimum=1, maximum=maximum))


def get_loyalty_program_profile_transactions(svc, req):
    program = svc.program(_program_id(req), card_based=False)
    page = _page(req, 50)
    changes = Changes(svc.store)
    integration_id = req.params['integrationId']
    svc.require_profile(changes, integration_id)
    data, more = ledgers.transaction_page(svc.ledger(changes, program, integration_id), **page)
    return 200, {'hasMore': more, 'data': data}


def get_loyalty_card_transactions(svc, req):
    program = svc.program(_program_id(req), card_based=True)
    page = _page(req, 1000)
    changes = Changes(svc.store)
    card = _card(changes, program, req.params['loyaltyCardId'])
    data, more = ledgers.transaction_page(svc.ledger(changes, program, card['identifier']),
                                          card_identifier=card['identifier'], **page)
    return 200, {'hasMore': more, 'data': data}


def link_loyalty_card_to_profile(svc, req):
    schema.validate(schema.LOYALTY_CARD_REGISTRATION, req.body)
    program = svc.program(_program_id(req), card_based=True)
    identifier = req.params['loyaltyCardId']
    integration_id = req.body['integrationId']
    with svc.store.locked(['card:' + identifier, 'profile:' + integration_id]):
        changes = Changes(svc.store)
        card = _card(changes, program, identifier)
        svc.require_profile(changes, integration_id, pointer='/integrationId')
        profiles = card.setdefault('profiles', [])
        if not any(p['integrationId'] == integration_id for p in profiles):
            limit = card.get('usersPerCardLimit', program.get('usersPerCardLimit', 1))
            if limit and len(profiles) >= limit:
                raise bad_request('/integrationId: card %r already has its limit of %d linked '
                                  'profiles' % (identifier, limit), pointer='/integrationId')
            now = timeutil.fmt(svc.now())
            profiles.append({'integrationId': integration_id, 'timestamp': now})
            card['modified'] = now
            changes.put('card', identifier, card)
            changes.commit()
    return 200, svc.card_view(changes, card)
