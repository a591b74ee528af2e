from . import logistics_tier_assign
from . import base_partner_merge_automatic_wizard
from . import logistics_tier_settings
