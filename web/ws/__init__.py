"""The chat WebSocket (``/ws/chat``) and the hub that pushes notifications to open sockets.

- ``protocol``: the messages in (a pydantic discriminated union) and the events out.
- ``connection``: one socket's outbox, with back-pressure; events are encoded there.
- ``hub``: who is connected; notification pushes; sessions that end (sign-out, expiry).
- ``session``: one handler per client message, the audio buffer, the token check per message.
- ``turns``: a turn's events on their way out (always ``error`` and ``turn_end`` on failure).
- ``batch``: the group commit of the sockets' own database work.
- ``endpoint``: the route and its origin check.
"""

from .connection import Connection, encode_event
from .endpoint import origin_allowed, router
from .hub import NotificationHub, notification_dict
from .protocol import error_event, error_turn
from .turns import get_runner

__all__ = [
    "Connection",
    "NotificationHub",
    "encode_event",
    "error_event",
    "error_turn",
    "get_runner",
    "notification_dict",
    "origin_allowed",
    "router",
]
