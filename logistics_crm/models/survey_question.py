from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..domain import satisfaction

DIMENSION_SELECTION = [
    (satisfaction.EXPECTATION, "Expected quality"),
    (satisfaction.QUALITY, "Experienced quality"),
    (satisfaction.VALUE, "Perceived value"),
    (satisfaction.SATISFACTION, "Overall satisfaction"),
    (satisfaction.COMPLAINT, "Complaint handling"),
    (satisfaction.LOYALTY, "Loyalty (would recommend, NPS)"),
]


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    logistics_dimension = fields.Selection(
        DIMENSION_SELECTION,
        string="Satisfaction dimension",
        index="btree_not_null",
        help="The dimension of the customer satisfaction index this scale question measures. Its answer "
        "counts 0-100 from the scale's minimum to its maximum. The loyalty question (\"how likely are "
        "you to recommend us\", 0-10) also gives the answer's NPS category.",
    )

    @api.constrains("logistics_dimension", "question_type")
    def _check_logistics_dimension(self):
        for question in self:
            if question.logistics_dimension and question.question_type != "scale":
                raise ValidationError(
                    self.env._(
                        "Question “%(question)s”: only scale questions can measure a satisfaction dimension.",
                        question=question.title,
                    )
                )
