"""What every ``socialsearch`` sub-command shares: the settings and engine context, whose
access a query runs as, and the progress bar. The command modules import it from here."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from search.engine import SearchEngine

WRITER_WAIT = 10.0  # seconds a writing command waits for a read command's catch-up to finish


class Context:
    """Settings shared by every sub-command, and the engine opened on demand."""

    def __init__(self, config: str | None, data_dir: str | None) -> None:
        self.config = config
        self.data_dir = data_dir
        self._engine: SearchEngine | None = None
        self._writing = False

    @contextmanager
    def writing(self, what: str, **overrides: Any) -> Iterator[None]:
        """Hold the data directory's writer lock (one index writer at a time) while inside."""
        from search.cli_lock import WriterBusyError, writer_lock

        if self._writing:
            yield
            return
        lock = writer_lock(self.settings(**overrides).data_path, what, wait=WRITER_WAIT)
        try:
            with lock:
                self._writing = True
                try:
                    yield
                finally:
                    self._writing = False
        except WriterBusyError as exc:
            raise click.ClickException(str(exc)) from exc

    def settings(self, **overrides: Any) -> Any:
        """Load layered settings with the command-line overrides applied."""
        from search.config import ConfigError, load_settings

        try:
            return load_settings(self.config, overrides={"data_dir": self.data_dir, **overrides})
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc

    def engine(self, new_store_ok: bool = False, **overrides: Any) -> SearchEngine:
        """Open the engine (store + indexes), turning known failures into clear messages.

        A read command (not writing, ``new_store_ok`` false) refuses a data directory without a
        store rather than create an empty one there."""
        if self._engine is None:
            from search.cli_lock import WriterBusyError, writer_lock
            from search.engine import SearchEngine
            from search.keyword import KeywordIndexError
            from search.store import StoreError
            from search.vector import VectorIndexError

            settings = self.settings(**overrides)
            if not (self._writing or new_store_ok) and not settings.store_url and not (
                    settings.data_path / "store.db").exists():
                # a mistyped --data-dir would otherwise become a new, empty store
                raise click.ClickException(
                    f"no store in {settings.data_path}: check --data-dir (or the data_dir "
                    "setting), or index something there first with `socialsearch index`")
            try:
                if self._writing:
                    self._engine = SearchEngine(settings)
                else:  # catch the indexes up with the store only when nobody else writes them
                    try:
                        with writer_lock(settings.data_path, "catching up the indexes"):
                            self._engine = SearchEngine(settings)
                    except WriterBusyError:
                        self._engine = SearchEngine(settings, sync_on_open=False)
            except (StoreError, KeywordIndexError, VectorIndexError) as exc:
                raise click.ClickException(str(exc)) from exc
        return self._engine


pass_ctx: Callable[..., Any] = click.make_pass_decorator(Context)


def progress_bar(label: str, total: int | None = None, unit: str = "doc", quiet: bool = False,
                 leave: bool = True) -> Any:
    """Return a tqdm progress bar on stderr (quiet when asked or stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit=unit, file=sys.stderr,
                disable=True if quiet else None, dynamic_ncols=True, leave=leave)


def principal_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --user/--group/--all options that say whose access applies."""
    func = click.option("--all", "see_all", is_flag=True,
                        help="Operator view: read every document regardless of access.")(func)
    func = click.option("--group", "groups", multiple=True, help="Group of the asker.")(func)
    return click.option("--user", help="Person id of the asker (default: anonymous).")(func)


def make_principal(user: str | None, groups: tuple[str, ...], see_all: bool,
                   engine: SearchEngine | None = None) -> Any:
    """Build the principal for a CLI query (groups come from the directory when known)."""
    from search.models import Principal

    if see_all:
        if user or groups:
            raise click.UsageError("--all reads every document as the operator: give it "
                                   "alone, or --user/--group for one person's view, not both")
        return Principal.system()
    known: set[str] = set(groups)
    if user and engine is not None:
        person = engine.store.get_person(user)
        if person is not None:
            known |= set(person.groups)
        else:  # most likely a typo, which would otherwise show another view without a sign
            click.echo(f"warning: --user {user!r} is not in the directory; showing public "
                       "documents and those shared with that user id"
                       + (" or the given groups" if groups else "") + " only (find the id with "
                       "`socialsearch people NAME`)", err=True)
    return Principal(user_id=user, groups=frozenset(known))
