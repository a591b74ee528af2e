"""The one start-up module of the repository's Python scripts: find Odoo 18, talk to PostgreSQL.

Like scripts/lib.sh (the shell scripts' start-up): Odoo is found by ``import odoo``, or through
ODOO_PATH (a folder holding the ``odoo`` package); PostgreSQL through the libpq variables PGHOST /
PGPORT / PGUSER / PGPASSWORD (defaults 127.0.0.1 / 5432 / root); the addons path is Odoo's addons,
a source checkout's addons/ folder, this repository and ODOO_ADDONS_PATH. After ``scripts/run`` or
``scripts/test`` installed Odoo themselves (.odoo/), run the Python scripts with .odoo/venv/bin/python.
"""

import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the Odoo command line of the importable package, for subprocesses: python3 -c ODOO_MAIN ARGS...
ODOO_MAIN = 'import os, sys; os.environ["TZ"] = "UTC"; import odoo; sys.argv[0] = "odoo"; sys.exit(odoo.cli.main())'


def pg_settings():
    """PostgreSQL connection settings from the libpq environment variables."""
    return {
        "host": os.environ.get("PGHOST") or "127.0.0.1",
        "port": os.environ.get("PGPORT") or "5432",
        "user": os.environ.get("PGUSER") or "root",
        "password": os.environ.get("PGPASSWORD") or None,
    }


def default_addons_path():
    """Odoo's addons, a source checkout's addons/ folder, this repository, ODOO_ADDONS_PATH (also for
    scripts/lib.sh: ``python3 scripts/odoo_env.py addons-path``)."""
    import odoo  # noqa: PLC0415

    pkg = os.path.dirname(os.path.abspath(odoo.__file__))
    paths = [os.path.join(pkg, "addons")]
    top = os.path.join(os.path.dirname(pkg), "addons")
    if os.path.isdir(os.path.join(top, "web")):
        paths.append(top)
    paths.append(REPO)
    paths += [p for p in os.environ.get("ODOO_ADDONS_PATH", "").split(",") if p]
    return ",".join(paths)


def odoo_server_args(addons_path=None, log_level="warn"):
    """Odoo command-line options for the PostgreSQL server and addons path (no database)."""
    pg = pg_settings()
    args = [
        "--addons-path",
        addons_path or default_addons_path(),
        "--db_host",
        pg["host"],
        "--db_port",
        str(pg["port"]),
        "--db_user",
        pg["user"],
        "--data-dir",
        os.path.join(REPO, ".data", "filestore"),
        "--log-level",
        log_level,
    ]
    if pg["password"]:
        args += ["--db_password", pg["password"]]
    return args


def import_odoo():
    """Import Odoo 18 (after forcing the UTC time zone Odoo expects), or exit with a clear message."""
    os.environ["TZ"] = "UTC"
    if hasattr(time, "tzset"):
        time.tzset()
    if os.environ.get("ODOO_PATH"):  # like scripts/lib.sh; exported for the Odoo subprocesses too
        sys.path.insert(0, os.environ["ODOO_PATH"])
        os.environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [os.environ["ODOO_PATH"], os.environ.get("PYTHONPATH")])
        )
    try:
        import odoo  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "ERROR: Odoo is not importable (python3 -c 'import odoo' failed): install Odoo 18.0 "
            "or point PYTHONPATH/ODOO_PATH at the folder holding the 'odoo' package."
        )
    if odoo.release.version_info[0] != 18:
        sys.exit(f"ERROR: 'import odoo' gives Odoo {odoo.release.version}, logistics_crm needs Odoo 18.0.")
    return odoo


def pg_connect(dbname, autocommit=False):
    """Plain psycopg2 connection (for checks and VACUUM, which needs autocommit)."""
    import psycopg2  # noqa: PLC0415

    pg = pg_settings()
    conn = psycopg2.connect(dbname=dbname, host=pg["host"], port=pg["port"], user=pg["user"], password=pg["password"])
    conn.autocommit = autocommit
    return conn


def database_exists(dbname):
    with pg_connect("postgres") as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        exists = bool(cr.fetchone())
    conn.close()
    return exists


def open_env(dbname, addons_path=None):
    """Registry cursor and superuser environment on ``dbname`` (the caller closes the cursor)."""
    odoo = import_odoo()
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(odoo_server_args(addons_path), setup_logging=True)
    registry = Registry(dbname)
    cr = registry.cursor()
    return odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


if __name__ == "__main__":
    # for the shell scripts (scripts/lib.sh): python3 scripts/odoo_env.py addons-path
    if sys.argv[1:] != ["addons-path"]:
        sys.exit("usage: odoo_env.py addons-path")
    if os.environ.get("ODOO_PATH"):
        sys.path.insert(0, os.environ["ODOO_PATH"])
    print(default_addons_path())
