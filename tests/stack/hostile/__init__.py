"""Hostile input against the real stack: gunicorn, production settings, spoken to over HTTP.

The rule, for every case in this package:

- the site answers with a 4xx (or a harmless 2xx/3xx), never a 5xx, and gunicorn logs no
  server error while the case runs;
- no script an attacker wrote runs in a browser: editors' Markdown is loaded in Chromium,
  once with the site's Content-Security-Policy and once with it stripped, so the sanitiser
  is shown to hold on its own;
- no hostile request creates, changes or deletes a stored answer: every quiz session, its
  revision, completion time and answers are read from the server's database before and
  after each case (`answers_untouched`, conftest.py) and must be identical.

Most hostile requests start from what a reader's browser would send (valid cookies, CSRF
token, current revision, a real answer) and change one thing, so a check that gave way
would show up as a stored answer. They are written byte by byte (wire.py), since
http.client refuses much of what an attacker can put on the wire.

One module per kind of attack: test_markdown (script in editors' Markdown), test_uploads,
test_answers (a reader's answer tampered with), test_bodies and test_addresses (what Django
has to decode), test_hosts, test_login_redirects, test_result_tokens. The helpers they
share: wire (raw HTTP), server_side (the server's database and log), readers (the
questionnaire as readers take it), editors (the admin), script_probes (Chromium).
"""
