"""Python names for spec names (the rules users depend on are in NAMES.md)."""

import keyword
import re

_BOUNDARY_1 = re.compile(r'([A-Z]+)([A-Z][a-z])')
_BOUNDARY_2 = re.compile(r'([a-z\d])([A-Z])')

# Schemas whose plain class name would be a Python keyword.
_CLASS_EXCEPTIONS = {'Return': 'ModelReturn'}



def snake_case(name):
    """``customerSession`` -> ``customer_session``; ``integrationIDs`` -> ``integration_i_ds``."""
    name = _BOUNDARY_1.sub(r'\1_\2', name)
    name = _BOUNDARY_2.sub(r'\1_\2', name)
    return name.replace('-', '_').replace(' ', '_').lower()


def class_name(schema_name):
    """``inline_response_200_1`` -> ``InlineResponse2001``; ``Return`` -> ``ModelReturn``."""
    if schema_name in _CLASS_EXCEPTIONS:
        return _CLASS_EXCEPTIONS[schema_name]
    return ''.join(part[:1].upper() + part[1:] for part in schema_name.split('_'))



def module_name(cls_name):
    """``CartItem`` -> ``cart_item``; ``InlineResponse2001`` -> ``inline_response2001``."""
    return snake_case(cls_name)


def attribute_name(api_name):
    """``catalogItemID`` -> ``catalog_item_id``; ``return`` -> ``_return``."""
    name = snake_case(api_name)
    if keyword.iskeyword(name):
        name = '_' + name
    return name


def method_name(operation_id):
    """``updateCustomerSessionV2`` -> ``update_customer_session_v2``."""
    return snake_case(operation_id)


def constant_name(method):
    """Name of the module-level ``Endpoint`` of a method: ``_UPDATE_CUSTOMER_SESSION_V2``."""
    return '_' + method.upper()
