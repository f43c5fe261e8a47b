"""The app's routes through Starlette's TestClient: pages, live scores, saving, refusals."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from markupsafe import escape
from starlette.testclient import TestClient

from gatekeeper.catalog.loader import load_catalog
from gatekeeper.jsonio import sha256_file
from gatekeeper.serve.app import create_app
from gatekeeper.serve.attestations_file import ABSENT
from gatekeeper.serve.forms import NOT_EDITABLE
from serve.conftest import BASE_URL, settings_for

ANSWER = {
    "INF-Q5.score": "3",
    "INF-Q5.evidence": "docs/DR_DRILL_2026-10.md",
    "INF-Q5.attested_by": "Ana Silva (SRE)",
    "INF-Q5.date": "2026-11-20",
    "INF-Q5.expires": "2027-11-20",
}


def hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found, f"no hidden field {name}"
    return html.unescape(found.group(1))


def loaded(client: TestClient) -> dict[str, str]:
    """What the page's form carries besides the answers: its CSRF token and file digest."""
    page = client.get("/questionnaire").text
    return {"csrf": hidden(page, "csrf"), "file_sha256": hidden(page, "file_sha256")}


def level(page: str, domain: str) -> str:
    found = re.search(rf'id="level-{domain}" class="[^"]*">(\d)<', page)
    assert found
    return found.group(1)


# --- the model ---------------------------------------------------------------------------


def test_the_model_page_shows_every_catalog_part(client):
    page = client.get("/").text
    catalog = load_catalog()
    for domain in catalog.domains:
        row = re.search(rf'<tr id="domain-{domain.id}">(.*?)</tr>', page, re.S)
        assert row, domain.id
        for text in domain.levels:
            assert html.escape(text) in row.group(1)
        assert html.escape(domain.standards_alignment) in page
    for item in (*(p.name for p in catalog.phases), *(c.name for c in catalog.checklists),
                 *(t.term for t in catalog.glossary), *(s.name for s in catalog.scale)):
        assert html.escape(item) in page


# --- the questionnaire -------------------------------------------------------------------


def test_every_question_by_domain_with_its_target_and_only_attested_ones_editable(
    client, attested
):
    page = client.get("/questionnaire").text
    articles = re.findall(r'<article id="([A-Z]{3}-Q\d+)" class="question (\w+)">', page)
    assert [a for a, _ in articles] == [q.id for q in load_catalog().questions]
    kinds = dict(articles)
    assert kinds["GRC-Q1"] == "automated" and kinds["MON-Q3"] == "attested"
    assert [q for q, kind in kinds.items() if kind == "attested"] == attested
    assert len(attested) >= 15  # most of the example's level-1..3 questions stay attested
    for question, kind in kinds.items():
        has_field = f'name="{question}.score"' in page
        assert has_field == (kind == "attested"), question
    assert "target level 2" in page


def test_a_control_answer_shows_its_trace(client, project):
    page = client.get("/questionnaire").text
    article = re.search(r'<article id="GRC-Q1".*?</article>', page, re.S).group(0)
    assert "GRC-governance-charter-complete" in article
    digest = sha256_file(project / "docs/GOVERNANCE_CHARTER.md")
    assert "docs/GOVERNANCE_CHARTER.md" in article and digest in article
    assert "strength (at most 2)" in article  # why this score
    assert "superseded" in article  # the file's old attestation does not count


def test_live_scores_follow_an_answer(client):
    form = {**loaded(client), **ANSWER}
    before = client.get("/questionnaire").text
    assert level(before, "INF") == "2"
    response = client.post("/api/score", data=form, headers={"X-CSRF-Token": form["csrf"]})
    assert response.status_code == 200
    result = response.json()
    assert level(result["panel"], "INF") == "3"
    assert result["questions"]["INF-Q5"]["score"] == 3
    assert result["errors"] == {}
    inf = next(d for d in result["state"]["maturity"]["domains"] if d["id"] == "INF")
    assert inf["level"] == 3


def test_without_javascript_recalculate_renders_the_same_scores(client, project):
    before = (project / "attestations.yaml").read_bytes()
    response = client.post("/questionnaire", data={**loaded(client), **ANSWER,
                                                   "action": "preview"})
    assert response.status_code == 200
    assert level(response.text, "INF") == "3"
    assert 'value="Ana Silva (SRE)"' in response.text
    assert (project / "attestations.yaml").read_bytes() == before


# --- saving ------------------------------------------------------------------------------


def test_save_writes_the_answer_and_keeps_comments_and_the_rest(client, project):
    path = project / "attestations.yaml"
    before = path.read_text()
    response = client.post("/questionnaire", data={**loaded(client), **ANSWER, "action": "save"},
                           follow_redirects=False)
    assert response.status_code == 303
    after = path.read_text()
    assert after != before
    assert after.splitlines()[:8] == before.splitlines()[:8]  # the header comments
    assert "# keep this comment" in after
    assert "# Documented answers, added by the serve tests" in after
    saved = yaml.safe_load(after)["attestations"]
    assert saved["INF-Q5"]["score"] == 3
    assert saved["INF-Q5"]["attested_by"] == "Ana Silva (SRE)"
    assert saved["INF-Q5"]["evidence_files"][0]["path"] == "docs/DR_DRILL_2026-10.md"
    before_entries = yaml.safe_load(before)["attestations"]
    assert list(saved) == list(before_entries)  # key order kept
    untouched = re.search(r"  INF-Q4:\n.*?(?=  INF-Q5:)", before, re.S).group(0)
    assert untouched in after  # its nested list keeps its indentation, byte for byte
    for question in before_entries:
        if question != "INF-Q5":
            assert saved[question] == before_entries[question], question
    page = client.get("/questionnaire").text
    assert level(page, "INF") == "3"
    assert 'value="Ana Silva (SRE)"' in page


def test_a_new_answer_goes_in_catalog_order(client, project):
    form = {**loaded(client), "action": "save", "APP-Q8.score": "2",
            "APP-Q8.evidence": "https://wiki.example.com/rag", "APP-Q8.attested_by": "Kim",
            "APP-Q8.date": "2026-11-20", "APP-Q8.expires": "2027-11-20"}
    page = client.get("/questionnaire").text
    assert 'name="APP-Q8.score"' in page
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    order = list(yaml.safe_load((project / "attestations.yaml").read_text())["attestations"])
    assert order.index("APP-Q8") == order.index("INF-Q5") + 1


def test_clearing_the_score_removes_the_answer(client, project):
    form = {**loaded(client), "action": "save", "SAF-Q5.score": ""}
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    saved = yaml.safe_load((project / "attestations.yaml").read_text())["attestations"]
    assert "SAF-Q5" not in saved and "MON-Q3" in saved


def test_a_stale_page_is_refused_and_shows_both(client, project):
    path = project / "attestations.yaml"
    form = {**loaded(client), **ANSWER, "action": "save"}
    edited = path.read_text().replace("score: 1  # keep this comment", "score: 2  # by hand")
    path.write_text(edited)
    response = client.post("/questionnaire", data=form)
    assert response.status_code == 409
    assert path.read_text() == edited  # never overwritten
    assert "Ana Silva (SRE)" in response.text  # yours
    assert "# by hand" in response.text  # theirs, the file now
    row = re.search(r"<th scope=\"row\">INF-Q5</th>(.*?)</tr>", response.text, re.S).group(1)
    assert "3 ·" in row and "2 ·" in row


def test_a_file_created_since_the_page_loaded_is_a_conflict(client, project):
    form = {**loaded(client), **ANSWER, "action": "save", "file_sha256": ABSENT}
    assert client.post("/questionnaire", data=form).status_code == 409


@pytest.mark.parametrize("field,value,message", [
    ("INF-Q5.expires", "2026-01-01", "is before its date"),
    ("INF-Q5.date", "20.11.2026", "is not a date"),
    ("INF-Q5.evidence", "", "shorter than 1 character"),
    ("INF-Q5.attested_by", "  ", "shorter than 1 character"),
    ("INF-Q5.score", "7", "greater than the maximum of 4"),
    ("INF-Q5.score", "three", "is not of type"),
])
def test_bad_input_gets_a_message_next_to_its_field(client, project, field, value, message):
    path = project / "attestations.yaml"
    before = path.read_bytes()
    response = client.post("/questionnaire",
                           data={**loaded(client), **ANSWER, field: value, "action": "save"})
    assert response.status_code == 422
    fid = "f-" + field.replace(".", "-")
    block = re.search(rf'<p class="field-error" id="err-{fid}" role="status">([^<]*)</p>',
                      response.text)
    assert block and message in html.unescape(block.group(1))
    assert f'id="{fid}" name="{field}"' in response.text
    assert path.read_bytes() == before


def test_a_question_a_control_answered_cannot_be_attested(client, project):
    path = project / "attestations.yaml"
    before = path.read_bytes()
    form = {**loaded(client), "action": "save", "GRC-Q2.score": "3",
            "GRC-Q2.evidence": "x", "GRC-Q2.attested_by": "me",
            "GRC-Q2.date": "2026-11-20", "GRC-Q2.expires": "2027-11-20"}
    response = client.post("/questionnaire", data=form)
    assert response.status_code == 422
    assert html.escape(NOT_EDITABLE) in response.text
    assert path.read_bytes() == before


@pytest.mark.parametrize("token", [None, "", "x" * 43])
def test_a_post_without_the_right_csrf_token_is_refused(client, project, token):
    path = project / "attestations.yaml"
    before = path.read_bytes()
    form = {**loaded(client), **ANSWER, "action": "save"}
    if token is None:
        del form["csrf"]
    else:
        form["csrf"] = token
    assert client.post("/questionnaire", data=form).status_code == 403
    assert client.post("/api/score", data=form).status_code == 403
    assert path.read_bytes() == before


def test_the_csrf_cookie_must_match_not_just_exist(project):
    """A token from another browser (another cookie) is refused."""
    one = TestClient(create_app(settings_for(project)), base_url=BASE_URL)
    other = TestClient(create_app(settings_for(project)), base_url=BASE_URL)
    form = {**loaded(one), **ANSWER, "action": "save"}
    loaded(other)
    assert other.post("/questionnaire", data=form).status_code == 403
    assert one.post("/questionnaire", data=form, follow_redirects=False).status_code == 303


# --- inert evidence ----------------------------------------------------------------------


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_evidence_strings_are_inert(client, project, payload):
    form = {**loaded(client), **ANSWER, "INF-Q5.evidence": payload,
            "INF-Q5.attested_by": payload, "action": "save"}
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    assert yaml.safe_load((project / "attestations.yaml").read_text())[
        "attestations"]["INF-Q5"]["evidence"] == payload
    page = client.get("/questionnaire").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert str(escape(payload)) in page
    assert "49" not in re.search(r'<article id="INF-Q5".*?</article>', page, re.S).group(0)
    assert 'href="javascript:' not in page


# --- exports -----------------------------------------------------------------------------


def test_exports(client, project):
    state = client.get("/export/state.json")
    assert state.headers["content-disposition"].startswith("attachment")
    data = state.json()
    assert data["attestations"]["sha256"] == sha256_file(project / "attestations.yaml")
    assert [q["id"] for q in data["maturity"]["questions"]] == [
        q.id for q in load_catalog().questions]
    assert "INF-Q5" in data["editable"] and "GRC-Q1" not in data["editable"]
    exported = client.get("/export/attestations.yaml")
    assert exported.content == (project / "attestations.yaml").read_bytes()
    report = client.get("/export/report.html")
    assert report.status_code == 200 and "<svg" in report.text
    assert "sentiment-scorer" in report.text
    assert "unsafe-inline" in report.headers["content-security-policy"]  # its own, stricter


# --- safe by default ---------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/", "/questionnaire", "/organization",
                                   "/static/serve.css", "/static/live.js"])
def test_every_page_forbids_inline_code_and_other_origins(client, route):
    response = client.get(route)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    if route.endswith(("/", "questionnaire", "organization")):
        assert "<script>" not in response.text and " style=" not in response.text
        assert "http://" not in response.text.replace("http://www.w3.org/2000/svg", "")
        assert "https://" not in re.sub(r"<code>[^<]*</code>|value=\"[^\"]*\"", "",
                                        response.text.replace("https://wiki.example.com", ""))


def test_another_host_name_is_refused(client):
    """DNS rebinding: a page of another site resolving its name to 127.0.0.1."""
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


TOKEN = "s3cret-token-of-32-characters-xx"


def test_with_a_token_every_request_needs_it(project):
    app = create_app(settings_for(project, token=TOKEN))
    client = TestClient(app, base_url=BASE_URL)
    for route in ("/", "/questionnaire", "/static/serve.css", "/export/attestations.yaml"):
        assert client.get(route).status_code == 401, route
    assert client.get("/", headers={"authorization": "Bearer nope"}).status_code == 401
    assert client.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get(f"/?token={TOKEN[:-1]}y").status_code == 401
    login = client.get(f"/questionnaire?token={TOKEN}", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/questionnaire"
    assert "httponly" in login.headers["set-cookie"].lower()
    assert client.get("/questionnaire").status_code == 200  # the cookie now
    client.cookies.clear()
    assert client.get("/questionnaire").status_code == 401


def test_a_broken_attestations_file_is_shown_not_served(client, project):
    (project / "attestations.yaml").write_text("version: 1\nattestations:\n  XYZ-Q9: {}\n")
    response = client.get("/questionnaire")
    assert response.status_code == 500
    assert "attestations.yaml" in response.text and "unknown question" in response.text


def test_a_changed_pinned_file_is_reported_on_the_page(client, project):
    assert 'id="evidence-problem"' not in client.get("/questionnaire").text
    (project / "docs/DR_DRILL_2026-10.md").write_text("rewritten after it was attested\n")
    page = client.get("/questionnaire").text
    problem = re.search(r'id="evidence-problem">([^<]*)<', page)
    assert problem and "INF-Q4.evidence_files: docs/DR_DRILL_2026-10.md" in problem.group(1)


def test_the_whole_form_as_loaded_saves_only_what_changed(client, project, attested):
    """The browser sends every field: unchanged answers are not rewritten."""
    page = client.get("/questionnaire").text
    form = {name: html.unescape(value) for name, value in re.findall(
        r'<input id="f-[^"]+" name="([^"]+)" value="([^"]*)"', page)}
    for name, value in re.findall(
            r'<select id="f-[^"]+" name="([^"]+)".*?<option value="([^"]*)" selected', page, re.S):
        form[name] = value
    assert len(form) == len(attested) * 6
    before = (project / "attestations.yaml").read_text()
    form.update({**loaded(client), "action": "save", "MON-Q3.score": "1"})
    response = client.post("/questionnaire", data=form)
    assert "Saved 1 answer(s)" in response.text
    after = (project / "attestations.yaml").read_text()
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert changed == ["    score: 1"]


def _pin(client, files: str, score: str = "3") -> dict[str, str]:
    return {**loaded(client), "action": "save", "MON-Q3.score": score,
            "MON-Q3.evidence": "https://wiki.example.com/safety/jailbreak-trends",
            "MON-Q3.attested_by": "Lee Chen", "MON-Q3.date": "2026-11-20",
            "MON-Q3.expires": "2027-11-20", "MON-Q3.evidence_files": files}


def test_evidence_files_are_pinned_and_let_an_answer_reach_3(client, project):
    form = _pin(client, "docs/SAFETY_POLICY.md, docs/RED_TEAM_REPORT_2026.md")
    live = client.post("/api/score", data=form, headers={"X-CSRF-Token": form["csrf"]}).json()
    assert live["questions"]["MON-Q3"]["score"] == 3
    bare = client.post("/api/score", data={**form, "MON-Q3.evidence_files": ""},
                       headers={"X-CSRF-Token": form["csrf"]}).json()
    assert bare["questions"]["MON-Q3"]["score"] == 2
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    saved = yaml.safe_load((project / "attestations.yaml").read_text())["attestations"]["MON-Q3"]
    assert saved["evidence_files"] == [
        {"path": "docs/SAFETY_POLICY.md", "sha256": sha256_file(project / "docs/SAFETY_POLICY.md")},
        {"path": "docs/RED_TEAM_REPORT_2026.md",
         "sha256": sha256_file(project / "docs/RED_TEAM_REPORT_2026.md")},
    ]
    assert 'value="docs/SAFETY_POLICY.md, docs/RED_TEAM_REPORT_2026.md"' in client.get(
        "/questionnaire").text


def test_a_pinned_file_keeps_its_digest_until_given_anew(client, project):
    """Saving the answer again does not re-pin a file that changed: check would catch it."""
    pinned = project / "docs/DR_DRILL_2026-10.md"
    digest = sha256_file(pinned)
    pinned.write_text("changed after it was attested\n")
    form = {**loaded(client), "action": "save", "INF-Q5.score": "2",
            "INF-Q5.evidence": "x", "INF-Q5.attested_by": "Sam", "INF-Q5.date": "2026-11-01",
            "INF-Q5.expires": "2027-11-01", "INF-Q5.evidence_files": "docs/DR_DRILL_2026-10.md"}
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    saved = yaml.safe_load((project / "attestations.yaml").read_text())["attestations"]["INF-Q5"]
    assert saved["evidence_files"][0]["sha256"] == digest


def test_clearing_the_evidence_files_removes_them(client, project):
    form = {**loaded(client), "action": "save", "INF-Q5.score": "1",
            "INF-Q5.evidence": "docs/DR_DRILL_2026-10.md",
            "INF-Q5.attested_by": "Sam Okafor (platform security)",
            "INF-Q5.date": "2026-11-01", "INF-Q5.expires": "2027-11-01",
            "INF-Q5.evidence_files": ""}
    assert client.post("/questionnaire", data=form, follow_redirects=False).status_code == 303
    saved = yaml.safe_load((project / "attestations.yaml").read_text())["attestations"]
    assert "evidence_files" not in saved["INF-Q5"] and "evidence_files" in saved["INF-Q4"]


@pytest.mark.parametrize("files,message", [
    ("docs/NOPE.md", "docs/NOPE.md"),
    ("../gatekeeper.yaml", "does not match"),
    ("/etc/hostname", "does not match"),
    ("docs", "docs"),
])
def test_an_evidence_file_outside_the_folder_or_missing_is_refused(client, project, files,
                                                                   message):
    before = (project / "attestations.yaml").read_bytes()
    response = client.post("/questionnaire", data=_pin(client, files))
    assert response.status_code == 422
    block = re.search(r'id="err-f-MON-Q3-evidence_files" role="status">([^<]*)<', response.text)
    assert block and message in html.unescape(block.group(1))
    assert (project / "attestations.yaml").read_bytes() == before


def test_the_configuration_is_read_again_when_it_changes(client, project):
    from gatekeeper.serve.project import cached_config

    config = project / "gatekeeper.yaml"
    assert cached_config(config) is cached_config(config)
    (project / "answers.yaml").write_text("version: 1\nattestations: {}\n")
    config.write_text(config.read_text().replace("attestations: attestations.yaml",
                                                 "attestations: answers.yaml"))
    assert cached_config(config).attestations == "answers.yaml"
    assert "<code>answers.yaml</code>" in client.get("/questionnaire").text
