"""The app factory and its routes (Starlette), rendered by Jinja2 with autoescaping.

  GET  /                        the model: levels, domains x levels, standards, roadmap,
                                checklists, glossary, response scale
  GET  /questionnaire           the 78 questions, live scores, the attested ones as a form
  POST /questionnaire           action=preview: score the form; action=save: write the file
  POST /api/score               the live scores of a form (JSON), for the page's script
  GET  /organization            the results history's systems (when one is configured)
  GET  /export/state.json       the questionnaire's state
  GET  /export/attestations.yaml, /export/report.html
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gatekeeper.catalog.loader import load_catalog
from gatekeeper.errors import GatekeeperError
from gatekeeper.jsonio import dumps
from gatekeeper.reporters import render
from gatekeeper.reporters.html import CSP as REPORT_CSP
from gatekeeper.reporters.html import radar
from gatekeeper.serve.attestations_file import Conflict, save
from gatekeeper.serve.forms import (
    FIELDS,
    Submission,
    field_name,
    read_submission,
    shown_files,
)
from gatekeeper.serve.project import (
    Project,
    Settings,
    cached_config,
    evidence_problem,
    load_project,
    page_state,
)
from gatekeeper.serve.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SecurityMiddleware,
    csrf_ok,
    csrf_token,
    set_csrf_cookie,
)

DEFAULT_LIFETIME = timedelta(days=365)  # as `gatekeeper assess` proposes
STATIC = Path(__file__).parent / "static"


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("gatekeeper.serve", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["field_name"] = field_name
    environment.globals["FIELDS"] = FIELDS
    environment.globals["why"] = why
    environment.filters["radar"] = lambda domains: Markup(radar(domains))  # escapes its text
    return environment


class App:
    """The routes over one Settings; each request reads the project again."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.templates = _environment()
        self._store: Any = None

    # --- rendering ---------------------------------------------------------------------

    def page(
        self, request: Request, template: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        csrf, new = csrf_token(request)
        html = self.templates.get_template(template).render(
            **context, csrf=csrf, csrf_field=CSRF_FIELD, path=request.url.path
        )
        response = HTMLResponse(html, status_code=status)
        if new:
            set_csrf_cookie(response, csrf)
        return response

    def error(self, request: Request, error: GatekeeperError, status: int = 500) -> HTMLResponse:
        return self.page(request, "error.html", {"error": str(error), "title": "Error"}, status)

    # --- the model ---------------------------------------------------------------------

    async def model(self, request: Request) -> Response:
        catalog = load_catalog()
        return self.page(request, "model.html", {"catalog": catalog, "title": "The model"})

    # --- the questionnaire -------------------------------------------------------------

    def _questionnaire(
        self,
        request: Request,
        project: Project,
        submission: Submission | None = None,
        status: int = 200,
        message: str | None = None,
    ) -> HTMLResponse:
        now = self.settings.now()
        answers = submission.answers if submission else project.answers()
        state = page_state(project, answers, now)
        snapshot = project.attestations
        context = {
            "title": "Questionnaire",
            "project": project,
            "state": state,
            "catalog": project.catalog,
            "questions": {q["id"]: q for q in state["maturity"]["questions"]},
            "editable": set(state["editable"]),
            "values": self._values(project, submission, now),
            "errors": submission.errors if submission else {},
            "file_sha256": snapshot.sha256 if snapshot else "",
            "message": message,
            "evidence_problem": evidence_problem(project),
        }
        return self.page(request, "questionnaire.html", context, status)

    def _values(
        self, project: Project, submission: Submission | None, now: Any
    ) -> dict[str, str]:
        """What each field shows: the file's answer, else a date of today and a year on."""
        values: dict[str, str] = {}
        answers = project.answers()
        for question in project.editable():
            answer = answers.get(question)
            data = answer.to_dict() if answer else {
                "score": "", "evidence": "", "attested_by": "",
                "date": now.date().isoformat(),
                "expires": (now.date() + DEFAULT_LIFETIME).isoformat(),
            }
            data["evidence_files"] = shown_files(answer)
            values.update({field_name(question, key): str(data[key]) for key in FIELDS})
        if submission is not None:
            values.update(submission.values)
        return values

    async def questionnaire(self, request: Request) -> Response:
        try:
            project = load_project(self.settings)
        except GatekeeperError as error:
            return self.error(request, error)
        saved = request.query_params.get("saved")
        message = f"Saved {saved} answer(s) to {project.attestations_name}." if saved else None
        return self._questionnaire(request, project, message=message)

    async def _submission(self, request: Request) -> tuple[Project, Submission, Any] | Response:
        form = await request.form()
        submitted = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        if not csrf_ok(request, submitted if isinstance(submitted, str) else None):
            return HTMLResponse(
                "<!doctype html><title>Refused</title><p>Refused: the form's CSRF token is "
                "missing or wrong. Reload the page and submit again.</p>", status_code=403,
            )
        try:
            project = load_project(self.settings)
        except GatekeeperError as error:
            return self.error(request, error)
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        folder = project.config.base_dir
        if project.attestations is not None:
            folder = project.attestations.path.parent
        submission = read_submission(
            fields, project.editable(), project.answered(), project.answers(), folder
        )
        return project, submission, fields

    async def submit(self, request: Request) -> Response:
        checked = await self._submission(request)
        if isinstance(checked, Response):
            return checked
        project, submission, fields = checked
        if submission.errors:
            return self._questionnaire(
                request, project, submission, 422, "Nothing was saved: correct the fields marked."
            )
        if fields.get("action") != "save":
            return self._questionnaire(request, project, submission)
        if project.attestations is None:
            return self._questionnaire(
                request, project, submission, 409,
                "No attestations file is configured (`attestations:` in gatekeeper.yaml).",
            )
        order = [q.id for q in project.catalog.questions]
        try:
            saved = save(project.attestations.path, fields.get("file_sha256", ""),
                         submission.changes, order)
        except GatekeeperError as error:
            return self.error(request, error)
        if isinstance(saved, Conflict):
            return self.page(request, "conflict.html", {
                "title": "Conflict", "project": project, "submission": submission,
                "current": saved.current,
                "theirs": saved.current.attestations.answers if saved.current.attestations
                else {},
            }, 409)
        return RedirectResponse(f"/questionnaire?saved={len(submission.changes)}", 303)

    async def score(self, request: Request) -> Response:
        checked = await self._submission(request)
        if isinstance(checked, Response):
            return checked
        project, submission, _ = checked
        state = page_state(project, submission.answers, self.settings.now())
        panel = self.templates.get_template("_scores.html").render(
            maturity=state["maturity"], catalog=project.catalog
        )
        questions = {
            q["id"]: {"score": q["score"], "why": [why(limit) for limit in q["limits"]]}
            for q in state["maturity"]["questions"] if q["id"] in state["editable"]
        }
        return JSONResponse({"panel": panel, "errors": submission.errors,
                             "questions": questions, "state": state})

    # --- the organization --------------------------------------------------------------

    def _history_url(self) -> str | None:
        """--history, else $GATEKEEPER_HISTORY_URL, else `history:` in the configuration."""
        from gatekeeper.history.url import resolve

        return resolve(self.settings.history_url, cached_config(self.settings.config_path).history)

    async def organization(self, request: Request) -> Response:
        from gatekeeper.serve.org import organization

        try:
            url = self._history_url()
        except GatekeeperError as error:
            return self.error(request, error)
        if url is None:
            return self.page(request, "organization.html",
                             {"title": "Organization", "org": None, "catalog": load_catalog()})
        try:
            if self._store is None:
                from gatekeeper.history.store import open_store

                self._store = open_store(url)
            org = organization(self._store, load_catalog())
        except GatekeeperError as error:
            return self.error(request, error)
        return self.page(request, "organization.html",
                         {"title": "Organization", "org": org, "catalog": load_catalog()})

    # --- exports -----------------------------------------------------------------------

    async def export_state(self, request: Request) -> Response:
        try:
            project = load_project(self.settings)
        except GatekeeperError as error:
            return self.error(request, error)
        state = page_state(project, project.answers(), self.settings.now())
        return Response(dumps(state), media_type="application/json",
                        headers=_attachment("gatekeeper-assessment.json"))

    async def export_attestations(self, request: Request) -> Response:
        try:
            project = load_project(self.settings)
        except GatekeeperError as error:
            return self.error(request, error)
        if project.attestations is None or project.attestations.attestations is None:
            return self.page(request, "error.html", {
                "title": "Error", "error": "there is no attestations file to export yet",
            }, 404)
        return Response(project.attestations.text, media_type="application/yaml",
                        headers=_attachment(project.attestations.path.name))

    async def export_report(self, request: Request) -> Response:
        try:
            project = load_project(self.settings)
        except GatekeeperError as error:
            return self.error(request, error)
        headers = {**_attachment("gatekeeper-report.html"),
                   "Content-Security-Policy": REPORT_CSP}
        return HTMLResponse(render("html", project.results), headers=headers)


def why(limit: dict[str, Any]) -> str:
    """A limit on a question's score, as the page lists it under "Why this score"."""
    return f"{limit['rule']} (at most {limit['cap']}): {limit['why']}"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def create_app(settings: Settings) -> Starlette:
    app = App(settings)
    routes = [
        Route("/", app.model),
        Route("/questionnaire", app.questionnaire, methods=["GET"]),
        Route("/questionnaire", app.submit, methods=["POST"]),
        Route("/api/score", app.score, methods=["POST"]),
        Route("/organization", app.organization),
        Route("/export/state.json", app.export_state),
        Route("/export/attestations.yaml", app.export_attestations),
        Route("/export/report.html", app.export_report),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts)),
        Middleware(SecurityMiddleware, token=settings.token),
    ]
    return Starlette(routes=routes, middleware=middleware)
