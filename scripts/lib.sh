# Shared by scripts/run, scripts/test and scripts/odoo (sourced, not run).
# Finds Odoo by import (python3 -c "import odoo"), or through ODOO_PATH (a folder holding the
# `odoo` package, prepended to PYTHONPATH), and writes an Odoo config for PostgreSQL.
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

die() { echo "ERROR: $*" >&2; exit 2; }

require_odoo18() {
    local version
    if ! version="$("$PYTHON" -c 'import odoo, sys; print(".".join(map(str, odoo.release.version_info[:2])))' 2>/dev/null)"; then
        die "Odoo is not importable by '$PYTHON' (python3 -c 'import odoo' failed).
  Install Odoo 18.0 (see README.md, 'Requirements'), or point ODOO_PATH at the folder that holds the
  'odoo' package (e.g. ODOO_PATH=\$HOME/src/odoo18)."
    fi
    case "$version" in
        18.*) ;;
        *) die "'import odoo' gives Odoo $version, but logistics_crm needs Odoo 18.0." ;;
    esac
}

# Addons path: the Odoo package's own addons, a source checkout's top-level addons/ folder if any,
# this repository, and ODOO_ADDONS_PATH (extra folders, comma-separated).
addons_path() {
    "$PYTHON" - "$REPO" <<'PY'
import os, sys
import odoo
pkg = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(pkg, "addons")]
top = os.path.join(os.path.dirname(pkg), "addons")
if os.path.isdir(os.path.join(top, "web")):
    paths.append(top)
paths.append(sys.argv[1])
paths += [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
print(",".join(paths))
PY
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

# When no PostgreSQL answers but its binaries are installed, start a private cluster in
# $REPO/.data/pg (ignored by git) on port 54329, so a newcomer needs no database server set-up.
ensure_postgres() {
    if pg_ready 2>/dev/null; then
        return 0
    fi
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$bindir" ] && command -v initdb >/dev/null; then
        bindir="$(dirname "$(command -v initdb)")"
    fi
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
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
