"""The web page and JSON API of `keypoints serve` (the `web` extra: FastAPI, uvicorn,
Jinja2, python-multipart, swagger-ui-bundle).

    >>> from keypoints.web import create_app, WebConfig
    >>> create_app(WebConfig(load_models=False)).title
    'keypoints'
"""

from keypoints.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
