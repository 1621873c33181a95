"""``/docs`` (Swagger UI) served from this process, so it works with no network.

FastAPI's default pages load their scripts from a CDN and start them with an inline script; both
break here (offline installs, and a CSP without inline script). The assets come from the
``fastapi-offline`` wheel (Swagger UI 5, which renders OpenAPI 3.1), mounted at ``/docs-static``;
the page is static HTML whose start-up script is a file of our own. ReDoc is not served: it
fetches its logo from a CDN and starts its search from a ``blob:`` worker, both of which the
CSP refuses, and Swagger UI covers the same ground.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_STATIC = "/docs-static"


def _asset_dir() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:  # pragma: no cover - a declared dependency; without it the docs pages say so
        return None
    path = Path(fastapi_offline.__file__).resolve().parent / "static"
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{title}</title>\n<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">\n'
        f"{head}</head>\n<body>\n{body}</body>\n</html>\n"
    )


SWAGGER_PAGE = _page(
    "BudgetWise API",
    f'<link rel="stylesheet" href="{DOCS_STATIC}/swagger-ui.css">\n',
    '<div id="swagger-ui" data-openapi-url="/openapi.json"></div>\n'
    f'<script src="{DOCS_STATIC}/swagger-ui-bundle.js"></script>\n'
    '<script src="/static/docs/swagger-init.js"></script>\n',
)


def install(app: FastAPI) -> None:
    """Call on an app built with ``docs_url=None, redoc_url=None``."""
    assets = _asset_dir()
    if assets is None:
        missing = "<p>The API docs need the fastapi-offline package; the schema is at /openapi.json.</p>"
        swagger = _page("BudgetWise API", "", missing)
    else:
        app.mount(DOCS_STATIC, StaticFiles(directory=assets), name="docs-static")
        swagger = SWAGGER_PAGE

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(swagger)
