"""The sandbox over HTTP: wire parser, event loop, routing, auth, control routes, inspector."""
