"""The customer values of Logistics CRM on res.partner, and who writes them.

The tier, its lock and the figures (one value per company) are written by the addon itself: the
tier engine, the care planner, a contact's reset and the partner merge. Their writes carry an
``InternalWrite`` object in the context; ``res.partner.write`` checks it instead of the manual-
override and forged-figure rules, for the fields it lists only. A JSON or XML-RPC context cannot
hold such an object, so no caller can forge it.
"""

from odoo.tools import SQL

# Context key of the addon's own writes of customer values (see InternalWrite).
INTERNAL_WRITE_KEY = "logistics_internal_write"
# What the engine writes through write() itself (its figures go set-based: logistics_tier_engine.FIGURE_COLUMNS)
ENGINE_WRITE_FIELDS = frozenset({"logistics_tier_id", "logistics_stage", "logistics_churn_level"})
# What the care planner writes
CARE_WRITE_FIELDS = frozenset({"logistics_next_contact_date"})
# What a care mailing writes (logistics.care.rule): the customer itself, not its contacts
CARE_MAIL_FIELDS = frozenset({"logistics_last_care_date", "logistics_last_care_rule_id"})
# The customer values, one per company: tier, lock, figures and care dates. A contact shows its
# company's, a detached contact forgets them, a merge keeps one partner's (res.partner, the merge wizard).
CUSTOMER_VALUE_FIELDS = frozenset(
    {
        "logistics_tier_id",
        "logistics_tier_locked",
        "logistics_tier_date",
        "logistics_stage",
        "logistics_revenue_12m",
        "logistics_order_count",
        "logistics_last_order_date",
        "logistics_churn_risk",
        "logistics_churn_level",
        "logistics_last_contact_date",
        "logistics_next_contact_date",
    }
)


class InternalWrite:
    """Marks a write of customer values by the addon itself (engine, care planner, reset).

    Put in the context under ``INTERNAL_WRITE_KEY``. It lets ``res.partner.write()`` skip the
    manual-override and forged-figure checks for ``fields`` only: an automated action that runs
    inside that write and writes anything else gets the usual checks. An instance cannot be sent
    over RPC (a context there is plain JSON), so no caller can forge it.
    """

    __slots__ = ("fields", "sync_children")

    def __init__(self, fields_, sync_children=True):
        self.fields = frozenset(fields_)
        # False: the writer writes the customer's contacts itself (no commercial sync)
        self.sync_children = sync_children

    def allows(self, vals):
        return vals.keys() <= self.fields


class MergeDestination:
    """Marks the destination of a partner merge (context key ``MERGE_KEY``; not sendable over RPC).

    Odoo's merge writes the first non-empty value of every field found on the merged partners to
    the destination; ``res.partner.write`` drops the tier, lock and figures from that one write (the
    merge wizard writes them itself, one partner's values per company). Only that write (the first
    one on the destination with any of these fields and no new parent): the destination's other
    writes (a new parent, the commercial sync) go through as usual.
    """

    __slots__ = ("done", "partner_id")

    def __init__(self, partner_id):
        self.partner_id = partner_id
        self.done = False

    def takes(self, partners, vals):
        return (
            not self.done
            and partners.ids == [self.partner_id]
            and "parent_id" not in vals
            and bool(vals.keys() & CUSTOMER_VALUE_FIELDS)
        )


MERGE_KEY = "logistics_merge_destination"
ENGINE_WRITE = InternalWrite(ENGINE_WRITE_FIELDS, sync_children=False)
CARE_WRITE = InternalWrite(CARE_WRITE_FIELDS)
CARE_MAIL_WRITE = InternalWrite(CARE_MAIL_FIELDS, sync_children=False)
RESET_WRITE = InternalWrite(CUSTOMER_VALUE_FIELDS)
# copies a company's values to its contacts in the other companies (the writer lists every contact)
COPY_WRITE = InternalWrite(CUSTOMER_VALUE_FIELDS, sync_children=False)


def update_company_figures(env, company_id, columns, rows):
    """Set company-dependent figures of customers and their contacts in one ``UPDATE``.

    Odoo 18 stores a company-dependent field as one jsonb value per company: this merges the
    company's key into each column. Figures only (the tier engine's, the satisfaction figures):
    fields that automated actions may watch go through ``write()``.

    :param columns: sequence of ``(column, sql_type)``
    :param rows: sequence of ``(customer_id, value, ...)``, the values in the order of ``columns``;
        they go to the customer (commercial partner) and every contact whose commercial partner it is
    """
    if not rows:
        return
    # the UPDATE reads these: a customer or contact created in this transaction must be in the table
    env["res.partner"].flush_model(["commercial_partner_id", *(column for column, _type in columns)])
    names = [f"v{index}" for index in range(len(columns))]
    values = list(zip(*rows, strict=True))
    env.cr.execute(
        SQL(
            """UPDATE res_partner p SET %(assignments)s
             FROM unnest(%(ids)s::int[], %(arrays)s) AS v(id, %(names)s)
            WHERE p.commercial_partner_id = v.id""",
            assignments=SQL(", ").join(
                SQL(
                    "%(col)s = COALESCE(p.%(col)s, '{}'::jsonb) || jsonb_build_object(%(key)s, v.%(name)s)",
                    col=SQL.identifier(column),
                    key=str(company_id),
                    name=SQL.identifier(name),
                )
                for (column, _type), name in zip(columns, names, strict=True)
            ),
            ids=list(values[0]),
            arrays=SQL(", ").join(
                SQL("%s::%s[]", list(column_values), SQL(sql_type))
                for column_values, (_column, sql_type) in zip(values[1:], columns, strict=True)
            ),
            names=SQL(", ").join(SQL.identifier(name) for name in names),
        )
    )
