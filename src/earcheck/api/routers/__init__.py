"""One router per API area (see :func:`earcheck.api.create_app`)."""
