"""Communication: internal status updates, channels, effectiveness, external and stakeholders."""

from __future__ import annotations

import re

from pirdoc import values as pv
from pirdoc.importers import _values as v
from pirdoc.importers._outline import Part, heading_key, join
from pirdoc.importers._reader import EventSpec, ReaderBase
from pirdoc.importers._source import Field, escape_line_start

__all__ = ["CommunicationReader"]


# The template's example updates, under placeholder times.
_TEMPLATE_UPDATES = frozenset(
    ("initial notification sent", "status update 1", "status update 2", "resolution notification")
)


class CommunicationReader(ReaderBase):
    """The Communication section."""

    def communication(self, part: Part) -> None:
        key = heading_key(part.title)
        values = self.values.setdefault("communication", {})
        groups = self.field_lists(part, part.title or "Communication")
        if key == "internal communication":
            for field in groups.pop("timeline", []):
                self.status_update(field)
            values["channels"] = [
                f.source if not f.label else f"{f.label}: {f.source}"
                for f in groups.pop("channels used", [])
                if not v.is_not_recorded(f.source, self.src.plain(f.source)) or f.label
            ]
            found, extra = self.known_fields(
                groups.pop("effectiveness", []),
                ("what worked", "what didn't", "improvements needed"),
                "Effectiveness",
                "improvements needed",
            )
            values["what_worked"] = self.markdown(found["what worked"]) if "what worked" in found else None
            values["what_did_not_work"] = self.markdown(found["what didn't"]) if "what didn't" in found else None
            values["improvements_needed"] = join(
                self.markdown(found["improvements needed"]) if "improvements needed" in found else None, extra
            )
        elif key == "external communication":
            customers, _ = self.known_fields(
                groups.pop("customer notifications", []),
                ("status page updates", "email notifications", "social media"),
                "Customer Notifications",
            )
            values["external"] = {
                "status_page_updates": self.optional(
                    customers, "status page updates", pv.parse_quantity, "Status page updates"
                ),
                "email_notifications": self.optional(
                    customers, "email notifications", v.parse_bool, "Email notifications"
                ),
                "social_media": self.optional(customers, "social media", v.parse_bool, "Social media"),
            }
            stakeholders, _ = self.known_fields(
                groups.pop("stakeholder communication", []),
                ("executive briefing", "customer success team", "sales team"),
                "Stakeholder Communication",
            )
            values["stakeholders"] = {
                name.replace(" ", "_"): (stakeholders[name].line, self.text(stakeholders[name]))
                for name in ("executive briefing", "customer success team", "sales team")
                if name in stakeholders and self.text(stakeholders[name]) is not None
            }
        else:
            self.unknown_part(part, "Communication")
            return
        for fields in groups.values():
            for field in fields:
                self.keep_field(field, part.title or "Communication")

    def status_update(self, field: Field) -> None:
        """``13:46 UTC - Initial notification sent`` (a date is optional)."""
        source = f"{field.label}: {field.source}" if field.label else field.source
        when, separator, message = source.partition(" - ")
        if not separator and source.rstrip().endswith(" -"):  # an empty message: the line ends at the dash
            when, separator, message = source.rstrip()[:-2], " - ", ""
        if not separator:
            self.keep_field(field, "Internal Communication", "not 'time - message'")
            return
        if v.is_not_recorded(when, self.src.plain(when)) or re.fullmatch(r"\[?HH:MM.*", when.strip()):
            text = message.strip()
            if text and not v.is_placeholder_source(text) and text.casefold() not in _TEMPLATE_UPDATES:
                self.updates.append(EventSpec(None, escape_line_start(message.strip()), field.line))
            return
        when_text = self.src.plain(when)
        if not v.is_time(when_text):
            self.problem(
                field.line, f"Internal Communication: {when_text!r} is not a time pirdoc can read; kept as written"
            )
        self.updates.append(EventSpec(when_text, escape_line_start(message.strip()), field.line))
