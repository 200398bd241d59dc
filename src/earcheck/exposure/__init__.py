"""Revenue exposure: run a sales ledger through screening and licence determination.

``exposure_report(ledger, as_of=..., scenarios=..., store=...)`` returns an
:class:`ExposureReport` with ``to_json()``, ``to_html(path)``, ``to_csv(dir)``, ``to_png(dir)``.
"""
from __future__ import annotations

from earcheck.exposure.ledger import LedgerError
from earcheck.exposure.rates import Rates, RatesError
from earcheck.exposure.report import ExposureReport, ScenarioResult, exposure_report
from earcheck.exposure.scenarios import Scenario, ScenarioError, load_scenarios

__all__ = ["ExposureReport", "LedgerError", "Rates", "RatesError", "Scenario", "ScenarioError",
           "ScenarioResult", "exposure_report", "load_scenarios"]
