"""The care mailing job's bookkeeping, one row per company: who runs, and whose mail failed today.

Its own row, not the company's: the tier engine and the survey invitations lock the company row
for their own runs, and a care run must neither wait for them nor make them fail.
"""

import logging

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CARE_LOCK_NAMESPACE = 51_814  # first key of the care mailing run's advisory lock (second: company id)


class LogisticsCareRun(models.Model):
    _name = "logistics.care.run"
    _description = "Care mailing run of a company"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True, ondelete="cascade")
    run_at = fields.Datetime(
        string="Last run", readonly=True, help="When a run of the company's care mailings last started."
    )
    skip_date = fields.Date(readonly=True, help="The day of the skipped customers.")
    skip_ids = fields.Json(
        string="Skipped customers",
        readonly=True,
        help="Customers whose care mail failed on the skip date (a template that does not render for them): "
        "the job leaves them for that day and goes on with the others.",
    )

    _sql_constraints = [("company_uniq", "unique(company_id)", "One care mailing run per company.")]

    @api.model
    def _logistics_begin(self, company):
        """Start the company's run in this transaction: the customers to skip today, or None when
        another run holds the company or committed for it since this transaction began."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", CARE_LOCK_NAMESPACE, company.id))
        if not cr.fetchone()[0]:
            _logger.info("Care mailings of %s already running: skipped", company.name)
            return None
        self.flush_model()
        try:
            # a run that committed after this transaction began holds no lock any more, but the
            # dates it wrote are invisible here: writing the same row then fails (concurrent
            # update) instead of mailing its customers twice
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        """INSERT INTO logistics_care_run (company_id, run_at)
                           VALUES (%(company)s, now() AT TIME ZONE 'UTC')
                           ON CONFLICT (company_id) DO UPDATE SET run_at = EXCLUDED.run_at
                           RETURNING skip_date, skip_ids""",
                        company=company.id,
                    )
                )
                skip_date, skip_ids = cr.fetchone()
        except (pg_errors.SerializationFailure, pg_errors.LockNotAvailable):
            _logger.info("Care mailings of %s: another run has just mailed; skipped", company.name)
            return None
        finally:
            self.invalidate_model()
        return set(skip_ids or ()) if skip_date == fields.Date.today() else set()

    @api.model
    def _logistics_skip(self, company, partner_ids):
        """Leave ``partner_ids`` out of the company's runs for the rest of the day."""
        if not partner_ids:
            return
        today = fields.Date.today()
        self.env.cr.execute(
            SQL(
                """UPDATE logistics_care_run
                      SET skip_ids = CASE WHEN skip_date = %(today)s
                                          THEN COALESCE(skip_ids, '[]'::jsonb) || %(ids)s::jsonb
                                          ELSE %(ids)s::jsonb END,
                          skip_date = %(today)s
                    WHERE company_id = %(company)s""",
                today=today,
                ids=str(sorted(partner_ids)),
                company=company.id,
            )
        )
        self.invalidate_model()
