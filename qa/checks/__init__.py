"""Check modules, one per family of artefacts. The registry lives in :mod:`qa.rules`."""
