# Shared by scripts/run, scripts/test and scripts/odoo (sourced, not run).
# Finds Odoo by import (python3 -c "import odoo"), or through ODOO_PATH (a folder holding the
# `odoo` package, prepended to PYTHONPATH); when there is no Odoo at all, ensure_odoo installs Odoo 18
# itself into .odoo/ (ignored by git). Also writes an Odoo config for PostgreSQL.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if [ -n "${ODOO_PATH:-}" ]; then
    export PYTHONPATH="${ODOO_PATH}${PYTHONPATH:+:$PYTHONPATH}"
fi
# PostgreSQL: the usual libpq variables, defaulting to 127.0.0.1:5432 as role root.
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-root}"
export TZ=UTC
# The Odoo that ensure_odoo installs: a shallow clone of ODOO_GIT_URL's ODOO_BRANCH in
# $LCRM_ODOO_HOME/src and a virtualenv with its Python requirements in $LCRM_ODOO_HOME/venv.
LCRM_ODOO_HOME="${LCRM_ODOO_HOME:-$REPO/.odoo}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
ODOO_BRANCH="${ODOO_BRANCH:-18.0}"

die() { echo "ERROR: $*" >&2; exit 2; }
note() { echo "$*" >&2; }

# took START: the time since START (seconds since the epoch), e.g. "42 s" or "3 min 5 s".
took() {
    local s=$(( $(date +%s) - $1 ))
    if [ "$s" -ge 60 ]; then echo "$((s / 60)) min $((s % 60)) s"; else echo "$s s"; fi
}

# shown PATH: PATH relative to the repository when it lies inside it (for messages).
shown() { case "$1" in "$REPO"/*) echo "${1#"$REPO"/}" ;; *) echo "$1" ;; esac; }

# The interpreter of the Odoo that ensure_odoo installed, once that install has finished.
managed_python() { echo "$LCRM_ODOO_HOME/venv/bin/python"; }
odoo_installed() { [ -f "$LCRM_ODOO_HOME/installed" ] && [ -x "$(managed_python)" ]; }

# odoo_present: does $PYTHON see an `odoo` package or module at all (without importing it)?
odoo_present() {
    "$PYTHON" -c 'import importlib.util, sys
spec = importlib.util.find_spec("odoo")
sys.exit(0 if spec is not None and spec.origin not in (None, "namespace") else 1)' 2>/dev/null
}

# select_odoo: keeps PYTHON when the user chose an Odoo (ODOO_PATH, or an `odoo` that $PYTHON sees,
# even a broken or wrong one: never replaced behind the user's back), else switches PYTHON to the
# finished install in $LCRM_ODOO_HOME. Returns 1 when there is no Odoo at all.
select_odoo() {
    if [ -n "${ODOO_PATH:-}" ] || odoo_present; then
        return 0
    fi
    if odoo_installed; then
        PYTHON="$(managed_python)"
        return 0
    fi
    return 1
}

# check_odoo18: `import odoo` by $PYTHON must give Odoo 18, else stop with a message saying why.
check_odoo18() {
    local out version
    if ! out="$("$PYTHON" -c 'import odoo; print("odoo-version", ".".join(map(str, odoo.release.version_info[:2])), odoo.__file__)' 2>&1)"; then
        out="$(printf '%s\n' "$out" | grep -v '^[[:space:]]*$' | tail -n 1)"
        if [ -n "${ODOO_PATH:-}" ]; then
            die "ODOO_PATH=$ODOO_PATH, but '$PYTHON' cannot import Odoo 18 from it: $out
  Point ODOO_PATH at the folder that holds the 'odoo' package of Odoo 18.0 (e.g. ODOO_PATH=\$HOME/src/odoo18),
  or unset it to let scripts/run and scripts/test install Odoo 18 into .odoo/ themselves."
        elif [ "$PYTHON" = "$(managed_python)" ]; then
            die "the Odoo 18 installed in $(shown "$LCRM_ODOO_HOME")/ does not import: $out
  Delete $(shown "$LCRM_ODOO_HOME")/ and run the command again to install it afresh."
        fi
        die "Odoo is not importable by '$PYTHON' (python3 -c 'import odoo' failed: $out).
  Install Odoo 18.0 (see README.md, 'Requirements'), or point ODOO_PATH at the folder that holds the
  'odoo' package (e.g. ODOO_PATH=\$HOME/src/odoo18). When '$PYTHON' sees no 'odoo' at all, scripts/run
  and scripts/test install Odoo 18 into .odoo/ themselves."
    fi
    out="$(printf '%s\n' "$out" | grep '^odoo-version ' | tail -n 1)"
    out="${out#odoo-version }"
    version="${out%% *}"
    case "$version" in
        18.*) ;;
        *) die "'import odoo' gives Odoo $version (${out#* }), but logistics_crm needs Odoo 18.0." ;;
    esac
}

# require_odoo18: use the Odoo the user chose or the one ensure_odoo installed; never installs.
require_odoo18() {
    select_odoo || die "Odoo is not importable by '$PYTHON' (python3 -c 'import odoo' failed).
  Run scripts/run or scripts/test once: they install Odoo 18 into .odoo/ themselves. Or install Odoo 18.0
  (see README.md, 'Requirements'), or point ODOO_PATH at the folder that holds the 'odoo' package
  (e.g. ODOO_PATH=\$HOME/src/odoo18)."
    check_odoo18
}

# ensure_odoo: like require_odoo18, but when there is no Odoo at all it installs Odoo 18.0 Community
# the official way (install_odoo) and uses it from then on. LCRM_ODOO_INSTALL=0 turns that off.
ensure_odoo() {
    if ! select_odoo; then
        if [ "${LCRM_ODOO_INSTALL:-1}" = 0 ]; then
            die "Odoo is not importable by '$PYTHON' (python3 -c 'import odoo' failed), and LCRM_ODOO_INSTALL=0
  forbids installing it. Install Odoo 18.0 (see README.md, 'Requirements'), or point ODOO_PATH at the
  folder that holds the 'odoo' package (e.g. ODOO_PATH=\$HOME/src/odoo18)."
        fi
        # in a subshell: its traps clean up after a failure, and its lock ends with it
        ( install_odoo )
        PYTHON="$(managed_python)"
    fi
    check_odoo18
}

# install_odoo (run in a subshell): check everything that can be checked first (git, Python, venv,
# PostgreSQL), then clone Odoo's ODOO_BRANCH shallowly into $LCRM_ODOO_HOME/src, make the virtualenv
# $LCRM_ODOO_HOME/venv with $PYTHON, pip-install Odoo's requirements and ours into it, and put the
# source tree on its path. The file $LCRM_ODOO_HOME/installed, written last (mv), marks it finished;
# on any failure or interruption src/ and venv/ are removed again (the log stays).
install_odoo() {
    local home="$LCRM_ODOO_HOME" at log vpy t0 t site version
    at="$(shown "$home")"
    mkdir -p "$home" || die "cannot create $home"
    log="$home/install.log"
    if command -v flock >/dev/null; then
        exec 9>"$home/.lock"
        if ! flock -n 9; then
            note "Another command is installing Odoo 18 into $at/: waiting for it to finish..."
            flock 9
        fi
        odoo_installed && return 0
    fi
    t0=$(date +%s)
    note "Odoo 18 is not importable by '$PYTHON': installing Odoo 18.0 Community into $at/ (once; it needs internet):
  a shallow clone of $ODOO_GIT_URL (branch $ODOO_BRANCH, about 300 MB: 1-3 min), then a virtualenv
  $at/venv with Odoo's Python requirements (pip, a few minutes). ODOO_PATH or LCRM_ODOO_INSTALL=0 avoid this."

    # What can be checked before downloading anything.
    command -v git >/dev/null || die "git is needed to install Odoo 18 (Debian/Ubuntu: sudo apt-get install git). Nothing was downloaded."
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || die "Odoo 18 needs Python 3.10 or newer, and '$PYTHON' is $("$PYTHON" -V 2>&1 || echo missing).
  Run the command with PYTHON=python3.12 (for example). Nothing was downloaded."
    "$PYTHON" -c 'import venv, ensurepip; ensurepip.version()' >/dev/null 2>&1 \
        || die "'$PYTHON -m venv' cannot make a virtualenv with pip, which the Odoo 18 install needs
  (Debian/Ubuntu: sudo apt-get install python3-venv). Nothing was downloaded."
    postgres_expected

    if [ -e "$home/src" ] || [ -e "$home/venv" ]; then
        note "  removing the half-made install an interrupted attempt left in $at/"
        rm -rf "$home/src" "$home/venv" "$home/installed.tmp"
    fi
    : > "$log"
    trap 'install_odoo_failed "$?"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP

    t=$(date +%s)
    note "  1/3 cloning Odoo $ODOO_BRANCH from $ODOO_GIT_URL into $at/src..."
    local progress=()
    [ -t 2 ] && progress=(--progress)
    if ! GIT_TERMINAL_PROMPT=0 git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=60 clone --depth 1 --single-branch \
            --branch "$ODOO_BRANCH" "${progress[@]}" "$ODOO_GIT_URL" "$home/src" 2>&1 | tee -a "$log" >&2; then
        die "could not clone Odoo 18 ($ODOO_GIT_URL, branch $ODOO_BRANCH) after $(took "$t"):
  $(grep -m 1 -E '^(fatal|error):' "$log" || echo "git failed (see $at/install.log)")
  Is this machine online? The one-time install downloads Odoo from that URL (about 300 MB) and its Python
  packages from PyPI. Without internet: set ODOO_GIT_URL to a reachable copy of Odoo's repository (a mirror,
  or file:///path/to/odoo), or install Odoo 18 yourself and set ODOO_PATH (README.md, 'Requirements')."
    fi
    if ! version="$("$PYTHON" - "$home/src/odoo/release.py" 2>>"$log" <<'PY'
import sys
ns = {}
with open(sys.argv[1]) as f:
    exec(compile(f.read(), sys.argv[1], "exec"), ns)
print(".".join(map(str, ns["version_info"][:2])))
PY
)"; then
        die "$ODOO_GIT_URL (branch $ODOO_BRANCH) does not hold Odoo 18: it has no readable odoo/release.py."
    fi
    case "$version" in
        18.*) ;;
        *) die "$ODOO_GIT_URL (branch $ODOO_BRANCH) holds Odoo $version, but logistics_crm needs Odoo 18.0
  (check ODOO_GIT_URL and ODOO_BRANCH)." ;;
    esac
    note "      cloned Odoo $version (commit $(git -C "$home/src" rev-parse --short HEAD)) in $(took "$t")"

    t=$(date +%s)
    note "  2/3 making the virtualenv $at/venv with $PYTHON..."
    "$PYTHON" -m venv "$home/venv" >>"$log" 2>&1 \
        || die "'$PYTHON -m venv $home/venv' failed (see $at/install.log; Debian/Ubuntu: sudo apt-get install python3-venv)."
    vpy="$(managed_python)"
    note "      done in $(took "$t")"

    t=$(date +%s)
    note "  3/3 installing Odoo's Python requirements and this repository's test tools with pip (a few minutes;
      follow it with: tail -f $at/install.log)..."
    local pip=("$vpy" -m pip install --disable-pip-version-check --progress-bar off)
    if ! "${pip[@]}" -r "$home/src/requirements.txt" >>"$log" 2>&1 \
            || ! "${pip[@]}" -r "$REPO/requirements.txt" >>"$log" 2>&1; then
        local hint="  If a package failed to build (psycopg2, python-ldap...), install the build dependencies Odoo's
  documentation lists"
        if [ -f /etc/debian_version ]; then
            hint="$hint; on Debian/Ubuntu:
    sudo apt-get install python3-dev libpq-dev libldap2-dev libsasl2-dev build-essential"
        else
            hint="$hint (the headers of Python, libpq, OpenLDAP and SASL, and a C compiler)."
        fi
        die "pip could not install the Python requirements after $(took "$t"). The end of $at/install.log:
$(grep -v '^[[:space:]]*$' "$log" | tail -n 8 | sed 's/^/    /')
$hint
  If pip could not reach PyPI, check the network connection. Then run the command again."
    fi
    site="$("$vpy" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
    printf '%s\n' "$home/src" > "$site/logistics_crm_odoo.pth"
    "$vpy" -c 'import odoo' >>"$log" 2>&1 \
        || die "Odoo 18 was installed in $at/ but does not import (see $at/install.log)."
    note "      done in $(took "$t")"

    printf 'url=%s\nbranch=%s\ncommit=%s\npython=%s\ndate=%s\n' "$ODOO_GIT_URL" "$ODOO_BRANCH" \
        "$(git -C "$home/src" rev-parse HEAD)" "$PYTHON" "$(date -u +%FT%TZ)" > "$home/installed.tmp"
    mv -f "$home/installed.tmp" "$home/installed"
    trap - EXIT INT TERM HUP
    note "Odoo 18 is installed in $at/ (in $(took "$t0")); the scripts use $at/venv/bin/python from now on."
}

# install_odoo_failed STATUS (install_odoo's exit trap): remove what the failed attempt made.
install_odoo_failed() {
    [ "$1" = 0 ] && return 0
    rm -rf "$LCRM_ODOO_HOME/src" "$LCRM_ODOO_HOME/venv" "$LCRM_ODOO_HOME/installed.tmp"
    note "Nothing of Odoo was kept in $(shown "$LCRM_ODOO_HOME")/ (only install.log); the next run starts over."
}

# Addons path: the Odoo package's own addons, a source checkout's top-level addons/ folder if any,
# this repository, and ODOO_ADDONS_PATH (extra folders, comma-separated).
addons_path() {
    # one home for the addons path: scripts/odoo_env.py (the Python scripts' start-up) computes it
    "$PYTHON" "$REPO/scripts/odoo_env.py" addons-path
}

pg_ready() {
    "$PYTHON" - <<'PY'
import os, sys
import psycopg2
try:
    psycopg2.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"], user=os.environ["PGUSER"],
                     dbname="postgres", connect_timeout=3).close()
except Exception as error:  # noqa: BLE001
    print(error, file=sys.stderr)
    sys.exit(1)
PY
}

# pg_listening: does anything listen at PGHOST:PGPORT? Python's standard library only (psycopg2 may not
# be installed yet); a socket folder in PGHOST means a Unix socket.
pg_listening() {
    "$PYTHON" - <<'PY'
import os, socket, sys
port, error = int(os.environ["PGPORT"]), "no host"
for host in os.environ["PGHOST"].split(","):
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(3)
                sock.connect(os.path.join(host, ".s.PGSQL.%d" % port))
        else:
            socket.create_connection((host, port), timeout=3).close()
        sys.exit(0)
    except OSError as exc:
        error = exc
print(error, file=sys.stderr)
sys.exit(1)
PY
}

# pg_bindir: the folder of PostgreSQL's initdb and pg_ctl, if installed (the newest version).
pg_bindir() {
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if { [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; } && command -v initdb >/dev/null; then
        bindir="$(dirname "$(command -v initdb)")"
    fi
    if [ -n "$bindir" ] && [ -x "$bindir/initdb" ]; then echo "$bindir"; fi
}

# postgres_expected (before installing Odoo): stop at once when no PostgreSQL listens and
# ensure_postgres could not start a private cluster either, so nothing is downloaded in vain.
postgres_expected() {
    local error
    if error="$(pg_listening 2>&1)"; then
        return 0
    fi
    if [ "${LCRM_PRIVATE_PG:-1}" != 0 ] && [ -n "$(pg_bindir)" ]; then
        note "  (no PostgreSQL listens at $PGHOST:$PGPORT: a private cluster will be started in .data/pg once Odoo is installed)"
        return 0
    fi
    local why="no PostgreSQL binaries are installed"
    [ "${LCRM_PRIVATE_PG:-1}" = 0 ] && why="LCRM_PRIVATE_PG=0 forbids a private cluster"
    die "No PostgreSQL answers at $PGHOST:$PGPORT ($error), and $why.
  Odoo 18 needs PostgreSQL 12 or newer: start it (Debian/Ubuntu: sudo apt-get install postgresql) or set
  PGHOST/PGPORT/PGUSER, then run the command again. Nothing was downloaded."
}

# When no PostgreSQL answers but its binaries are installed, start a private cluster in
# $REPO/.data/pg (ignored by git) on port 54329, so a newcomer needs no database server set-up.
# LCRM_PRIVATE_PG=0 turns that off.
ensure_postgres() {
    if pg_ready 2>/dev/null; then
        return 0
    fi
    [ "${LCRM_PRIVATE_PG:-1}" != 0 ] \
        || die "No PostgreSQL answers at $PGHOST:$PGPORT as role $PGUSER (LCRM_PRIVATE_PG=0: no private cluster).
  Start PostgreSQL or set PGHOST/PGPORT/PGUSER."
    local bindir
    bindir="$(pg_bindir)"
    if [ -z "$bindir" ]; then
        die "No PostgreSQL answers at $PGHOST:$PGPORT as role $PGUSER, and no PostgreSQL binaries are installed.
  Start PostgreSQL or set PGHOST/PGPORT/PGUSER."
    fi
    local data="$REPO/.data/pg"
    echo "No PostgreSQL at $PGHOST:$PGPORT: starting a private cluster in $data (port 54329)." >&2
    if [ ! -f "$data/PG_VERSION" ]; then
        mkdir -p "$data"
        "$bindir/initdb" -D "$data" -U "$PGUSER" --auth=trust >/dev/null
    fi
    export PGHOST="$REPO/.data" PGPORT=54329
    "$bindir/pg_ctl" -D "$data" -o "-p 54329 -k $REPO/.data -c listen_addresses=''" -l "$REPO/.data/pg.log" -w start >/dev/null \
        || die "could not start the private PostgreSQL cluster (see $REPO/.data/pg.log)"
}

# write_config FILE [extra "key = value" lines...]: extra lines override the defaults of the same key.
write_config() {
    local file="$1"; shift
    local defaults=(
        "addons_path = $(addons_path)"
        "db_host = $PGHOST"
        "db_port = $PGPORT"
        "db_user = $PGUSER"
        "data_dir = $REPO/.data/filestore"
        "list_db = True"
    )
    [ -n "${PGPASSWORD:-}" ] && defaults+=("db_password = $PGPASSWORD")
    {
        echo "[options]"
        local line key extra overridden
        for line in "${defaults[@]}"; do
            key="${line%% =*}"
            overridden=0
            for extra in "$@"; do
                [ "${extra%% =*}" = "$key" ] && overridden=1
            done
            [ "$overridden" = 0 ] && echo "$line"
        done
        for line in "$@"; do echo "$line"; done
    } > "$file"
}

# odoo ARGS...: run the Odoo server/CLI of the importable package.
odoo_cli() {
    "$PYTHON" -c 'import os, sys; os.environ["TZ"] = "UTC"; import odoo; sys.argv[0] = "odoo"; sys.exit(odoo.cli.main())' "$@"
}

db_exists() {
    "$PYTHON" - "$1" <<'PY'
import os, sys
import psycopg2
conn = psycopg2.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"], user=os.environ["PGUSER"], dbname="postgres")
with conn.cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
    sys.exit(0 if cr.fetchone() else 1)
PY
}

drop_db() {
    "$PYTHON" - "$1" <<'PY'
import os, sys
import psycopg2
conn = psycopg2.connect(host=os.environ["PGHOST"], port=os.environ["PGPORT"], user=os.environ["PGUSER"], dbname="postgres")
conn.autocommit = True
with conn.cursor() as cr:
    cr.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (sys.argv[1],))
    cr.execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1].replace('"', ''))
PY
}

# ensure_addon_requirements: the Python packages logistics_crm imports (its manifest's
# external_dependencies: searoute, numpy) are importable by $PYTHON; else pip-installs them.
ensure_addon_requirements() {
    if ! "$PYTHON" -c 'import searoute, numpy' 2>/dev/null; then
        note "Installing the Python packages logistics_crm needs (searoute, numpy) with pip..."
        "$PYTHON" -m pip install -q --disable-pip-version-check 'searoute>=1.6' 'numpy>=1.24' >&2 \
            || die "pip could not install searoute and numpy, which logistics_crm imports:
  $PYTHON -m pip install searoute numpy"
    fi
}
