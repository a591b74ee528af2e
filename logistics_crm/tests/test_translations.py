"""The Simplified Chinese translation is complete and loads.

Every term the module exports (fields, selections, views, menus, data records, Python messages)
must have a translation in ``i18n/zh_CN.po``: a new string without one fails the build. Refresh the
template and the .po with ``scripts/update_translations``, then translate the new entries.
"""

import io
import re

import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import trans_export

LANG = "zh_CN"
PO_PATH = "logistics_crm/i18n/zh_CN.po"
# %(name)s, %s, %d, %%, {name}
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|%%|\{\w*\}")
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _read_po():
    return polib.pofile(file_path(PO_PATH))


def _translated(entry):
    return bool(entry.msgstr.strip()) and not entry.fuzzy and not entry.obsolete


@tagged("post_install", "-at_install", "logistics_crm")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)

    def _describe(self, entry):
        where = ", ".join(occurrence for occurrence, _line in entry.occurrences[:3])
        return f"  {entry.msgid!r}  ({where})"

    def test_every_exported_term_is_translated(self):
        """The terms exported from this database all have a zh_CN translation in the .po file."""
        buffer = io.BytesIO()
        # a file the extraction cannot read (an expression in a translated call) loses all its terms
        with self.assertNoLogs("odoo.tools.translate", level="ERROR"):
            trans_export(LANG, ["logistics_crm"], buffer, "po", self.env.cr)
        exported = polib.pofile(buffer.getvalue().decode())
        self.assertGreater(len(exported), 100, "the export of logistics_crm's terms looks empty")

        translated = {entry.msgid for entry in _read_po() if _translated(entry)}
        missing = [entry for entry in exported if entry.msgid not in translated]
        if missing:
            listing = "\n".join(map(self._describe, missing))
            self.fail(
                f"{len(missing)} term(s) of logistics_crm have no zh_CN translation in {PO_PATH}; "
                f"run scripts/update_translations and translate them:\n{listing}"
            )

    def test_po_file_is_consistent(self):
        """No untranslated or fuzzy entry, and placeholders and HTML tags are kept in each translation."""
        po = _read_po()
        self.assertEqual(po.metadata.get("Language"), LANG)
        self.assertIn("charset=UTF-8", po.metadata.get("Content-Type", ""))
        self.assertEqual(po.metadata.get("Plural-Forms"), "nplurals=1; plural=0;")
        untranslated = [entry for entry in po if not entry.obsolete and not _translated(entry)]
        if untranslated:
            listing = "\n".join(map(self._describe, untranslated))
            self.fail(f"untranslated or fuzzy entries in {PO_PATH}:\n{listing}")
        broken = [
            f"{self._describe(entry)} -> {entry.msgstr!r}"
            for entry in po
            if _translated(entry)
            and (
                sorted(PLACEHOLDER_RE.findall(entry.msgid)) != sorted(PLACEHOLDER_RE.findall(entry.msgstr))
                or sorted(TAG_RE.findall(entry.msgid)) != sorted(TAG_RE.findall(entry.msgstr))
                or entry.msgid[:1].isspace() != entry.msgstr[:1].isspace()
                or entry.msgid[-1:].isspace() != entry.msgstr[-1:].isspace()
            )
        ]
        if broken:
            listing = "\n".join(broken)
            self.fail(
                f"translations that lost or changed a placeholder, an HTML tag or leading/trailing space:\n{listing}"
            )

    def test_translations_load_and_apply(self):
        """Loaded into the database, the translation shows up through the ORM and in error messages."""
        self.env["ir.module.module"]._load_module_terms(["logistics_crm"], [LANG], overwrite=True)
        env_zh = self.env(context=dict(self.env.context, lang=LANG))

        # a data record's translated field (the tiers are noupdate data)
        tier_a = env_zh.ref("logistics_crm.customer_tier_a")
        self.assertEqual(tier_a.name, "大客户")
        self.assertEqual(tier_a.display_name, "A - 大客户")
        self.assertEqual(tier_a.with_context(lang="en_US").name, "Key account")

        # a selection label and a field label
        description = env_zh["res.partner"].fields_get(["logistics_stage"], ["string", "selection"])["logistics_stage"]
        self.assertEqual(dict(description["selection"])["dormant"], "休眠")
        self.assertEqual(description["string"], "生命周期阶段")

        # a menu of the app
        self.assertEqual(env_zh.ref("logistics_crm.menu_logistics_crm_root").name, "物流 CRM")

        # a Python (code) message, formatted with its arguments
        tier_b = self.env.ref("logistics_crm.customer_tier_b").with_context(lang=LANG)
        with self.assertRaises(ValidationError) as caught:
            tier_b.write({"revenue_share_cutoff": 70})
        message = str(caught.exception)
        self.assertIn("收入占比阈值必须按等级顺序", message)
        self.assertIn("A 80%、B 95%、C 100%", message)
        self.assertIn("B 70%", message)
        self.assertNotIn("%%", message)
        self.assertTrue(CJK_RE.search(message))
