from . import logistics_customer_tier
from . import logistics_commodity
from . import logistics_service_type
from . import res_partner
from . import res_company
from . import mail_activity
from . import res_config_settings
from . import logistics_demo
