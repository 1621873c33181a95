"""The web layer: FastAPI app, REST API, chat WebSocket and the browser UI's static files."""

from .app import create_app

__all__ = ["create_app"]
