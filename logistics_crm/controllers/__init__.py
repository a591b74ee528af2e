from . import portal
from . import portal_complaint
from . import portal_survey
from . import portal_booking
from . import care_unsubscribe
