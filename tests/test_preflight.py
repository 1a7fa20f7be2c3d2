"""A start that cannot work says so in one line, before anything is opened or changed."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.preflight import StartupError, check_database, check_seeds
from tests.helpers import read_only

SCHEMA = 7


def make_db(path: Path, rows: int = 2000, version: int = SCHEMA) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, title TEXT)")
    conn.executemany(
        "INSERT INTO sessions (title) VALUES (?)", [(f"session {i} " * 20,) for i in range(rows)]
    )
    conn.execute("CREATE INDEX sessions_title ON sessions (title)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def test_a_healthy_database_reports_its_version_and_sessions(tmp_path: Path) -> None:
    health = check_database(make_db(tmp_path / "igf.db"), SCHEMA)
    assert (health.exists, health.schema_version, health.sessions) == (True, SCHEMA, 2000)


def test_a_new_database_in_a_folder_to_be_created_is_fine(tmp_path: Path) -> None:
    assert not check_database(tmp_path / "data" / "sub" / "igf.db", SCHEMA).exists


def test_damaged_pages_are_found(tmp_path: Path) -> None:
    path = make_db(tmp_path / "igf.db")
    with path.open("r+b") as file:  # random bytes over a few pages in the middle
        for page in (5, 9, 13):
            file.seek(page * 4096 + 100)
            file.write(os.urandom(2000))
    damaged = path.read_bytes()
    with pytest.raises(StartupError, match=r"igf\.db is damaged .*restore a backup") as caught:
        check_database(path, SCHEMA)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == damaged  # the check changed nothing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"DATABASE_PATH=data/igf.db\n", "is not an SQLite database"),
        ("TRUNCATE", "is damaged"),
    ],
)
def test_a_text_file_or_a_truncated_file(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "igf.db"
    if content == "TRUNCATE":
        make_db(path)
        path.write_bytes(path.read_bytes()[: 4096 * 3])
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    kept = path.read_bytes()
    with pytest.raises(StartupError, match=message):
        check_database(path, SCHEMA)
    assert path.read_bytes() == kept  # no data touched


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = make_db(tmp_path / "igf.db", rows=1, version=SCHEMA + 3)
    with pytest.raises(StartupError, match=f"schema v{SCHEMA + 3}, newer .* \\(v{SCHEMA}\\)"):
        check_database(path, SCHEMA)


def test_a_database_path_that_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StartupError, match="is a directory"):
        check_database(tmp_path, SCHEMA)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ro"
    folder.mkdir()
    make_db(folder / "igf.db", rows=1)
    with read_only(folder):
        yield folder


def test_a_read_only_data_folder(read_only_folder: Path) -> None:
    with pytest.raises(StartupError, match="not writable"):
        check_database(read_only_folder / "igf.db", SCHEMA)
    with pytest.raises(StartupError, match="not writable"):
        check_database(read_only_folder / "new.db", SCHEMA)


def test_seeds_directory_checks(tmp_path: Path) -> None:
    with pytest.raises(StartupError, match="does not exist"):
        check_seeds(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(StartupError, match="is not a directory"):
        check_seeds(tmp_path / "file.txt")
    assert check_seeds(tmp_path) == 1
