"""The desk's routers: ``auth`` (login, logout), ``pages`` (HTML), ``review`` (the review page's
JSON calls, session + CSRF) and ``api`` (scripts, bearer token).  ``create_app`` includes them all."""
