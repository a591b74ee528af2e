"""SQL helpers of scripts/generate_data.py: timed steps, and rows inserted from an ORM prototype."""

import sys
import time
from contextlib import contextmanager


class Steps:
    """Times and prints each step."""

    def __init__(self):
        self.rows = []
        self.start = time.perf_counter()

    @contextmanager
    def step(self, label):
        t0 = time.perf_counter()
        tty = sys.stdout.isatty()
        if tty:
            print(f"  {label} ...", end="", flush=True)
        info = {}
        yield info
        elapsed = time.perf_counter() - t0
        self.rows.append((label, elapsed, info.get("rows")))
        rows = f"{info['rows']:>10,} rows" if info.get("rows") is not None else " " * 15
        print(f"{chr(13) if tty else ''}  {label:<54}{rows}  {elapsed:7.1f} s", flush=True)

    def total(self):
        return time.perf_counter() - self.start


def table_columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def check_not_null(cr, table, explicit, prototype_id):
    """Fail when a NOT NULL column would be NULL: neither computed here nor set on the prototype."""
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = %s
              AND is_nullable = 'NO' AND column_default IS NULL""",
        (table,),
    )
    for (column,) in cr.fetchall():
        if column in explicit:
            continue
        cr.execute(f'SELECT "{column}" IS NULL FROM "{table}" WHERE id = %s', (prototype_id,))
        if cr.fetchone()[0]:
            raise SystemExit(
                f"ERROR: {table}.{column} is NOT NULL but neither generated nor set on the "
                "ORM prototype: add it to the generator."
            )


def insert_from_prototype(cr, table, explicit, source, prototype_id, params):
    """INSERT INTO ``table`` one row per row of ``source`` (a FROM clause).

    ``explicit`` maps columns to SQL expressions over ``source``; every other column is
    copied from the prototype row (alias ``proto``). Returns the number of rows.
    """
    check_not_null(cr, table, explicit, prototype_id)
    columns = table_columns(cr, table)
    unknown = set(explicit) - set(columns)
    if unknown:
        raise SystemExit(f"ERROR: {table} has no column(s) {', '.join(sorted(unknown))}.")
    exprs = [explicit[c] if c in explicit else f'proto."{c}"' for c in columns]
    query = (
        f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)})\n'
        f"SELECT {', '.join(exprs)}\n"
        f"  FROM {source}\n"
        f' CROSS JOIN (SELECT * FROM "{table}" WHERE id = %(prototype_id)s) proto'
    )
    cr.execute(query, {**params, "prototype_id": prototype_id})
    return cr.rowcount


def reserve_ids(cr, table, count):
    """Reserve ``count`` consecutive ids of ``table``: returns the first; the sequence is moved past them."""
    cr.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
    sequence = cr.fetchone()[0]
    cr.execute(f'SELECT GREATEST(nextval(%s), (SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"))', (sequence,))
    first = cr.fetchone()[0]
    if count:
        cr.execute("SELECT setval(%s, %s)", (sequence, first + count - 1))
    return first
