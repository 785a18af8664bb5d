"""The routes of ``vanthu web``: a Starlette application rendering Jinja2 templates
(``templates/web/``), in Vietnamese unless ``VANTHU_LANG`` says otherwise.

- ``/`` the letters, newest first, with a search by number, subject or issuer (``?q=``);
- ``/letters/<sha256>`` one letter: its fields beside its page images with their boxes (the
  review's), its tasks, its links; ``/letters/<sha256>/page-N.png`` a page image;
- ``/tasks`` the tasks (``?show=open|overdue|all``), overdue ones marked; ``POST
  /tasks/<task_id>`` (``status=done|open``) closes or reopens one, then back to ``back``;
- ``/register`` the register, with its downloads.

The store is opened for each request (SQLite or PostgreSQL, as ``vanthu tasks`` opens it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from vanthu.models.record import DispatchRecord
from vanthu.pipeline.errors import InputNotFound, UnknownTask, VanthuError
from vanthu.pipeline.i18n import N_, plural_translator, translator
from vanthu.web import pages
from vanthu.web.downloads import DOWNLOADS, letter_edxml, register_view

WEB_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class WebConfig:
    """What the application serves: the store's URL, ROOT (for originals), the language."""

    store_url: str
    root: Path
    lang: str = "vi"
    cache: Path | None = None  # page images; None: a temporary folder of this process
    today: Callable[[], date] = date.today
    gettext: Callable[[str], str] = field(init=False)

    def __post_init__(self) -> None:
        self.gettext = translator(self.lang)


def environment(config: WebConfig) -> Environment:
    """The review's environment (its filters, its templates for the page images) with the
    web templates first and gettext in the page's language."""
    from vanthu.views.html import environment as review_environment

    env = review_environment()
    env.loader = ChoiceLoader([FileSystemLoader(WEB_TEMPLATES), env.loader])  # type: ignore[list-item]
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=config.gettext, ngettext=plural_translator(config.lang), newstyle=True
    )
    return env


class Web:
    """The application's state and its route handlers."""

    def __init__(self, config: WebConfig):
        self.config = config
        self.env = environment(config)
        self.t = config.gettext  # the page's language
        cache = config.cache or Path(tempfile.mkdtemp(prefix="vanthu-web-"))
        self.images = pages.PageCache(cache)

    @contextmanager
    def store(self) -> Iterator[Any]:
        from vanthu.flows.store import StoreError, open_store

        try:
            db = open_store(self.config.store_url)
        except VanthuError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged file, a refused connection: said on the page
            reason = self.t(N_("the task store cannot be read: {reason}")).format(reason=exc)
            raise StoreError(self.config.store_url, reason) from None
        with db:
            yield db

    def render(self, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(f"web/{name}").render(lang=self.config.lang, **context)
        return HTMLResponse(html, status_code=status_code)

    # -- the pages
    def letters(self, request: Request) -> HTMLResponse:
        from vanthu.letters import letter_rows

        query = request.query_params.get("q", "")
        with self.store() as db:
            rows = letter_rows(db)
        found = pages.find_letters(rows, query)
        return self.render("letters.html", letters=found, total=len(rows), query=query, nav="letters")

    def letter(self, request: Request) -> HTMLResponse:
        sha = request.path_params["sha256"]
        with self.store() as db:
            data = db.record(sha)
            row = next((r for r in db.documents() if r["sha256"] == sha), None)
            stored = [t for t in db.tasks() if t["sha256"] == sha]
            links = _links(db, sha) if row is not None else {}
        if data is None or row is None:
            raise HTTPException(404, self.t(N_("No letter with this identifier in the store.")))
        record = DispatchRecord.model_validate(data)
        gettext = self.config.gettext
        images = self.images.get(record, pages.original_of(row, record, gettext), gettext)
        return self.render(
            "letter.html",
            r=record,
            row=row,
            sections=pages.letter_sections(record, gettext),
            images=images,
            tasks=pages.letter_tasks(record, stored, self.config.today()),
            links=links,
            back=f"/letters/{sha}",
            nav="letters",
        )

    def page_image(self, request: Request) -> Response:
        path = self.images.file(request.path_params["sha256"], request.path_params["name"])
        if path is None:
            raise HTTPException(404, self.t(N_("No such page image.")))
        return FileResponse(path)

    def tasks(self, request: Request) -> HTMLResponse:
        show = request.query_params.get("show", "open")
        show = show if show in pages.TASK_VIEWS else "open"
        with self.store() as db:
            rows = pages.task_rows(db.tasks(), self.config.today(), show)
        back = "/tasks?" + urlencode({"show": show})
        return self.render("tasks.html", tasks=rows, show=show, back=back, nav="tasks")

    async def set_task(self, request: Request) -> Response:
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8")).items()}
        status = form.get("status")
        if status not in ("done", "open"):
            raise HTTPException(400, self.t(N_("A task can only be closed or reopened.")))
        task_id = request.path_params["task_id"]

        def change() -> None:
            with self.store() as db:
                db.set_status([task_id], status)

        try:
            await run_in_threadpool(change)
        except UnknownTask:
            raise HTTPException(404, self.t(N_("No task with this identifier in the store."))) from None
        back = form.get("back") or "/tasks"
        if not back.startswith("/") or back.startswith("//"):  # only back to this site
            back = "/tasks"
        return RedirectResponse(back, status_code=303)

    def register(self, request: Request) -> HTMLResponse:
        try:
            with self.store() as db:
                book = register_view(db, request.query_params, self.config.lang)
        except InputNotFound as exc:  # a year without letters
            raise HTTPException(404, exc.line()) from None
        year = "all" if book.year is None and book.years else (book.year or "")
        return self.render("register.html", book=book, year=year, downloads=DOWNLOADS, nav="register")

    def download(self, request: Request) -> Response:
        kind = request.path_params["kind"]
        make = DOWNLOADS.get(kind)
        if make is None:
            raise HTTPException(404, self.t(N_("No such download.")))
        try:
            with self.store() as db:
                return _attachment(*make.build(db, request.query_params, self.config.lang))
        except InputNotFound as exc:  # a year without letters
            raise HTTPException(404, exc.line()) from None

    def edxml(self, request: Request) -> Response:
        with self.store() as db:
            made = letter_edxml(db, self.config.store_url, request.path_params["sha256"])
        if made is None:
            raise HTTPException(404, self.t(N_("No letter with this identifier in the store.")))
        return _attachment(*made)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        code = getattr(exc, "status_code", 500)
        detail = getattr(exc, "detail", "") or ""
        if detail == _status_phrase(code):  # Starlette's own English ("Not Found"): the heading says it
            detail = ""
        return self.render("error.html", status_code=code, code=code, detail=detail, nav=None)

    async def failed(self, request: Request, exc: Exception) -> Response:
        """A store that cannot be read (or another error of vanthu's): its one line, 503;
        a bug: 500, with the exception's name."""
        if isinstance(exc, VanthuError):
            return self.render("error.html", status_code=503, code=503, detail=exc.line(), nav=None)
        detail = f"{type(exc).__name__}: {exc}"
        return self.render("error.html", status_code=500, code=500, detail=detail, nav=None)


def _status_phrase(code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _attachment(body: bytes, media: str, name: str) -> Response:
    from urllib.parse import quote

    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


def _links(db: Any, sha256: str) -> dict[str, list[dict[str, Any]]]:
    """The stored letters this one cites (→) and those citing it (←), as ``vanthu links``
    finds them: number, date, issuer, subject, sha256, the reference as printed."""
    from vanthu.linking import links_of, stored_links

    links, docs = stored_links(db)
    return links_of(sha256, links, docs)


def create_app(config: WebConfig) -> Starlette:
    web = Web(config)
    routes = [
        Route("/", web.letters),
        Route("/letters", web.letters),
        Route("/letters/{sha256}", web.letter),
        Route("/letters/{sha256}/edxml", web.edxml),
        Route("/letters/{sha256}/{name}", web.page_image),
        Route("/tasks", web.tasks),
        Route("/tasks/{task_id}", web.set_task, methods=["POST"]),
        Route("/register", web.register),
        Route("/download/{kind}", web.download),
    ]
    handlers = {HTTPException: web.not_found, 404: web.not_found, VanthuError: web.failed, Exception: web.failed}
    return Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]
