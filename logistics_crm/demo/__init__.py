# The demo generator (logistics.demo): called by demo/logistics_crm_demo.xml.
from . import logistics_demo
