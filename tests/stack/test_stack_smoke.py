"""The production stack serves the site."""


def test_the_article_is_served_with_its_headers(stack):
    response = stack.client().get("/")
    assert response.status == 200
    assert "Why is he pushing me away when he loves me?" in response.text
    assert response.header("Strict-Transport-Security").startswith("max-age=31536000")
    assert "default-src 'none'" in response.header("Content-Security-Policy")


def test_static_files_are_served_compressed_with_hashed_names(stack):
    page = stack.client().get("/").text
    css = page.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert css.startswith("/static/css/site.") and css.endswith(".css")
    response = stack.client().get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.header("Content-Encoding") == "gzip"
    assert "immutable" in response.header("Cache-Control")


def test_plain_http_is_redirected_to_https(stack):
    response = stack.client().request("GET", "/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.header("Location").startswith("https://")


def test_the_server_state_can_be_read(stack):
    assert stack.query("from advice.models import Item\nresult = Item.objects.count()") == 27


def test_server_logs_are_json_lines_without_paths_tokens_or_addresses(stack):
    import json

    client = stack.client()
    client.get("/results/" + "A" * 43 + "/")
    client.get("/")
    lines = [line for line in stack.log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line parses
    assert any(r.get("logger") == "gunicorn.access" for r in records)
    text = stack.log_path.read_text()
    assert "A" * 43 not in text
    assert "127.0.0.1" not in text


def test_a_publish_reaches_every_worker_at_once(stack):
    """Each of the three workers keeps the article in its own memory (no Redis here in the
    SQLite pass); an editor who publishes and reloads must see the new version whichever
    worker answers."""
    clients = [stack.client() for _ in range(12)]  # new connections: spread over workers
    assert all(c.get("/").status == 200 for c in clients)
    old = stack.retitle_and_publish("A title every worker shows at once")
    try:
        pages = [c.get("/").text for c in clients]
        assert all("A title every worker shows at once" in page for page in pages)
    finally:
        stack.retitle_and_publish(old)
