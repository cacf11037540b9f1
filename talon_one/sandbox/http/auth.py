"""Request authentication: ``ApiKey-v1`` keys and v1 Content-Signatures."""

import hashlib
import hmac
from typing import Dict, Mapping, Optional, Tuple

from talon_one.sandbox.errors import SandboxError

_PREFIX = 'apikey-v1 '


def _unauthorized(message: str) -> SandboxError:
    return SandboxError(401, message, title='Unauthorized')


def signature_of(body: bytes, application_key_hex: str) -> str:
    """Hex HMAC-MD5 of the body bytes, keyed with the hex-decoded key."""
    return hmac.new(bytes.fromhex(application_key_hex), body, hashlib.md5).hexdigest()


def _parse_signature(header: str) -> Tuple[Optional[str], Optional[str]]:
    parts: Dict[str, str] = {}
    for piece in header.split(';'):
        name, _, value = piece.strip().partition('=')
        parts[name.strip().lower()] = value.strip()
    return parts.get('signer'), parts.get('signature')


def key_matches(authorization: str, api_key: str) -> bool:
    """True when an ``Authorization`` value is ``ApiKey-v1 <api_key>`` (prefix in any case)."""
    return authorization[:len(_PREFIX)].lower() == _PREFIX and hmac.compare_digest(
        authorization[len(_PREFIX):].strip().encode('utf-8'), api_key.encode('utf-8'))


def check(headers: Mapping[str, str], body: bytes, v1_route: bool, api_key: str,
          application_id: int, application_key: Optional[str]) -> None:
    """Raise 401 unless the request carries a valid key or signature.

    ``headers``: a dict with lower-case names."""
    signed = False
    signature_header = headers.get('content-signature')
    if v1_route and application_key and signature_header:
        signer, signature = _parse_signature(signature_header)
        expected = signature_of(body or b'', application_key)
        if signer != str(application_id) or not signature or not hmac.compare_digest(
                signature.lower().encode('utf-8'), expected.encode('ascii')):
            raise _unauthorized('invalid Content-Signature')
        signed = True
    authorization = headers.get('authorization')
    if authorization:
        if not key_matches(authorization, api_key):
            raise _unauthorized('invalid API key')
        return
    if not signed:
        raise _unauthorized('missing Authorization header (expected "ApiKey-v1 <key>")')
