from odoo import models

from ..models.logistics_customer_values import (
    CUSTOMER_VALUE_FIELDS,
    INTERNAL_WRITE_KEY,
    MERGE_KEY,
    RESET_WRITE,
    MergeDestination,
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Merge the tier, lock and figures of one partner per company, not a mix.

        Odoo fills each empty company-dependent field of the destination from the sources, field
        by field, then writes the first non-empty value of every field found on the merged
        partners: the destination could end up with one partner's tier and another's lock or
        figures, and that write would lock its tier (a tier written by hand is locked) or be
        refused to a partner manager outside the Logistics CRM groups. So ``res.partner.write``
        leaves our fields out of that write (``MergeDestination``), and they are written here
        afterwards: per company, the destination's own tier, lock and figures when it has a tier,
        else those of the merged partner with a tier that Odoo favours (the highest id); the last
        care contact is the latest of all. They are synced to every contact of the destination,
        including those moved from the sources. The merged partners' orders count for the
        destination from the next recompute.
        """
        partners = self.env["res.partner"].browse(partner_ids).exists()
        if len(partners) < 2:
            return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        if not (dst_partner and dst_partner in partners):
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        units = self._logistics_merge_units(partners - dst_partner, dst_partner)
        token = MergeDestination(dst_partner.id)
        wizard = self.with_context(**{MERGE_KEY: token})
        result = super(BasePartnerMergeAutomaticWizard, wizard)._merge(
            partner_ids, dst_partner=dst_partner.with_context(**{MERGE_KEY: token}), extra_checks=extra_checks
        )
        # sudo: the addon's own write of computed values, in every company
        dst = dst_partner.sudo().with_context(**{INTERNAL_WRITE_KEY: RESET_WRITE}).exists()
        if dst and dst.commercial_partner_id == dst:  # else it became a contact: it shows its company's
            for company, values in units.items():
                in_company = dst.with_company(company)
                changed = in_company._logistics_changed_fields(values, CUSTOMER_VALUE_FIELDS)
                if changed:
                    in_company.write({fname: values[fname] for fname in changed})
                in_company._commercial_sync_to_children()
        return result

    def _logistics_merge_units(self, src_partners, dst_partner):
        """Per company, the values the destination keeps (see ``_merge``)."""
        units = {}
        merged = src_partners | dst_partner
        for company in dst_partner._logistics_all_companies():
            stored = merged._logistics_stored_values(company)
            tiered = [pid for pid in sorted(stored, reverse=True) if stored[pid]["logistics_tier_id"]]
            owner = dst_partner.id if stored[dst_partner.id]["logistics_tier_id"] or not tiered else tiered[0]
            values = dict(stored[owner])
            days = [
                vals["logistics_last_contact_date"] for vals in stored.values() if vals["logistics_last_contact_date"]
            ]
            values["logistics_last_contact_date"] = max(days) if days else False  # ISO dates: max is the latest
            units[company] = values
        return units
