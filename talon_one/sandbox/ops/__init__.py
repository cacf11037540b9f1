"""The Integration API's operations, one module per domain, over one ``Service``."""
