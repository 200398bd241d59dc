"""The HTTP service and web workspace: ``create_app(settings)`` (see :mod:`.app`).

Run it with ``earcheck serve [--host H] [--port N] [--db PATH]``; open http://127.0.0.1:8000/
for the workspace and /docs for the OpenAPI document. A fresh install serves the shipped
sample list; ``earcheck lists load FILE`` (picked up within ``EARCHECK_WATCH_SECONDS``) or
``POST /lists/update`` loads real lists, re-screens every saved party and raises only the
new alerts.

Routes (one router per area, ``api/routers/``):

- ``csl.py``      GET  /consolidated_screening_list/v1/search   trade.gov CSL API v1
- ``yente.py``    POST /match/{dataset}, GET /search/{dataset}, GET /entities/{id},
                  GET /catalog, /algorithms, /healthz, /readyz        yente / yente-client
- ``screen.py``   POST /screen (recorded; opens a case), POST /batches (CSV/Excel upload),
                  GET /batches/{id} (progress)
- ``review.py``   GET /cases, GET /cases/{id}, POST /cases/{id}/decisions,
                  GET /customers/{id}, GET /audit, GET /audit.csv
- ``license.py``  POST /license   (same JSON in and out as ``earcheck license check``)
- ``lists.py``    GET /lists, GET /lists/diff, POST /lists/update (admin)
- ``ui.py``       the server-rendered pages

Access: ``EARCHECK_API_KEYS="key:role[:user],..."`` (roles ``analyst``, ``admin``), sent as
``Authorization: ApiKey <key>`` or ``X-API-Key``. Without keys the service runs in local
mode: writes and customer data only for loopback clients. List lookups (CSL, yente) are
open. Other settings: ``EARCHECK_DB``, ``EARCHECK_MAX_BODY_BYTES``,
``EARCHECK_MAX_UPLOAD_BYTES``, ``EARCHECK_THREADS``, ``EARCHECK_WATCH_SECONDS`` (0: off),
``EARCHECK_NO_SAMPLE`` (do not load the sample list into an empty store).
"""
from __future__ import annotations

from .app import create_app
from .config import ApiSettings

__all__ = ["ApiSettings", "create_app"]
