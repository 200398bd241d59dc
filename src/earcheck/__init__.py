"""earcheck: an export-control compliance engine.

Layers, one way only: ``lists`` -> ``store`` -> ``screening`` -> ``rules`` -> ``exposure`` / ``api``.
The CLI (``earcheck.cli``) is a thin layer over these and nothing imports it.
"""
__version__ = "0.1.0"
