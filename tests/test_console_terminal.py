"""`python -m bot console` in a terminal (a pseudo-terminal): line editing and history through
readline, and a clean exit on Ctrl-C and Ctrl-D, with no traceback."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import subprocess
import sys
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT

GUARD_S = 60.0  # only so that a hang fails the test instead of blocking the suite
UP, LEFT = "\x1b[A", "\x1b[D"


def _own_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty, so that Ctrl-C
    there is a SIGINT as in a real terminal."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(self, tmp_path: Path) -> None:
        shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
        env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
        env |= {
            "DATABASE_PATH": str(tmp_path / "igf.db"),
            "SEEDS_DIR": str(tmp_path / "seeds"),
            "TERM": "xterm",
        }
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            cwd=ROOT,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=_own_terminal,
        )
        os.close(slave)
        self.seen = ""

    def read_until(self, text: str, count: int = 1) -> str:
        """Everything printed until `text` has appeared `count` times in all."""
        while self.seen.count(text) < count:
            ready, _, _ = select.select([self.master], [], [], GUARD_S)
            assert ready, f"waited for {text!r}; the terminal shows:\n{self.seen}"
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, f"the console ended before {text!r}:\n{self.seen}"
            self.seen += chunk.decode(errors="replace")
        return self.seen

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def exit_code(self) -> int:
        code = self.process.wait(timeout=GUARD_S)
        while select.select([self.master], [], [], 0)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk.decode(errors="replace")
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    opened = Terminal(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def test_line_editing_and_history(terminal: Terminal) -> None:
    terminal.read_until("igf> ")
    terminal.type(f"/abot{LEFT}u\r")  # a typo mended with the arrow keys
    terminal.read_until("Records of the Internet Governance Forum")
    terminal.read_until("igf> ", 2)
    terminal.type(f"{UP}\r")  # the last line again, from history
    terminal.read_until("Records of the Internet Governance Forum", 2)
    terminal.read_until("igf> ", 3)
    terminal.type("\x04")
    assert terminal.exit_code() == 0


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_and_ctrl_d_exit_cleanly(terminal: Terminal, key: str) -> None:
    terminal.read_until("igf> ")
    terminal.type(key)
    assert terminal.exit_code() == 0
    assert "Traceback" not in terminal.seen and "KeyboardInterrupt" not in terminal.seen
