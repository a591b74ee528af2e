"""The orders, order lines and open opportunities of scripts/generate_data.py (set-based SQL)."""

from generate_sql import insert_from_prototype, reserve_ids

CONTACT_ORDER_SHARE = 0.25  # share of the orders placed by a contact rather than the company


class OrderRows:
    """Part of ``generate_data.Generator``: confirmed orders and quotations with their lines, and open
    opportunities, for the customers (and contacts) it inserted."""

    # -------------------------------------------------------------- orders and lines
    def plan_orders(self, count, skew, price_skew, max_age_days, min_age_days=0.0):
        """Temporary table of the orders to make: index, customer, ordering partner, price factor, date."""
        n, k = self.args.partners, self.args.contacts_per_partner
        mult = 1_000_003
        while n % mult == 0:  # scramble ranks over ids with a multiplier prime to n
            mult += 2
        self.cr.execute("DROP TABLE IF EXISTS lcrm_gen_orders")
        self.cr.execute(
            """CREATE TEMP TABLE lcrm_gen_orders ON COMMIT DROP AS
               SELECT g AS idx,
                      %(pbase)s + (r::bigint * %(mult)s %% %(n)s)::int AS company_id,
                      CASE WHEN %(k)s > 0 AND uc < %(contact_share)s
                           THEN %(cbase)s + (r::bigint * %(mult)s %% %(n)s)::int * %(k)s + floor(uk * %(k)s)::int
                           ELSE %(pbase)s + (r::bigint * %(mult)s %% %(n)s)::int END AS partner_id,
                      power((r + 0.5) / %(n)s, -%(price_skew)s) AS factor,
                      (NOW() AT TIME ZONE 'UTC') - (%(min_age)s + ud * (%(max_age)s - %(min_age)s)) * INTERVAL '1 day'
                          AS date_order
                 FROM (SELECT g, LEAST(floor(%(n)s * power(random(), %(skew)s))::int, %(n)s - 1) AS r,
                              random() AS uc, random() AS uk, random() AS ud
                         FROM generate_series(1, %(count)s) AS g OFFSET 0) s""",
            {
                "pbase": self.partner_base,
                "cbase": self.contact_base or 0,
                "mult": mult,
                "n": n,
                "k": k,
                "contact_share": CONTACT_ORDER_SHARE,
                "price_skew": price_skew,
                "skew": skew,
                "count": count,
                "max_age": max_age_days,
                "min_age": min_age_days,
            },
        )
        self.cr.execute("ALTER TABLE lcrm_gen_orders ADD PRIMARY KEY (idx)")
        self.cr.execute("ANALYZE lcrm_gen_orders")

    def insert_orders(self, label, count, lines, confirmed, name_infix, skew, price_skew, max_age_days):
        """Orders (confirmed or draft) and their lines; order totals from the lines. Returns (orders, lines)."""
        width = max(6, len(str(count)))
        self.plan_orders(count, skew, price_skew, max_age_days)
        order_base = reserve_ids(self.cr, "sale_order", count)
        params = {
            "obase": order_base,
            "count": count,
            "prefix": self.prefix,
            "infix": name_infix,
            "admin": self.admin.id,
            "state": "sale" if confirmed else "draft",
            "validity": self.company.quotation_validity_days,
            "invoice_status": "to invoice" if confirmed else "no",
        }
        explicit = {
            "id": "%(obase)s + o.idx - 1",
            "name": f"%(prefix)s || '/' || %(infix)s || lpad(o.idx::text, {width}, '0')",
            "state": "%(state)s",
            "partner_id": "o.partner_id",
            # the ORM's address_get(): an ordering contact is its own invoice and delivery address
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "date_order": "o.date_order",
            # set on creation (quotation) and kept on confirmation, like the ORM does
            "validity_date": (
                "(o.date_order + %(validity)s * INTERVAL '1 day')::date"
                if self.company.quotation_validity_days > 0
                else "NULL"
            ),
            "currency_rate": "1.0",
            "amount_untaxed": "0",
            "amount_tax": "0",
            "amount_total": "0",
            "invoice_status": "%(invoice_status)s",
            "user_id": "%(admin)s",
            "locked": "FALSE",
            "access_token": "NULL",
            "signed_by": "NULL",
            "signed_on": "NULL",
            "origin": "NULL",
            "client_order_ref": "NULL",
            "reference": "NULL",
            "opportunity_id": "NULL",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "o.date_order",
            "write_date": "o.date_order",
        }
        with self.steps.step(f"sale.order: {count:,} {label}") as info:
            info["rows"] = insert_from_prototype(
                self.cr, "sale_order", explicit, "lcrm_gen_orders o", self.proto_order.id, params
            )

        line_base = reserve_ids(self.cr, "sale_order_line", lines)
        rate = float(self.tax.amount) / 100.0 if self.tax else 0.0
        qty, price = "ln.qty", "ln.price_unit"
        subtotal = f"({qty} * {price})"
        tax = f"round({subtotal} * %(rate)s, 2)"
        explicit = {
            "id": "%(lbase)s + ln.g - 1",
            "order_id": "%(obase)s + ln.oi - 1",
            "sequence": "10",
            "name": "%(pname)s",
            "product_id": "%(product)s",
            "product_uom_qty": qty,
            "price_unit": price,
            "technical_price_unit": price,
            "discount": "0",
            "price_subtotal": subtotal,
            "price_tax": tax,
            "price_total": f"{subtotal} + {tax}",
            "price_reduce_taxexcl": price,
            "price_reduce_taxinc": f"round({price} * (1 + %(rate)s), 2)",
            "qty_delivered": "0",
            "qty_invoiced": "0",
            "qty_to_invoice": qty if confirmed else "0",
            "untaxed_amount_invoiced": "0",
            "untaxed_amount_to_invoice": subtotal if confirmed else "0",
            "invoice_status": "%(invoice_status)s",
            "state": "%(state)s",
            "order_partner_id": "o.partner_id",
            "salesman_id": "%(admin)s",
            "display_type": "NULL",
            "is_downpayment": "FALSE",
            "customer_lead": "0",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "o.date_order",
            "write_date": "o.date_order",
        }
        # the first `count` lines give every order one line, the others go to random orders
        source = """(SELECT g,
                            CASE WHEN g <= %(count)s THEN g ELSE 1 + floor(random() * %(count)s)::int END AS oi,
                            (1 + floor(random() * 10))::numeric AS qty,
                            random() AS up
                       FROM generate_series(1, %(lines)s) AS g OFFSET 0) AS l0
               JOIN lcrm_gen_orders o ON o.idx = l0.oi
               CROSS JOIN LATERAL (SELECT l0.g, l0.oi, l0.qty,
                                          round(((20 + 180 * l0.up) * o.factor)::numeric, 2) AS price_unit) AS ln"""
        with self.steps.step(f"sale.order.line: {lines:,} lines of the {label}") as info:
            info["rows"] = insert_from_prototype(
                self.cr,
                "sale_order_line",
                explicit,
                source,
                self.proto_line.id,
                {
                    **params,
                    "lbase": line_base,
                    "lines": lines,
                    "product": self.product.id,
                    "pname": self.product.display_name,
                    "rate": rate,
                },
            )
        if self.tax:
            field = self.tax_rel
            with self.steps.step(f"sale.order.line taxes ({self.tax.name})") as info:
                self.cr.execute(
                    f'INSERT INTO "{field.relation}" ("{field.column1}", "{field.column2}") '
                    "SELECT id, %s FROM sale_order_line WHERE id BETWEEN %s AND %s",
                    (self.tax.id, line_base, line_base + lines - 1),
                )
                info["rows"] = self.cr.rowcount
        with self.steps.step(f"sale.order: totals of the {label} from lines") as info:
            self.cr.execute(
                """UPDATE sale_order so
                      SET amount_untaxed = t.untaxed, amount_tax = t.tax, amount_total = t.total
                     FROM (SELECT order_id, SUM(price_subtotal) AS untaxed, SUM(price_tax) AS tax,
                                  SUM(price_total) AS total
                             FROM sale_order_line
                            WHERE order_id BETWEEN %(first)s AND %(last)s
                         GROUP BY order_id) t
                    WHERE so.id = t.order_id""",
                {"first": order_base, "last": order_base + count - 1},
            )
            info["rows"] = self.cr.rowcount
        self.cr.execute("DROP TABLE lcrm_gen_orders")
        return count, lines

    # -------------------------------------------------------------- opportunities
    def insert_opportunities(self):
        count = self.args.opportunities
        if count <= 0:
            return
        n = self.args.partners
        base = reserve_ids(self.cr, "crm_lead", count)
        explicit = {
            "id": "%(base)s + s.g - 1",
            "name": "'Freight contract ' || %(prefix)s || '-' || s.g || ' for ' || p.name",
            "type": "'opportunity'",
            "active": "TRUE",
            "partner_id": "p.id",
            "partner_name": "p.name",
            "contact_name": "NULL",
            "email_from": "p.email",
            "email_normalized": "p.email_normalized",
            "email_domain_criterion": self.email_domain_criterion(),
            "email_state": "'correct'",
            "phone": "NULL",
            "mobile": "NULL",
            "phone_sanitized": "NULL",
            "user_id": "%(admin)s",
            "company_id": "%(company)s",
            "probability": "s.prob",
            "automated_probability": "s.prob",
            "expected_revenue": "s.revenue",
            "prorated_revenue": "round(s.revenue * s.prob::numeric / 100, 2)",
            "date_open": "s.opened",
            "date_last_stage_update": "s.opened",
            "date_closed": "NULL",
            "date_deadline": "(s.opened + INTERVAL '60 days')::date",
            "lost_reason_id": "NULL",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "s.opened",
            "write_date": "s.opened",
        }
        source = """(SELECT g, %(pbase)s + floor(random() * %(n)s)::int AS pid,
                            round((10 + random() * 60)::numeric, 2)::float AS prob,
                            round((5000 + random() * 95000)::numeric, 2) AS revenue,
                            (NOW() AT TIME ZONE 'UTC') - random() * INTERVAL '90 days' AS opened
                       FROM generate_series(1, %(count)s) AS g OFFSET 0) AS s
               JOIN res_partner p ON p.id = s.pid"""
        with self.steps.step(f"crm.lead: {count:,} open opportunities") as info:
            info["rows"] = insert_from_prototype(
                self.cr,
                "crm_lead",
                explicit,
                source,
                self.proto_lead.id,
                {
                    "base": base,
                    "count": count,
                    "n": n,
                    "pbase": self.partner_base,
                    "prefix": self.prefix,
                    "admin": self.admin.id,
                    "company": self.company.id,
                },
            )
        self.made["open opportunities"] = info["rows"]
