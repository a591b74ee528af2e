from . import logistics_tier_assign
