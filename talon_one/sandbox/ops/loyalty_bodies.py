"""Request bodies of the 2026 loyalty operations (schemas by API name, world/schema.py's
validator) and the checks it cannot express (patterns, UUIDs)."""

import re
import uuid

from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.world.schema import arr, obj, s

CARD_STATUSES = ('active', 'inactive')
CARD_IDENTIFIER = re.compile(r'^[A-Za-z0-9._%+@-]+$')
DELETE_SCOPES = ('AllSubledgers', 'SelectedSubledgers')

GENERATE_LOYALTY_CARD = obj({
    'status': s(enum=CARD_STATUSES), 'customerProfileIds': arr(s()),
    'cardIdentifier': s(min_length=4, max_length=108),
})
ACTIVATE_LOYALTY_POINTS = obj({
    'transactionUUIDs': arr(s(), min_items=1, max_items=50), 'sessionId': s(min_length=1),
})
DELETE_LOYALTY_TRANSACTIONS = obj({
    'scope': s(enum=DELETE_SCOPES), 'subledgerIds': arr(s()),
}, required=('scope',))


def check_card_identifier(identifier: str, pointer: str) -> None:
    if not CARD_IDENTIFIER.match(identifier):
        raise bad_request('%s: must match %s (letters, digits and ._%%+@-), got %r'
                          % (pointer, CARD_IDENTIFIER.pattern, identifier), pointer=pointer)


def check_uuid(value: str, pointer: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise bad_request('%s: must be a UUID, got %r' % (pointer, value[:60]),
                          pointer=pointer) from None
