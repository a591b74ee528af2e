from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        """Merge tier, lock and figures as Odoo merges every company-dependent field.

        Odoo has already filled the destination's empty company-dependent values (tier, lock,
        figures) from the sources, company by company, keeping the destination's own. It then
        writes the first non-empty value of every field found on the partners: for our fields
        that write would lock the destination's tier by itself (a tier written by hand is
        locked), and refuse the merge to a partner manager outside the Logistics CRM groups.
        ``res.partner.write`` drops them in this context. The merged partners' orders move to
        the destination, and the next recompute counts them.
        """
        return super()._update_values(src_partners, dst_partner.with_context(logistics_merge_destination=True))
