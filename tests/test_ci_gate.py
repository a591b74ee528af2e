"""The CI gate and the test command refuse to pass without Odoo 18 (no Odoo needed to check it)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def fake_python(tmp_path, odoo_version=None):
    """A python3 wrapper in which `import odoo` fails, or gives a fake Odoo of another version."""
    site = tmp_path / "site"
    site.mkdir()
    if odoo_version is None:
        # a module that fails to import shadows any real Odoo
        (site / "odoo.py").write_text("raise ImportError('no odoo here')\n")
    else:
        (site / "odoo.py").write_text(
            textwrap.dedent(f"""
            class release:
                version_info = ({odoo_version}, 0, 0, 'final', 0, '')
        """)
        )
    wrapper = tmp_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={site}${{PYTHONPATH:+:$PYTHONPATH}} exec {sys.executable} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


@pytest.mark.parametrize("version", [None, 17])
@pytest.mark.parametrize("command", [[".ci/run"], ["scripts/test"], ["scripts/run", "--help-not-a-flag"]])
def test_commands_fail_clearly_without_odoo_18(tmp_path, version, command):
    env = dict(os.environ, PYTHON=fake_python(tmp_path, version))
    env.pop("ODOO_PATH", None)
    result = subprocess.run(["bash", *command], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Odoo 18" in result.stderr, result.stderr
    assert "passed" not in result.stdout


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    readme = (REPO / "README.md").read_text()
    assert "scripts/test" in ci
    assert "scripts/test" in readme
    assert "scripts/run" in readme
