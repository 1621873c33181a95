"""One router per resource; ``web.app`` includes them all under ``/api``."""
