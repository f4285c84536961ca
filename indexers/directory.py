"""Employee directory (CSV/TSV, JSON/JSONL or LDIF ``inetOrgPerson``) → people only.

The directory is the identity authority: other sources' people are resolved onto its entries
(see :mod:`indexers.identity`). Columns are matched loosely (``email``/``mail``, ``title``,
``department``/``ou``, ``manager``, ``skills``, ``groups``/``memberOf``; ``slack_id``/``github``
become handles) and can be mapped with ``options`` (``{"id": "employee_no"}``). A manager may be
given as a person id, an e-mail, a name or (LDIF) a DN; it is resolved to the manager's person
id once every entry has been read. Passwords and other attributes are never copied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexers.base import IndexerConfigError, Item
from indexers.customers import FIELDS as POST_FIELDS
from indexers.export import ExportIndexer, normalise_name, read_text, text_head, unique
from indexers.ldif import LdifEntry, normalise_dn, parse_ldif, rdn_value, starts_like_ldif
from indexers.tabular import (
    Problem,
    check_delimiter,
    check_text_file,
    lookup,
    pick_column,
    read_records,
    table_files,
    table_headers,
)
from search.models import Person

DIRECTORY_SUFFIXES = (".csv", ".tsv", ".tab", ".json", ".jsonl", ".ndjson", ".ldif")
COLUMNS: Mapping[str, Sequence[str]] = {
    "id": ("id", "uid", "employee_id", "employee_number", "username", "login", "samaccountname",
           "user_id", "person_id"),
    "name": ("name", "full_name", "display_name", "displayname", "cn"),
    "first_name": ("first_name", "given_name", "givenname", "first"),
    "last_name": ("last_name", "surname", "sn", "family_name", "last"),
    "email": ("email", "mail", "e_mail", "email_address", "work_email"),
    "title": ("title", "job_title", "position", "role"),
    "department": ("department", "dept", "team", "ou", "division", "org"),
    "manager": ("manager", "manager_id", "manager_email", "reports_to", "manager_uid"),
    "skills": ("skills", "expertise", "competencies", "tags"),
    "groups": ("groups", "memberof", "member_of", "teams"),
    "location": ("location", "office", "city", "l"),
    "slack": ("slack", "slack_id", "slack_user_id"),
    "github": ("github", "github_handle", "github_login"),
}
_SPLIT = re.compile(r"\s*[;|,]\s*")


@dataclass
class Entry:
    """A directory entry before managers are resolved."""

    location: str
    id: str
    name: str
    emails: list[str]
    title: str = ""
    department: str = ""
    manager_ref: str = ""
    skills: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)
    dn: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


def split_list(value: Any) -> list[str]:
    """Split ``a; b, c`` or a JSON list into clean items."""
    if isinstance(value, list):
        return unique(str(v).strip() for v in value)
    return unique(_SPLIT.split(str(value or "").strip())) if value else []


class DirectoryIndexer(ExportIndexer):
    """Employee directory from CSV, JSON or LDIF: yields people, never documents."""

    name = "directory"
    known_options = frozenset({*COLUMNS, "delimiter", "id_attribute"})

    def check_options(self) -> None:
        """Fail on unknown options and on a delimiter that is not one character."""
        super().check_options()
        check_delimiter(self.name, self.options.get("delimiter"))
    source = "directory"

    def _files(self) -> list[Path]:
        return table_files(self.path, DIRECTORY_SUFFIXES)

    def check(self) -> None:
        """Fail unless there are CSV/JSON/LDIF files and each table has id and name columns."""
        super().check()
        files = self._files()
        if not files:
            raise IndexerConfigError(f"directory: no .csv/.json/.ldif files at {self.path}")
        for file in files:
            if file.suffix.lower() == ".ldif":
                self._check_ldif(file)
            else:
                check_text_file(self.name, file)
                self._check_columns(file)

    def _check_ldif(self, file: Path) -> None:
        """Refuse an ``.ldif`` file that holds binary data or does not open with ``dn:``."""
        head = text_head(self.name, file, "an LDIF file")
        if head is not None and not starts_like_ldif(head):
            raise IndexerConfigError(f"directory: {file.name} is not an LDIF file: its first "
                                     "entry does not start with 'dn:' (or 'version:')")

    def _check_columns(self, file: Path) -> None:
        headers = table_headers(file, self.options.get("delimiter"))
        if not headers:
            return  # an empty or unreadable file is reported per record by the crawl

        def has(key: str) -> bool:
            return bool(self.options.get(key) or pick_column(headers, COLUMNS[key]))

        named = has("name") or (has("first_name") and has("last_name"))
        if (has("id") or has("email")) and named:
            return
        hint = ("; it looks like posts: for customer posts use `socialsearch index customers`"
                if pick_column(headers, POST_FIELDS["text"]) else "")
        raise IndexerConfigError(
            f"directory: {file.name} needs an id or e-mail column and a name column, mapped with "
            f"options id=… and name=… if they are called otherwise "
            f"(its columns: {', '.join(headers[:30])}){hint}")

    def crawl(self, since: Mapping[str, Any] | None = None) -> Iterator[Item]:
        """Read every entry, resolve managers, then yield one person per entry."""
        entries: list[Entry] = []
        for file in self._files():
            reader = self._ldif if file.suffix.lower() == ".ldif" else self._table
            for item in reader(file):
                if isinstance(item, Entry):
                    entries.append(item)
                else:
                    yield self.failure(item.location, item.reason)
        seen: set[str] = set()
        unique_entries = []
        for entry in entries:
            if entry.id in seen:
                yield self.failure(entry.location, f"duplicate person id {entry.id!r}")
                continue
            seen.add(entry.id)
            unique_entries.append(entry)
        yield from self._people(unique_entries)
        self._checkpoint = {"people": len(unique_entries)}

    # -- readers ----------------------------------------------------------------------------
    def _table(self, file: Path) -> Iterator[Entry | Problem]:
        columns: dict[str, str | None] | None = None
        for item in read_records(file, self.options.get("delimiter")):
            if isinstance(item, Problem):
                yield item
                continue
            if columns is None:
                headers = list(item.data)
                columns = {k: self.options.get(k) or pick_column(headers, c)
                           for k, c in COLUMNS.items()}

            def get(key: str, data: Mapping[str, Any] = item.data,
                    cols: Mapping[str, str | None] = columns) -> Any:
                column = cols.get(key)
                return lookup(data, column) if column else None

            name = str(get("name") or "").strip() or " ".join(
                str(get(k) or "").strip() for k in ("first_name", "last_name")).strip()
            emails = split_list(get("email"))
            pid = str(get("id") or "").strip() or (emails[0].split("@")[0] if emails else "")
            if not pid or not name:
                yield Problem(item.location, "entry without an id (or e-mail) and a name")
                continue
            handles = {k: str(get(k)).strip() for k in ("slack", "github") if get(k)}
            location = str(get("location") or "")
            yield Entry(item.location, pid, name, emails, str(get("title") or "").strip(),
                        str(get("department") or "").strip(), str(get("manager") or "").strip(),
                        split_list(get("skills")), split_list(get("groups")), handles,
                        meta={"location": location} if location else {})

    def _ldif(self, file: Path) -> Iterator[Entry | Problem]:
        try:
            text = read_text(file)
        except OSError as exc:
            yield Problem(file.name, f"cannot read: {exc}")
            return
        for item in parse_ldif(text):
            if not isinstance(item, LdifEntry):
                yield Problem(f"{file.name}:{item.line}", item.reason)
                continue
            classes = {c.lower() for c in item.all("objectClass")}
            if classes and not classes & {"person", "inetorgperson", "organizationalperson",
                                          "user"}:
                self.leave_out("entries that are no person (groups, organisational units …)")
                continue
            yield self._ldif_entry(file, item)

    def _ldif_entry(self, file: Path, item: LdifEntry) -> Entry | Problem:
        given, surname = item.first("givenName"), item.first("sn")
        name = item.first("displayName") or (f"{given} {surname}".strip() if given else "") \
            or rdn_value(item.dn)
        pid = item.first(str(self.options.get("id_attribute", "uid"))) or item.first("cn") \
            or rdn_value(item.dn)
        if not pid:
            return Problem(f"{file.name}:{item.line}", "entry without uid or cn")
        pairs = (("location", "l"), ("employee_type", "employeeType"), ("room", "roomNumber"),
                 ("phone", "telephoneNumber"), ("department_number", "departmentNumber"))
        meta = {k: item.first(a) for k, a in pairs if item.first(a)}
        meta["dn"] = item.dn
        return Entry(
            location=f"{file.name}:{item.line}", id=pid, name=name, emails=item.all("mail"),
            title=item.first("title"), department=item.first("ou") or item.first("department"),
            manager_ref=item.first("manager"), skills=item.all("skills"),
            groups=[rdn_value(g) for g in item.all("memberOf")], dn=normalise_dn(item.dn),
            meta=meta,
        )

    # -- people -----------------------------------------------------------------------------
    def _people(self, entries: list[Entry]) -> Iterator[Item]:
        index: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        for e in entries:
            index[e.id.lower()] = e.id
            index.update({mail.lower(): e.id for mail in e.emails})
            if e.dn:
                index[e.dn] = e.id
            names.setdefault(normalise_name(e.name), []).append(e.id)
        for e in entries:
            manager = None
            if e.manager_ref:
                ref = e.manager_ref
                manager = index.get(ref.lower()) or index.get(normalise_dn(ref))
                by_name = names.get(normalise_name(ref), [])
                manager = manager or (by_name[0] if len(by_name) == 1 else None)
                if manager is None:
                    e.meta["manager_ref"] = ref
            yield Person(id=e.id, name=e.name, emails=tuple(e.emails), handles=e.handles,
                         title=e.title, department=e.department, manager_id=manager,
                         skills=tuple(e.skills), groups=tuple(e.groups), meta=e.meta)
