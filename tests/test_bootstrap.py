"""scripts/run and scripts/test install Odoo 18 themselves when there is none (scripts/lib.sh, ensure_odoo).

Offline and Odoo-free: a local git repository stands in for Odoo's (ODOO_GIT_URL=file://...) and holds
a minimal ``odoo`` package. The real scripts/lib.sh is copied into a throw-away checkout in tmp_path, so
the install lands in that checkout's .odoo/. The ``python3`` the scripts see is a virtualenv of this
interpreter in which ``import odoo`` fails (this machine's own python3 may import an Odoo), so the tests
go through the real clone, virtualenv, pip and use of the installed tree. A socket listening on
127.0.0.1 stands in for PostgreSQL, which the install checks before it downloads anything.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LIB = REPO / "scripts" / "lib.sh"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="the install clones with git")


def git(cwd, *args):
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def write_fake_odoo(root, major=18, requirements="# nothing to install\n"):
    """A minimal Odoo source tree: the `odoo` package (release, cli) and a requirements.txt."""
    files = {
        "odoo/__init__.py": "from . import cli, release  # noqa: F401\n",
        "odoo/release.py": f"version_info = ({major}, 0, 0, 'final', 0, '')\nversion = '{major}.0'\n",
        "odoo/cli/__init__.py": "import sys\n\n\ndef main():\n    print('fake odoo cli', *sys.argv[1:])\n"
        "    return 0\n",
        "requirements.txt": requirements,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def fake_odoo_repo(path, major=18, requirements="# nothing to install\n"):
    """A git repository standing in for github.com/odoo/odoo: branch 18.0, two commits. Returns its URL."""
    path.mkdir(parents=True)
    git(path, "init", "-q")
    git(path, "symbolic-ref", "HEAD", "refs/heads/18.0")
    (path / "README.md").write_text("older history a shallow clone leaves out\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "first")
    write_fake_odoo(path, major, requirements)
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "fake odoo")
    return f"file://{path}"


@pytest.fixture(scope="module")
def python_without_odoo(tmp_path_factory):
    """A bin/ folder whose python3 is a virtualenv of this interpreter: no Odoo, no .pth of the machine."""
    venv = tmp_path_factory.mktemp("base") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    probe = subprocess.run(
        [str(venv / "bin" / "python3"), "-c", "import odoo"],
        check=False,
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert probe.returncode != 0, "the base python must not import odoo"
    return venv / "bin"


@pytest.fixture(scope="module")
def postgres_stand_in():
    """Something listening like a PostgreSQL server (the install only checks that one answers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def make_checkout(root):
    """A checkout of this repository as far as the install is concerned: scripts/lib.sh, requirements.txt."""
    (root / "scripts").mkdir(parents=True)
    shutil.copy(LIB, root / "scripts" / "lib.sh")
    (root / "requirements.txt").write_text("# the test tools: none here, the test is offline\n")
    return root


def start(checkout, script, bin_dir, pg_port, **extra):
    """Start `source scripts/lib.sh; SCRIPT` in the checkout, in an environment without Odoo settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "ODOO_", "LCRM_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", PGHOST="127.0.0.1", PGPORT=str(pg_port), LCRM_PRIVATE_PG="0"
    )
    env.update({k: str(v) for k, v in extra.items()})
    return subprocess.Popen(
        ["bash", "-c", f"source scripts/lib.sh\n{script}"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process):
    stdout, stderr = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def nothing_made(home):
    """No Odoo tree, virtualenv or finished-mark in the install folder."""
    return not any((home / name).exists() for name in ("src", "venv", "installed", "installed.tmp"))


# what the calling shell then uses: its $PYTHON, the Odoo it imports, and odoo_cli of scripts/lib.sh
SHOW = (
    'echo "PYTHON=$PYTHON"\n"$PYTHON" -c "import odoo; print(odoo.release.version, odoo.__file__)"\nodoo_cli --version'
)


@pytest.fixture(scope="module")
def installs(tmp_path_factory, python_without_odoo, postgres_stand_in):
    """The installs that get as far as a virtualenv (seconds each) run at once: one that succeeds (and a
    second command started meanwhile in the same checkout) and one whose pip fails."""
    root = tmp_path_factory.mktemp("installs")
    url = fake_odoo_repo(root / "odoo-origin")
    good = make_checkout(root / "good")
    (good / ".odoo" / "src").mkdir(parents=True)  # what an interrupted (killed) attempt leaves
    (good / ".odoo" / "src" / "junk").write_text("half-made")
    bad_url = fake_odoo_repo(root / "odoo-bad-requirements", requirements="./missing-1.0-py3-none-any.whl\n")
    bad = make_checkout(root / "bad")
    run = {"bin_dir": python_without_odoo, "pg_port": postgres_stand_in}
    first = start(good, f"ensure_odoo\n{SHOW}", ODOO_GIT_URL=url, **run)
    failing = start(bad, "ensure_odoo", ODOO_GIT_URL=bad_url, **run)
    deadline = time.monotonic() + 60
    while (good / ".odoo" / "src" / "junk").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the first command holds the install lock once it clears the leftovers
    meanwhile = start(good, f"ensure_odoo\n{SHOW}", ODOO_GIT_URL=url, **run)
    return {
        "root": root,
        "url": url,
        "good": good,
        "bad": bad,
        "first": finish(first),
        "meanwhile": finish(meanwhile),
        "failing": finish(failing),
    }


@pytest.fixture
def bash(tmp_path, python_without_odoo, postgres_stand_in):
    """bash(script, **env): run `source scripts/lib.sh; script` in a fresh checkout (bash.checkout)."""

    def run(script, **extra):
        return finish(start(run.checkout, script, python_without_odoo, postgres_stand_in, **extra))

    run.checkout = make_checkout(tmp_path / "checkout")
    return run


def test_installs_odoo_18_once_then_uses_it(installs, python_without_odoo, postgres_stand_in):
    url, checkout, first, meanwhile = installs["url"], installs["good"], installs["first"], installs["meanwhile"]
    home = checkout / ".odoo"
    assert first.returncode == 0, first.stderr
    # it says what it does, where, and how long each step took
    assert "installing Odoo 18.0 Community into .odoo/" in first.stderr
    assert url in first.stderr
    assert "removing the half-made install" in first.stderr
    assert "cloned Odoo 18.0" in first.stderr and "done in" in first.stderr
    assert "Odoo 18 is installed in .odoo/" in first.stderr
    # the shallow clone is where expected, and the scripts use it through the virtualenv
    assert not (home / "src" / "junk").exists()
    assert (home / "src" / "odoo" / "release.py").is_file()
    assert git(home / "src", "rev-list", "--count", "HEAD") == "1"
    assert git(home / "src", "rev-parse", "HEAD") == git(installs["root"] / "odoo-origin", "rev-parse", "HEAD")
    assert f"url={url}" in (home / "installed").read_text()
    venv_python = home / "venv" / "bin" / "python"
    assert f"PYTHON={venv_python}" in first.stdout
    assert f"18.0 {home / 'src' / 'odoo' / '__init__.py'}" in first.stdout
    assert "fake odoo cli --version" in first.stdout
    # a command started meanwhile waited for that install instead of making its own
    assert meanwhile.returncode == 0, meanwhile.stderr
    assert "cloning" not in meanwhile.stderr
    assert f"PYTHON={venv_python}" in meanwhile.stdout

    # later runs use the finished install and do not clone again (the origin is gone)
    shutil.rmtree(installs["root"] / "odoo-origin")
    run = {"bin_dir": python_without_odoo, "pg_port": postgres_stand_in}
    for command in ("ensure_odoo", "require_odoo18"):
        again = finish(start(checkout, f"{command}\n{SHOW}", ODOO_GIT_URL=url, **run))
        assert again.returncode == 0, again.stderr
        assert "installing" not in again.stderr and "cloning" not in again.stderr
        assert f"PYTHON={venv_python}" in again.stdout

    # an Odoo the user points at still wins over the installed one
    other = write_fake_odoo(installs["root"] / "my-odoo")
    chosen = finish(start(checkout, f"ensure_odoo\n{SHOW}", ODOO_PATH=other, **run))
    assert chosen.returncode == 0, chosen.stderr
    assert "PYTHON=python3" in chosen.stdout
    assert str(other / "odoo" / "__init__.py") in chosen.stdout


def test_failing_pip_removes_the_clone_and_virtualenv(installs):
    result = installs["failing"]
    assert result.returncode == 2
    assert "pip could not install the Python requirements" in result.stderr
    assert "missing-1.0-py3-none-any.whl" in result.stderr  # the end of the log says why
    if Path("/etc/debian_version").exists():
        assert "sudo apt-get install python3-dev libpq-dev libldap2-dev libsasl2-dev build-essential" in result.stderr
    assert nothing_made(installs["bad"] / ".odoo")
    assert (installs["bad"] / ".odoo" / "install.log").is_file()


def test_unreachable_url_stops_clearly_and_leaves_nothing(tmp_path, bash):
    url = f"file://{tmp_path / 'no-such-repository'}"
    result = bash("ensure_odoo\necho SHOULD-NOT-GET-HERE", ODOO_GIT_URL=url)
    assert result.returncode == 2
    assert "SHOULD-NOT-GET-HERE" not in result.stdout
    assert f"could not clone Odoo 18 ({url}, branch 18.0)" in result.stderr
    assert "Is this machine online?" in result.stderr and "ODOO_PATH" in result.stderr
    assert nothing_made(bash.checkout / ".odoo")


def test_a_tree_that_is_not_odoo_18_is_refused(tmp_path, bash):
    url = fake_odoo_repo(tmp_path / "odoo-17", major=17)
    result = bash("ensure_odoo", ODOO_GIT_URL=url)
    assert result.returncode == 2
    assert "holds Odoo 17.0, but logistics_crm needs Odoo 18.0" in result.stderr
    assert nothing_made(bash.checkout / ".odoo")


def test_no_postgresql_stops_before_downloading(tmp_path, bash):
    url = fake_odoo_repo(tmp_path / "odoo-origin")
    result = bash("ensure_odoo", ODOO_GIT_URL=url, PGPORT=1)
    assert result.returncode == 2
    assert "No PostgreSQL answers at 127.0.0.1:1" in result.stderr
    assert "Nothing was downloaded" in result.stderr
    assert "cloning" not in result.stderr
    assert nothing_made(bash.checkout / ".odoo")


def test_postgresql_binaries_let_the_install_go_on(tmp_path, bash):
    """No server, but initdb is installed: ensure_postgres will start a private cluster, so no stop."""
    bin_dir = tmp_path / "pgbin"
    bin_dir.mkdir()
    (bin_dir / "initdb").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "initdb").chmod(0o755)
    url = f"file://{tmp_path / 'no-such-repository'}"  # stop right after the check, at the clone
    result = bash(f'PATH="{bin_dir}:$PATH"\nensure_odoo', ODOO_GIT_URL=url, PGPORT=1, LCRM_PRIVATE_PG=1)
    assert "a private cluster will be started" in result.stderr
    assert "cloning Odoo 18.0" in result.stderr
    assert result.returncode == 2 and nothing_made(bash.checkout / ".odoo")


@pytest.mark.parametrize("case", ["odoo_path_17", "odoo_path_missing", "importable_17", "install_off"])
def test_explicit_or_other_odoo_is_never_replaced(tmp_path, bash, case):
    url = fake_odoo_repo(tmp_path / "odoo-origin")  # would install fine: it must not be used
    odoo_17 = write_fake_odoo(tmp_path / "odoo-17", major=17)
    env, expected = {
        "odoo_path_17": ({"ODOO_PATH": odoo_17}, "gives Odoo 17.0"),
        "odoo_path_missing": ({"ODOO_PATH": tmp_path / "nowhere"}, f"ODOO_PATH={tmp_path / 'nowhere'}"),
        "importable_17": ({"PYTHONPATH": odoo_17}, "gives Odoo 17.0"),
        "install_off": ({"LCRM_ODOO_INSTALL": "0"}, "LCRM_ODOO_INSTALL=0"),
    }[case]
    result = bash("ensure_odoo", ODOO_GIT_URL=url, **env)
    assert result.returncode == 2
    assert expected in result.stderr and "Odoo 18" in result.stderr
    assert "cloning" not in result.stderr
    assert nothing_made(bash.checkout / ".odoo")


def test_git_ignores_the_install_folder():
    ignored = subprocess.run(["git", "check-ignore", "-q", ".odoo/src/odoo/release.py"], check=False, cwd=REPO)
    assert ignored.returncode == 0
