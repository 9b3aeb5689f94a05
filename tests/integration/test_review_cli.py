"""`apx reviewers add` prints a personal code once and stores only its hash."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from apx.cli import app
from rules.review import verify_code
from store.repository import Store


def test_reviewers_add_prints_the_code_once_and_stores_a_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'apx.db'}"
    env = {"APX_DATABASE_URL": url, "APX_HOME": str(tmp_path)}
    runner = CliRunner()
    added = runner.invoke(app, ["reviewers", "add", "Clara Clerk", "--role", "ap_manager"],
                          env=env)
    assert added.exit_code == 0, added.output
    [code] = re.findall(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b", added.output)
    store = Store.open(url)
    [reviewer] = store.reviews.reviewers()
    assert reviewer.name == "Clara Clerk" and reviewer.role == "ap_manager"
    assert code not in reviewer.code_hash and verify_code(code, reviewer.code_hash)

    listed = runner.invoke(app, ["reviewers", "list"], env=env)
    assert re.search(r"^Clara Clerk +ap_manager$", listed.output, re.M)
    assert code not in listed.output
    again = runner.invoke(app, ["reviewers", "add", "Clara Clerk", "--role", "ap_clerk"], env=env)
    assert again.exit_code == 2 and "exists already" in again.output
    unknown = runner.invoke(app, ["reviewers", "add", "Eve", "--role", "ceo"], env=env)
    assert unknown.exit_code == 2 and "ap_clerk, ap_manager, controller" in unknown.output
    reset = runner.invoke(app, ["reviewers", "add", "Clara Clerk", "--role", "controller",
                                "--reset"], env=env)
    [new_code] = re.findall(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b", reset.output)
    [reviewer] = store.reviews.reviewers()
    assert reviewer.role == "controller" and verify_code(new_code, reviewer.code_hash)
    assert not verify_code(code, reviewer.code_hash)
    store.engine.dispose()
