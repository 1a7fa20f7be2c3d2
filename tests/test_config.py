"""Configuration: relative paths never depend on the directory the bot is started from."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ROOT, Config, ConfigError


def test_relative_paths_resolve_against_the_env_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # started from somewhere else
    config = Config.from_env({"DATABASE_PATH": "data/igf.db", "SEEDS_DIR": "seeds"})
    assert config.database == ROOT / "data" / "igf.db"
    assert config.seeds_dir == ROOT / "seeds"


def test_absolute_paths_are_kept_and_defaults_are_the_project_folders(tmp_path: Path) -> None:
    config = Config.from_env({"DATABASE_PATH": str(tmp_path / "x.db"), "SEEDS_DIR": " "})
    assert config.database == tmp_path / "x.db"
    assert config.seeds_dir == ROOT / "seeds"
    other = Config.from_env({"SEEDS_DIR": "docs"}, base=tmp_path)
    assert other.seeds_dir == tmp_path / "docs"


def test_a_bad_number_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="DEV_GUILD_ID"):
        Config.from_env({"DEV_GUILD_ID": "abc"})


def test_the_token_is_not_in_the_repr() -> None:
    config = Config.from_env({"DISCORD_TOKEN": "secret-token-value"})
    assert config.token == "secret-token-value"
    assert "secret-token-value" not in repr(config)
