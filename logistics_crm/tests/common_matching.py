from datetime import timedelta

from odoo.tests import new_test_user

from .common import LogisticsCrmCase


def valid_imo(prefix):
    """A 7-digit IMO number: ``prefix`` (6 digits) and its check digit."""
    total = sum(int(d) * w for d, w in zip(str(prefix), range(7, 1, -1), strict=True))
    return f"{prefix}{total % 10}"


class MatchingCase(LogisticsCrmCase):
    """Cargo/vessel matching tests: the demo's cargo offers and positions are archived first, so
    each test matches only the records it makes. Dates are relative to today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["logistics.cargo"].search([]).write({"active": False})
        cls.env["logistics.vessel.position"].search([]).write({"active": False})
        cls.env["mail.activity"].search([("res_model", "=", "logistics.cargo")]).unlink()
        ref = cls.env.ref
        cls.coal = ref("logistics_crm.commodity_coal")
        cls.iron_ore = ref("logistics_crm.commodity_iron_ore")
        cls.chemicals = ref("logistics_crm.commodity_chemicals")
        cls.newcastle = ref("logistics_crm.port_auntl")
        cls.qingdao = ref("logistics_crm.port_cntao")
        cls.gladstone = ref("logistics_crm.port_auglt")
        cls.singapore = ref("logistics_crm.port_sgsin")
        cls.rotterdam = ref("logistics_crm.port_nlrtm")
        cls.owner = cls._customer("Hunter Valley Coal Exports")
        cls.carrier = cls.env["res.partner"].create({"name": "Test Bulk Carriers", "is_company": True})
        cls.user_sales.write({"email": "li.sales@example.com"})
        cls.user_other = new_test_user(
            cls.env,
            login="lcrm_sales2",
            name="Zhou Sales",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls._imo = 940000

    @classmethod
    def _vessel(cls, name, dwt=80000, **vals):
        cls._imo += 1
        return cls.env["logistics.vessel"].create(
            {
                "name": name,
                "imo": valid_imo(cls._imo),
                "dwt": dwt,
                "draft": 14.0,
                "vessel_type": "bulk",
                "owner_id": cls.carrier.id,
                **vals,
            }
        )

    @classmethod
    def _position(cls, vessel, port, days=5, **vals):
        return cls.env["logistics.vessel.position"].create(
            {"vessel_id": vessel.id, "port_id": port.id, "date_open": cls.today + timedelta(days=days), **vals}
        )

    @classmethod
    def _cargo(cls, quantity=50000, start=14, end=24, **vals):
        values = {
            "partner_id": cls.owner.id,
            "commodity_id": cls.coal.id,
            "quantity": quantity,
            "quantity_tolerance": 10,
            "load_port_id": cls.newcastle.id,
            "discharge_port_id": cls.qingdao.id,
            "laycan_start": cls.today + timedelta(days=start),
            "laycan_end": cls.today + timedelta(days=end),
            "freight_rate": 16.5,
            "user_id": cls.user_sales.id,
        }
        values.update(vals)
        return cls.env["logistics.cargo"].create(values)
