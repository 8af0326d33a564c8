"""When the database or the cache is down: /healthz says 503, readers get the styled page."""

import time

from bench.stackserver import free_port

from .conftest import Stack, serving


def broken_stack(stack, tmp_path, **env) -> Stack:
    port = free_port()
    return Stack(f"http://127.0.0.1:{port}", {**stack.env, "PORT": str(port), **env}, None)


def test_with_the_database_down_readers_get_the_styled_500_quickly(stack, tmp_path):
    closed = free_port()  # nothing listens here
    down = broken_stack(stack, tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/x")
    with serving(down, tmp_path / "gunicorn.log"):
        began = time.monotonic()
        response = down.client().get("/")
        took = time.monotonic() - began
        assert response.status == 500
        assert "Something went wrong on our side" in response.text
        assert "Traceback" not in response.text
        assert took < 10
        health = down.client().get("/healthz")
        assert health.status == 503
        assert '"database": "down"' in health.text


def test_with_the_cache_down_the_health_check_says_so(stack, tmp_path):
    closed = free_port()
    down = broken_stack(stack, tmp_path, REDIS_URL=f"redis://127.0.0.1:{closed}/0")
    with serving(down, tmp_path / "gunicorn.log"):
        health = down.client().get("/healthz")
        assert health.status == 503
        assert '"cache": "down"' in health.text
        assert '"database": "ok"' in health.text
