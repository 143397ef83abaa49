"""The web workbench: ``armsledger serve`` (see :mod:`armsledger.serve.web.app`)."""
from .app import create_app, serve

__all__ = ["create_app", "serve"]
