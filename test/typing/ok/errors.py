"""Error handling as users write it, official style and with the exception tree."""
from typing import Any, Dict, List, Optional

import talon_one
from talon_one.rest import ApiException


def fetch(api: talon_one.IntegrationApi, session_id: str) -> Optional[talon_one.IntegrationCustomerSessionResponse]:
    try:
        return api.get_customer_session(session_id)
    except talon_one.NotFoundException:
        return None
    except talon_one.ApiTimeoutError as timeout:
        print("timed out:", timeout.reason)
        raise
    except talon_one.TooManyRequestsException as busy:
        print("busy, status", busy.status)
        raise
    except ApiException as error:
        status: Optional[int] = error.status
        reason: Optional[str] = error.reason
        body: Optional[str] = error.body
        message: Optional[str] = error.message
        errors: List[Dict[str, Any]] = error.errors
        if error.headers is not None:
            print(error.headers.get("Content-Type"))
        print("Exception when calling IntegrationApi->get_customer_session: %s" % error,
              status, reason, body, message, len(errors))
        raise


def bad_input() -> str:
    try:
        talon_one.CartItem(sku="", quantity=1)
    except talon_one.ApiValueError as error:
        return str(error)
    return ""
