"""EAR licence determination as of a date, with citations (issue 4).

Public API: :func:`check_license`, :class:`Transaction`, :func:`parse_transaction`,
:class:`TransactionError`, :class:`NoListsLoaded`, :func:`load_all` (the dated rule tables),
:class:`NoRuleInForce`, :class:`RuleDataError`, ``STEPS`` (the pipeline).
"""
from __future__ import annotations

from .engine import DECISIONS, NoListsLoaded, check_license
from .loader import NoRuleInForce, RuleDataError, load_all, load_file
from .model import Transaction, TransactionError, parse_transaction
from .steps import STEPS

__all__ = ["DECISIONS", "STEPS", "NoListsLoaded", "NoRuleInForce", "RuleDataError",
           "Transaction", "TransactionError", "check_license", "load_all", "load_file",
           "parse_transaction"]
