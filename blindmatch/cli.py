"""The `blindmatch` command: serve, worker, demo, create-admin, migrate, taxonomy and geo imports."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from blindmatch.processes import bounded_http, start_worker, worker_command


class _OneLineErrors(typer.Typer):
    """A configuration or connection problem ends the command with one line saying what to fix.

    A traceback of 80 lines hides the one fact a newcomer needs (the URL is malformed, the server is down),
    and a URL in it may carry a password: the line names the variable, never its value.
    """

    def __call__(self, *args, **kwargs):
        from pydantic import ValidationError
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

        try:
            return super().__call__(*args, **kwargs)
        except ValidationError as refused:  # the settings: messages name the variable, never its value
            problems = "; ".join(error["msg"].removeprefix("Value error, ") for error in refused.errors())
            _fail(f"configuration refused: {problems}")
        except (ArgumentError, NoSuchModuleError):
            _fail("DATABASE_URL is not a database URL this service reads: expected "
                  "postgresql://user:password@host:5432/name or sqlite:///path/to/file.db")
        except OperationalError as unreachable:
            _fail(f"the database cannot be used ({_database_place()}): {_first_line(unreachable.orig)}")


def _first_line(error: BaseException | None) -> str:
    lines = [line.strip() for line in str(error or "").splitlines() if line.strip()]
    return lines[0][:300] if lines else "no answer"


def _database_place() -> str:
    """Where DATABASE_URL points, as host:port/name, without the user or password."""
    from sqlalchemy.engine import make_url

    from matching.settings import get_settings

    url = make_url(get_settings().effective_database_url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}"
    return f"DATABASE_URL, server {url.host or 'localhost'}:{url.port or 5432}, database {url.database}"


def _fail(line: str) -> None:
    Console(stderr=True).print(f"[red]{line}[/red]", soft_wrap=True, highlight=False)
    sys.exit(2)


app = _OneLineErrors(help="blindmatch: blind-hiring matching service.", no_args_is_help=True)
taxonomy_app = typer.Typer(help="Taxonomy imports.", no_args_is_help=True)
geo_app = typer.Typer(help="Postcode imports.", no_args_is_help=True)
app.add_typer(taxonomy_app, name="taxonomy")
app.add_typer(geo_app, name="geo")
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
console = Console()

if TYPE_CHECKING:
    from matching.settings import Settings


@app.command()
def migrate() -> None:
    """Migrate the database schema and load the seed taxonomy and postcodes."""
    from matching.services.bootstrap import prepare_database

    prepared = prepare_database()
    console.print(f"database ready ({prepared.concepts_added} concepts, {prepared.postcodes_added} postcodes added)")


def _graceful_server_class():
    import contextlib
    import signal

    import uvicorn

    class GracefulServer(uvicorn.Server):
        """Stops serving on SIGTERM/SIGINT and returns, so the worker is stopped too (uvicorn re-raises them)."""

        @contextlib.contextmanager
        def capture_signals(self):
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return GracefulServer


def warn_if_redis_unreachable(settings: Settings) -> None:
    """One line when REDIS_URL names a Redis that does not answer: the service starts, degraded, and says so."""
    if not settings.redis_url:
        return
    import redis
    from sqlalchemy.engine import make_url

    try:
        redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=3).ping()
    except (redis.RedisError, OSError, ValueError) as error:
        try:
            place = make_url(settings.redis_url.replace("rediss://", "redis://", 1))
            where = f"{place.host or 'localhost'}:{place.port or 6379}"
        except Exception:  # noqa: BLE001 - a malformed URL: say so without repeating it
            where = "the address in REDIS_URL"
        Console(stderr=True).print(
            f"[yellow]warning: Redis at {where} (REDIS_URL) does not answer ({type(error).__name__}): the API "
            "starts, but shortlists wait in the outbox and rate limits are not counted until Redis is back[/yellow]",
            soft_wrap=True, highlight=False,
        )


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    worker: Annotated[bool, typer.Option(help="Also run one worker process.")] = True,
) -> None:
    """Run the API (and one worker process) on the configured database and broker."""
    import uvicorn

    from matching import logs
    from matching.services.bootstrap import prepare_database
    from matching.settings import get_settings
    from workers import dispatch, maintenance

    settings = get_settings()
    logs.configure(fmt=settings.log_format, level=settings.log_level)
    server_class = _graceful_server_class()
    prepare_database()
    warn_if_redis_unreachable(settings)
    process = start_worker(beat=True) if worker else None  # beat: the retention task runs on schedule
    # The outbox relay and the stuck-shortlist reconciler run here too (each worker runs its own as well).
    dispatch.start_background(settings.relay_interval)
    maintenance.start_background(settings.maintenance_interval)
    try:
        # log_config=None: uvicorn's records go through the service's JSON logs, with the request id; its
        # access log is replaced by the service's own line per request (api/middleware.py).
        config = uvicorn.Config(
            "api.app:app",
            host=host,
            port=port,
            log_config=None,
            log_level="info",
            access_log=False,
            **bounded_http(settings),
        )
        server_class(config).run()
    finally:
        maintenance.stop_background()
        dispatch.stop_background()
        if process is not None:
            process.terminate()  # celery's warm shutdown: the task in progress finishes first
            process.wait(timeout=60)


@app.command()
def worker(
    concurrency: int = 1,
    loglevel: str = "INFO",
    beat: Annotated[bool, typer.Option(help="Also run the periodic tasks (retention); in one worker only.")] = False,
    shard: Annotated[int | None, typer.Option(
        help="Score this scoring shard only (0 to BLINDMATCH_SCORING_SHARDS - 1): consume <queue>.shard-K alone "
        "and load only that shard's profiles.")] = None,
) -> None:
    """Run a Celery worker process for shortlists (or for one scoring shard)."""
    if shard is not None and beat:
        raise typer.BadParameter("--beat belongs on an ordinary worker, not on a shard's.")
    try:
        command = worker_command(concurrency, loglevel, beat=beat, shard=shard)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    os.execv(sys.executable, command)


@app.command("create-admin")
def create_admin(
    name: str = "admin",
    base_url: Annotated[str, typer.Option(help="The address people open the pages at.")] = "http://127.0.0.1:8000",
) -> None:
    """Create an admin user and print its token and its one-time sign-in link for the pages (shown once)."""
    from matching.errors import InvalidInput
    from matching.schemas.signin import sign_in_url
    from matching.services.accounts import create_admin as make_admin
    from matching.services.bootstrap import prepare_database
    from matching.services.signin import issue_link
    from matching.store.db import session_scope

    prepare_database()
    try:
        with session_scope() as session:
            user, token = make_admin(session, display_name=name)
            link = issue_link(session, user=user)
    except InvalidInput as refused:  # the message names the rule, never the text
        console.print(f"[red]{refused.message}[/red]")
        raise typer.Exit(code=2) from None
    console.print(f"admin user {user.id} created")
    print(f"admin token: {token}")
    print(f"sign-in link (pages, works once): {sign_in_url(base_url, link)}")


@app.command()
def demo(
    keep: Annotated[bool, typer.Option(help="Keep the demo database of an earlier run.")] = False,
    serve: Annotated[bool | None, typer.Option(help="Keep serving the pages after the walk (default: in a terminal)."
                                               )] = None,
    port: Annotated[int, typer.Option(help="The port to serve on (0: a free one).")] = 8000,
) -> None:
    """Run the service on the embedded default with a small Brussels dataset, print the shortlists and the
    pages' sign-in links (one per role), and keep serving the pages in a terminal."""
    from blindmatch.demo import run_demo

    serve = sys.stdin.isatty() if serve is None else serve
    run_demo(console, fresh=not keep, serve=serve, port=port if serve else 0)


def esco_summary(report) -> list[str]:
    """An ESCO import's report as sentences a person reads (not the dataclass's repr)."""
    lines = [
        f"{report.skills} skills, {report.occupations} occupations and {report.isco_groups} ISCO groups imported",
        "labels: " + (", ".join(f"{count} in {lang}" for lang, count in sorted(report.labels.items())) or "none"),
        "relations: " + (", ".join(f"{count} {kind.replace('_', ' ')}"
                                   for kind, count in sorted(report.relations.items())) or "none"),
    ]
    if report.relations_skipped:
        lines.append(f"{report.relations_skipped} relation rows left out: they name no imported concept")
    if report.seed_conflicts:
        lines.append(f"{report.seed_conflicts} ESCO ids already held by this service's own concepts, left as they were")
    lines += [f"skipped: {note}" for note in report.skipped_files]
    version = report.taxonomy_version
    lines.append(f"taxonomy changed: new version {version}" if report.changed
                 else f"nothing changed: the taxonomy already matched this export (version {version} kept)")
    return lines


@taxonomy_app.command("import-esco")
def import_esco(directory: Path, languages: str = "en,fr,nl") -> None:
    """Import the official ESCO CSV export (.csv or .csv.gz) from DIRECTORY; safe to run twice."""
    from matching.errors import DomainError
    from matching.services.bootstrap import prepare_database
    from matching.store.db import session_scope
    from matching.store.esco_import import import_esco as run_import

    if not directory.is_dir():
        raise typer.BadParameter(f"{directory} is not a directory", param_hint="DIRECTORY")
    prepare_database()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            with session_scope() as session:
                result = run_import(session, directory, languages=languages.split(","), progress=report)
        except DomainError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(2) from exc
    for line in esco_summary(result):
        console.print(line)
    console.print("This service uses the ESCO classification of the European Commission.")


@geo_app.command("import")
def geo_import(file: Path) -> None:
    """Import a Belgian postcode table (GeoNames-derived CSV) from FILE; safe to run twice."""
    from matching.errors import DomainError
    from matching.services.bootstrap import prepare_database
    from matching.store.db import session_scope
    from matching.store.postcodes import import_postcode_table

    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    prepare_database()
    try:
        with session_scope() as session:
            result = import_postcode_table(session, file)
    except DomainError as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    # The file has more rows than postcodes: say so, or the count looks like lost lines.
    shared = (f"; {result.shared_rows} rows name a place sharing the postcode of an earlier row (one row is kept "
              "per postcode: the municipality itself)") if result.shared_rows else ""
    console.print(f"{result.postcodes} postcodes imported from {result.rows} rows{shared}. "
                  f"{result.added} new, {result.updated} updated, "
                  f"{result.postcodes - result.added - result.updated} unchanged (GeoNames, CC BY 4.0)",
                  soft_wrap=True)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain and its signed anchor; exit status 1 if an entry was changed or removed."""
    from matching.services.bootstrap import prepare_database
    from matching.store import audit
    from matching.store.db import session_scope

    prepare_database()
    with session_scope() as session:
        result = audit.verify(session)
    if not result.ok:
        where = f" at entry {result.broken_at}" if result.broken_at is not None else ""
        console.print(f"[red]audit chain broken{where}: {result.reason}[/red]")
        console.print(f"{result.entries} entries hold before it (head {result.head})")
        raise typer.Exit(1)
    console.print(f"audit chain ok: {result.entries} entries, head {result.head}")


if __name__ == "__main__":
    app()
