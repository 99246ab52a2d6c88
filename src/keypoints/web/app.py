"""`keypoints serve`: the journalist's page (`GET /`) and the JSON API behind it.

    >>> app = create_app(WebConfig(load_models=False))
    >>> sorted(r.path for r in app.routes if r.path.startswith("/api"))
    ['/api/health', '/api/summarize']

Everything the page needs ships in the package (`templates/`, `static/`, and the
Swagger UI of the `swagger-ui-bundle` package for `/docs`): nothing is fetched from
another origin, and the Content-Security-Policy forbids it, inline script included.
Article text reaches the page only as JSON, which the page writes with `textContent`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from keypoints.errors import KeypointsError
from keypoints.settings import DEFAULTS
from keypoints.version import __version__
from keypoints.web.guards import BodyLimit, SecurityHeaders
from keypoints.web.requests import UnsupportedUpload, plain_errors, read_request
from keypoints.web.schema import (
    ErrorResponse,
    HealthResponse,
    SummarizeRequest,
    SummarizeResponse,
)
from keypoints.web.service import BusyError, ServiceConfig, SummaryService

HERE = Path(__file__).parent
DEFAULT_MAX_BODY = 2 * 1024 * 1024


@dataclass(frozen=True)
class WebConfig:
    """`max_body`: largest request body in bytes (413 beyond); `queue`: requests that may
    wait (503 beyond); `load_models` False only for tests that need no summarizer."""

    max_body: int = DEFAULT_MAX_BODY
    queue: int = ServiceConfig.queue
    load_models: bool = True


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorResponse(detail=detail).model_dump(), status, headers=headers)


def create_app(config: WebConfig | None = None) -> FastAPI:
    """The ASGI app; the models load at start-up (the lifespan), once per process."""
    config = config or WebConfig()
    service = SummaryService(ServiceConfig(queue=config.queue))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if config.load_models:
            await service.load()
        yield
        service.close()

    app = FastAPI(
        title="keypoints",
        version=__version__,
        summary="Japanese news articles → a traceable ポイント box.",
        docs_url=None,  # served below from the package, not from a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    app.add_middleware(BodyLimit, max_bytes=config.max_body)
    app.add_middleware(SecurityHeaders)
    templates = Jinja2Templates(directory=HERE / "templates")
    # The more specific mount first: Starlette takes the first that matches.
    app.mount("/static/swagger", StaticFiles(directory=_swagger_dir()), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorResponse, "description": text}
        for code, text in {
            400: "Not an article (empty, no Japanese, a binary upload)",
            413: "Body over the limit",
            415: "Unsupported upload",
            422: "Invalid settings",
            503: "Busy: the queue is full",
        }.items()
    }

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, plain_errors(error.errors()))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            "index.html",
            {"version": __version__, "points": DEFAULTS.n_points, "max_chars": DEFAULTS.max_chars},
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "docs.html", {"version": __version__})

    @app.get("/api/health", response_model=HealthResponse)
    async def health() -> HealthResponse:
        """Whether the models are loaded, and the version. Never waits for an article."""
        return service.health()

    @app.post(
        "/api/summarize",
        response_model=SummarizeResponse,
        # As `summarize --format json` writes it: a point's warnings only when it has some.
        response_model_exclude_unset=True,
        responses=errors,
        openapi_extra=_REQUEST_BODY,
    )
    async def summarize(request: Request, explain: bool = False) -> Any:
        """The ポイント box of one article, with the next five candidates and the
        document the spans index. A JSON body (`SummarizeRequest`) or a multipart
        upload (`file`: .txt, .md, .html or .json; the settings as form fields)."""
        try:
            body = await read_request(request)
            if not service.loaded:
                return _error(503, "the models are still loading", {"Retry-After": "5"})
            return await service.summarize(body, explain=explain)
        except UnsupportedUpload as error:
            return _error(415, str(error))
        except ValueError as error:
            return _error(422, str(error))
        except BusyError as error:
            return _error(503, str(error), {"Retry-After": "2"})
        except KeypointsError as error:  # not an article: empty, no Japanese, binary
            return _error(400, str(error))

    def openapi() -> dict[str, Any]:
        # The JSON body is read by hand (it may be a multipart upload instead), so
        # its model joins the schemas here.
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            request_schema = SummarizeRequest.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(request_schema.pop("$defs", {}))
            schemas["SummarizeRequest"] = request_schema
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SummarizeRequest"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "text": {"type": "string"},
                        "title": {"type": "string"},
                        "points": {"type": "integer"},
                        "max_chars": {"type": "integer"},
                        "terms": {"type": "string", "description": "one term per line"},
                    },
                }
            },
        },
    }
}


def _swagger_dir() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    return Path(swagger_ui_path)
