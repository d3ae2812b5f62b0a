"""Impact Assessment: user, business and technical impact."""

from __future__ import annotations

import re

from pirdoc import model as m
from pirdoc import values as pv
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, join
from pirdoc.importers._reader import ReaderBase
from pirdoc.importers._source import Field, escape_line_start

__all__ = ["ImpactReader"]


_FLOAT = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+%?")


def _percentage(text: str) -> pv.Quantity:
    """A share as written; pirdoc's own ``6.05889e-12%`` (``{:g}`` of a tiny share) reads back."""
    if _FLOAT.fullmatch(text.strip()):
        return pv.Quantity(value=float(text.strip().removesuffix("%")))
    return pv.parse_quantity(text, percent=True)


class ImpactReader(ReaderBase):
    """The Impact Assessment subsection of Incident Details."""

    def impact(self, part: Part) -> None:
        groups = self.field_lists(part, "Impact Assessment")
        user, extra_user = self.known_fields(
            groups.get("user impact", []),
            ("total users affected", "percentage of user base", "geographic regions", "user facing errors"),
            "User Impact",
            "user-facing errors",
        )
        business, _ = self.known_fields(
            groups.get("business impact", []),
            ("revenue impact", "sla breach", "reputation impact", "regulatory implications"),
            "Business Impact",
        )
        technical, extra_technical = self.known_fields(
            groups.get("technical impact", []),
            ("data loss", "data corruption", "service degradation", "recovery time"),
            "Technical Impact",
            "service degradation",
        )
        for name, fields in groups.items():
            if name not in ("user impact", "business impact", "technical impact"):
                for field in fields:
                    self.keep_field(field, "Impact Assessment")
        regions = self.text(user["geographic regions"]) if "geographic regions" in user else None
        self.values["user"] = {
            "total_users_affected": self.scalar(user["total users affected"], pv.parse_quantity, "Total users affected")
            if "total users affected" in user
            else None,
            "percentage_of_user_base": self.scalar(
                user["percentage of user base"], _percentage, "Percentage of user base"
            )
            if "percentage of user base" in user
            else None,
            "geographic_regions": tuple(r.strip() for r in regions.split(",")) if regions else (),
            "user_facing_errors": join(
                self.markdown(user["user facing errors"]) if "user facing errors" in user else None, extra_user
            ),
        }
        self.values["business"] = {
            "revenue_impact": self.markdown(business["revenue impact"]) if "revenue impact" in business else None,
            "sla_breach": self.optional(business, "sla breach", v.parse_bool, "SLA breach"),
            "reputation_impact": self.optional(
                business, "reputation impact", lambda t: v.parse_enum(m.Level, t), "Reputation impact"
            ),
            "regulatory_implications": self.optional(
                business, "regulatory implications", v.parse_bool, "Regulatory implications"
            ),
        }
        self.values["technical"] = {
            "data_loss": self.data_impact(technical.get("data loss")),
            "data_corruption": self.data_impact(technical.get("data corruption")),
            "service_degradation": join(
                self.markdown(technical["service degradation"]) if "service degradation" in technical else None,
                extra_technical,
            ),
            "recovery_time": self.optional(technical, "recovery time", pv.parse_duration_text, "Recovery time"),
        }

    def data_impact(self, field: Field | None) -> m.DataImpact:
        """``Yes - details``, ``No``, ``Not recorded - details``, or just details."""
        if field is None or not field.source:
            return m.DataImpact()
        answer, _, details = field.source.partition(" - ")
        answer_text = self.src.plain(answer)
        occurred: bool | None
        try:
            occurred = None if v.is_not_recorded(answer, answer_text) else v.parse_bool(answer_text)
        except ValueError:
            # No yes/no first: the whole value is the details.
            occurred, details = None, field.source
            if v.is_not_recorded(field.source, self.src.plain(field.source)):
                return m.DataImpact()
        detail_text = self.src.plain(details) if details else ""
        if details and v.is_not_recorded(details, detail_text):
            details = ""
        return m.DataImpact(occurred=occurred, details=escape_line_start(details.strip()) or None)

    # ------------------------------------------------------------------------ timeline
