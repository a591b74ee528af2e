from . import test_customer_tiers
from . import test_lifecycle
from . import test_care_plan
from . import test_access
from . import test_automation
from . import test_performance
