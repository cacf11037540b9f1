"""Content-Signature for the Integration API's ``integration_auth`` scheme.

The header is ``signer=<application id>; signature=<hex HMAC-MD5>``, where the HMAC is
computed over the exact request body bytes (empty for no body) with the application's
hex API key, decoded to bytes, as the key. Standard library only, so the sandbox server
can use the same code to verify requests.
"""

import re
from typing import Optional, Tuple, Union

from talon_one._exceptions import ApiValueError

_HEX = re.compile(r'\A(?:[0-9a-fA-F]{2})+\Z')
_HEADER = re.compile(r'\A\s*signer\s*=\s*([^;\s]+)\s*;\s*signature\s*=\s*([0-9a-fA-F]+)\s*\Z')


def check_application_key(application_key: object,
                          field: str = 'Configuration.application_key') -> None:
    """Raise ApiValueError unless ``application_key`` is a non-empty hex string.

    The message names the field and the rule, never the value (it is a secret).
    """
    if not isinstance(application_key, str) or not _HEX.match(application_key):
        raise ApiValueError('%s must be a string of hex digit pairs (the application key '
                            'used for Content-Signature)' % field)


def sign(body: Optional[bytes], application_key: str) -> str:
    """Hex HMAC-MD5 of ``body`` (bytes) keyed with the hex ``application_key``."""
    check_application_key(application_key)
    import hashlib  # here: loading OpenSSL's hashes is a noticeable part of `import talon_one`
    import hmac
    return hmac.new(bytes.fromhex(application_key), body or b'', hashlib.md5).hexdigest()


def content_signature(application_id: Union[int, str], application_key: str,
                      body: Optional[bytes]) -> str:
    """Value of the Content-Signature header for ``body``."""
    return 'signer=%s; signature=%s' % (application_id, sign(body, application_key))


def parse_content_signature(header_value: Optional[str]) -> Optional[Tuple[str, str]]:
    """Split a Content-Signature header into (signer, signature), or None if malformed."""
    match = _HEADER.match(header_value or '')
    if match is None:
        return None
    return match.group(1), match.group(2).lower()


def verify(header_value: Optional[str], body: Optional[bytes], application_key: str) -> bool:
    """True when ``header_value`` carries the correct signature of ``body``."""
    parsed = parse_content_signature(header_value)
    if parsed is None:
        return False
    import hmac
    return hmac.compare_digest(parsed[1], sign(body, application_key))
