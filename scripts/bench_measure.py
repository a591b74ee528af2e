"""Measuring helpers of scripts/benchmark_tiers.py: peak memory of a block, and a per-helper breakdown
(calls, wall time, SQL queries and SQL time) of the tier engine's methods."""

import gc
import threading
import time
import tracemalloc

# helper methods of the tier engine (logistics.tier.engine) and its reader (logistics.tier.reader),
# timed separately (their time is included in the run's time)
HELPERS = [
    ("logistics.tier.engine", "_logistics_plan"),
    ("logistics.tier.reader", "_logistics_fetch_current"),
    ("logistics.tier.reader", "_logistics_fetch_sales"),
    ("logistics.tier.reader", "_logistics_fetch_open_deals"),
    ("logistics.tier.engine", "_logistics_write_batch"),
    ("logistics.tier.engine", "_logistics_history_batch"),
    ("logistics.tier.engine", "_logistics_win_back_batch"),
]
# helpers that run inside another one (_logistics_plan, _logistics_write_batch): "of which" rows
NESTED_HELPERS = {
    "_logistics_fetch_current",
    "_logistics_fetch_sales",
    "_logistics_fetch_open_deals",
    "tiering.assign_tiers",
    "_logistics_history_batch",
    "_logistics_win_back_batch",
}


class Memory:
    """Peak memory of this process during a block: peak RSS (Linux), optionally the Python-heap peak."""

    def __init__(self, use_tracemalloc=False):
        self.use_tracemalloc = use_tracemalloc

    @staticmethod
    def _status(key):
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith(key + ":"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def start(self):
        gc.collect()
        self.rss0 = self._status("VmRSS")
        self.hwm_reset = False
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # reset the peak RSS (VmHWM) to the current RSS
            self.hwm_reset = True
        except OSError:
            import resource  # noqa: PLC0415

            self.maxrss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        if self.use_tracemalloc:
            tracemalloc.start()

    def stop(self):
        result = {}
        if self.use_tracemalloc:
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result["python_peak"] = peak
        result["rss_before"] = self.rss0
        if self.hwm_reset and self.rss0 is not None:
            result["rss_increase"] = max(0, self._status("VmHWM") - self.rss0)
        else:
            import resource  # noqa: PLC0415

            result["rss_increase"] = max(0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - self.maxrss0)
            result["rss_note"] = "ru_maxrss"
        return result


class Breakdown:
    """Wraps the helper methods to time them (calls, wall time, SQL queries, SQL time)."""

    def __init__(self, env):
        import odoo  # noqa: PLC0415

        from odoo.addons.logistics_crm.domain import tiering  # noqa: PLC0415

        self.odoo = odoo
        self.stats = {}
        self.depth = 0
        for model, name in HELPERS:
            model_cls = type(env[model])
            setattr(model_cls, name, self._wrap(name, getattr(model_cls, name), nested=name in NESTED_HELPERS))
        automation_cls = type(env["base.automation"])
        automation_cls._process = self._wrap("base.automation._process", automation_cls._process, nested=True)
        tiering.assign_tiers = self._wrap("tiering.assign_tiers", tiering.assign_tiers, nested=True)
        message_cls = type(env["mail.message"])
        message_cls.create = self._wrap("mail.message.create", message_cls.create, nested=True)
        activity_cls = type(env["mail.activity"])
        activity_cls.create = self._wrap("mail.activity.create", activity_cls.create, nested=True)
        env_cls = type(env)
        env_cls.flush_all = self._wrap("env.flush_all", env_cls.flush_all, top_only=True)

    def _wrap(self, name, func, nested=False, top_only=False):
        breakdown = self

        def wrapper(*args, **kwargs):
            if top_only and breakdown.depth:
                return func(*args, **kwargs)
            thread = threading.current_thread()
            q0, s0, t0 = breakdown.odoo.sql_db.sql_counter, getattr(thread, "query_time", 0.0), time.perf_counter()
            breakdown.depth += 1
            try:
                return func(*args, **kwargs)
            finally:
                breakdown.depth -= 1
                stat = breakdown.stats.setdefault(
                    name, {"calls": 0, "time": 0.0, "queries": 0, "sql": 0.0, "nested": nested}
                )
                stat["calls"] += 1
                stat["time"] += time.perf_counter() - t0
                stat["queries"] += breakdown.odoo.sql_db.sql_counter - q0
                stat["sql"] += getattr(thread, "query_time", 0.0) - s0

        wrapper.__wrapped__ = func
        return wrapper

    def take(self):
        stats, self.stats = self.stats, {}
        return stats
