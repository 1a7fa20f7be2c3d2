"""`python -m bot` as a real process when things are wrong: one line, exit 1, no hang."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.corpus import write_corpus
from bot.store import SCHEMA_VERSION
from tests.helpers import ROOT, read_only

TIMEOUT_S = 60  # a hang fails the test instead of blocking the suite


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    base |= {"DATABASE_PATH": str(tmp_path / "igf.db"), "SEEDS_DIR": str(tmp_path / "seeds")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=base | (env or {}),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        input="quit\n",
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert run(tmp_path, "load")[0] == 0
    return tmp_path / "igf.db"


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def damage(path: Path) -> None:
    # Random bytes over a few whole pages: bytes over a page's free space alone are no damage,
    # and which pages have free space at a given offset moves with the schema.
    with path.open("r+b") as file:
        for page in (10, 20, 30):
            file.seek(page * 4096)
            file.write(os.urandom(4096))


@pytest.mark.parametrize("command", [["load"], ["console"], ["digest"], ["run"]])
def test_damaged_pages_end_every_start_with_one_line(
    loaded: Path, tmp_path: Path, command: list[str]
) -> None:
    damage(loaded)
    before = loaded.read_bytes()
    code, _, stderr = run(
        tmp_path, *command, env={"DISCORD_TOKEN": "x"} if command == ["run"] else None
    )
    assert code == 1
    line = one_line(stderr)
    assert line.startswith(f"error: database {loaded} is damaged") and "restore a backup" in line
    assert loaded.read_bytes() == before


def make_newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("truncated", "is damaged"),
        ("text file", "is not an SQLite database"),
        ("newer schema", "newer than this version of the bot"),
        ("directory", "is a directory"),
    ],
)
def test_each_bad_database_is_one_line_naming_it(
    loaded: Path, tmp_path: Path, case: str, expected: str
) -> None:
    if case == "truncated":
        with loaded.open("r+b") as file:
            file.truncate(loaded.stat().st_size // 3)
    elif case == "text file":
        loaded.write_text("these are my notes\n")
    elif case == "newer schema":
        make_newer(loaded)
    else:
        loaded.unlink()
        loaded.mkdir()
    code, _, stderr = run(tmp_path, "load")
    assert code == 1
    line = one_line(stderr)
    assert line.startswith(f"error: database {loaded}") and expected in line


def test_a_read_only_data_folder_is_one_line(loaded: Path, tmp_path: Path) -> None:
    with read_only(loaded.parent):
        code, _, stderr = run(tmp_path, "load")
    assert code == 1 and "not writable" in one_line(stderr)


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_wrong_seeds_path_is_one_line_and_keeps_the_archive(
    loaded: Path, tmp_path: Path, kind: str
) -> None:
    shutil.rmtree(tmp_path / "seeds")
    if kind == "file":
        (tmp_path / "seeds").write_text("")
    code, _, stderr = run(tmp_path, "load", "--prune")
    assert code == 1
    assert one_line(stderr).startswith(f"error: seeds directory {tmp_path / 'seeds'}")
    assert run(tmp_path, "doctor")[0] == 1
    code, stdout, _ = run(tmp_path, "export", "--format", "json")
    assert code == 0 and len(json.loads(stdout)) == 2


def test_an_emptied_seeds_directory_is_refused_until_pruned(loaded: Path, tmp_path: Path) -> None:
    for path in (tmp_path / "seeds").iterdir():
        path.unlink()
    code, stdout, _ = run(tmp_path, "load")
    assert code == 1
    assert stdout.startswith("refused: would remove 2 of 2 sessions (seeds/ has no documents)")
    code, stdout, _ = run(tmp_path, "load", "--prune")
    assert code == 0 and "removed 2" in stdout


def test_doctor_reports_each_item_and_never_the_token(loaded: Path, tmp_path: Path) -> None:
    token = "secret-token-value"
    code, stdout, _ = run(tmp_path, "doctor", env={"DISCORD_TOKEN": token})
    assert code == 0, stdout
    assert token not in stdout and "DISCORD_TOKEN: set" in stdout
    assert f"database {loaded}: " in stdout and "schema v" in stdout and "2 sessions" in stdout
    assert "2 documents, 2 parse" in stdout
    (tmp_path / "seeds" / "bad.txt").write_bytes(b"\x00\x01binary")
    code, stdout, _ = run(tmp_path, "check")
    assert code == 1 and "FAIL bad.txt: " in stdout


def test_export_writes_the_data_of_slash_export(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "sessions.csv"
    code, _, _ = run(tmp_path, "export", "--db", str(loaded), "--format", "csv", "--out", str(out))
    assert code == 0 and "igf-2021-open-forum-5" in out.read_text(encoding="utf-8-sig")
    code, stdout, _ = run(tmp_path, "export")
    assert {s["title"] for s in json.loads(stdout)} >= {
        "Development and Rule-Making on Artificial Intelligence"
    }
    code, _, stderr = run(tmp_path, "export", "--format", "xml")
    assert code == 2 and "invalid choice: 'xml'" in stderr


def test_the_start_says_which_database_and_seeds_it_uses(loaded: Path, tmp_path: Path) -> None:
    code, _, stderr = run(tmp_path, "console", "-c", "/about")
    assert code == 0
    assert (
        f"using database {loaded} (2 sessions) and seeds {tmp_path / 'seeds'} (2 documents)"
        in stderr
    )


def test_discord_unreachable_is_one_line(loaded: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    code, stdout, stderr = run(
        tmp_path, "run", env={"DISCORD_TOKEN": "x", "DISCORD_API_BASE": base, "LOG_LEVEL": "ERROR"}
    )
    assert code == 1
    errors = [line for line in (stdout + stderr).splitlines() if line.strip()]
    assert len(errors) == 1, errors
    assert f"cannot reach Discord at {base}: " in errors[0]


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="linux, 2 cores"
)
def test_kill_9_of_a_load_leaves_no_worker_running(tmp_path: Path) -> None:
    write_corpus(tmp_path / "seeds", 3000)
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env |= {"DATABASE_PATH": str(tmp_path / "igf.db"), "SEEDS_DIR": str(tmp_path / "seeds")}
    process = subprocess.Popen([sys.executable, "-m", "bot", "load"], cwd=ROOT, env=env)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + TIMEOUT_S
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            workers = children_of(process.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the load finished before its workers were seen"
        process.send_signal(signal.SIGKILL)
        process.wait(TIMEOUT_S)
        deadline = time.monotonic() + TIMEOUT_S
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        if process.poll() is None:
            process.kill()
