"""`keypoints serve`: the web page and JSON API (the `web` extra)."""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Annotated, Any

import typer

from keypoints.cli.app import app, err
from keypoints.errors import WebUnavailableError

# What `--workers` > 1 hands each worker process (uvicorn imports the app by name).
ENV_MAX_BODY, ENV_QUEUE = "KEYPOINTS_WEB_MAX_BODY", "KEYPOINTS_WEB_QUEUE"


@app.command()
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on. Only loopback by default: the page has no login."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Server processes, each with its own models and one GiNZA thread.",
        ),
    ] = 1,
    max_body: Annotated[
        int,
        typer.Option(
            "--max-body", min=1024, help="Largest request body in bytes; larger gets HTTP 413."
        ),
    ] = 2 * 1024 * 1024,
    queue: Annotated[
        int,
        typer.Option(
            "--queue",
            min=0,
            help="Requests that may wait per process beside the one running; more get HTTP 503.",
        ),
    ] = 16,
) -> None:
    """Serve the ポイント page (GET /) and its JSON API (POST /api/summarize, GET /api/health,
    OpenAPI docs at /docs). The models load once at start-up; nothing is fetched from the
    network."""
    try:
        import uvicorn

        from keypoints.web import WebConfig, create_app
    except ImportError as error:
        raise WebUnavailableError(
            f"keypoints serve needs the web extra ({error.name} is missing): "
            "pip install 'keypoints[web]'"
        ) from None
    _check_port(host, port)
    if not _is_loopback(host):
        err.print(f"warning: serving on {host}, not loopback: anyone who can reach it can use it")
    shown = f"[{host}]" if ":" in host else host
    err.print(f"keypoints: loading models, then serving http://{shown}:{port}/", highlight=False)
    if workers == 1:
        uvicorn.run(
            create_app(WebConfig(max_body=max_body, queue=queue)),
            host=host,
            port=port,
            log_level="warning",
        )
        return
    os.environ[ENV_MAX_BODY], os.environ[ENV_QUEUE] = str(max_body), str(queue)
    uvicorn.run(
        "keypoints.cli.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def app_from_environment() -> Any:
    """The app of one `--workers` process, configured by the parent's environment."""
    from keypoints.web import WebConfig, create_app

    return create_app(
        WebConfig(max_body=int(os.environ[ENV_MAX_BODY]), queue=int(os.environ[ENV_QUEUE]))
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    """A clear message, before the models load, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise WebUnavailableError(f"cannot listen on {host}:{port}: {error.strerror}") from None
