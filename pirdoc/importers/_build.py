"""The whole reader (every section's part composed) and the builder that makes the Review."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc.errors import ReviewLoadError
from pirdoc.importers import _values as v
from pirdoc.importers._actions import ActionReader
from pirdoc.importers._analysis import AnalysisReader
from pirdoc.importers._closing import ClosingReader
from pirdoc.importers._communication import CommunicationReader
from pirdoc.importers._header import HeaderReader
from pirdoc.importers._impact import ImpactReader
from pirdoc.importers._metrics import MetricsReader
from pirdoc.importers._outline import Part, heading_key
from pirdoc.importers._source import Field
from pirdoc.importers._timeline import TimelineReader

__all__ = ["Reader"]

_SEVERITY = re.compile(r"^(?:SEV|S|P)[-\s]?([1-4])$", re.IGNORECASE)


class Reader(
    HeaderReader,
    ImpactReader,
    TimelineReader,
    AnalysisReader,
    ActionReader,
    CommunicationReader,
    MetricsReader,
    ClosingReader,
):
    """Reads one template, section by section, and builds the Review."""

    def read(self) -> m.Review:
        self.check_fences()
        preamble, sections = self.outline()
        for node in preamble:
            fields = self.src.labelled_lines(node) if node.type == "paragraph" else []
            if fields:
                for field in fields:
                    self.head.setdefault(heading_key(field.label), field)
            else:
                self.unplaced(node, "text before the first section")
        for section in sections:
            handler = SECTIONS.get(heading_key(section.title))
            if handler is None:
                self.problem(section.line, f"section {section.title!r} is not part of the template; not imported")
                continue
            for part in section.parts:
                handler(self, part)
        return self.build()

    def incident_details(self, part: Part) -> None:
        key = heading_key(part.title)
        if key == "basic information":
            self.basic_information(part)
        elif key == "services affected":
            self.services(part)
        elif key == "impact assessment":
            self.impact(part)
        else:
            self.unknown_part(part, "Incident Details")

    def build(self) -> m.Review:
        return Builder(self).review()


SECTIONS: dict[str, Callable[[Reader, Part], None]] = {
    "executive summary": Reader.executive_summary,
    "incident details": Reader.incident_details,
    "timeline": Reader.timeline,
    "root cause analysis": Reader.root_cause,
    "what went well": Reader.went_well,
    "what went wrong": Reader.went_wrong,
    "action items": Reader.action_items,
    "lessons learned": Reader.lessons,
    "prevention measures": Reader.prevention,
    "communication": Reader.communication,
    "metrics": Reader.metrics,
    "attachments": Reader.attachments,
    "review and approval": Reader.review_and_approval,
    "follow up": Reader.follow_up,
}



class Builder:
    """Turns what the reader collected into a Review, placing times and resolving defaults."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader
        self.values = reader.values
        self.ended: dt.datetime | None = None

    def head(self, key: str) -> Field | None:
        return self.r.head.get(key)

    def both(self, head_key: str, basic_key: str) -> Field | None:
        """A header value, else the Basic Information row."""
        for field in (self.r.head.get(head_key), self.r.basic.get(basic_key)):
            if field is not None and self.r.text(field) is not None:
                return field
        return None

    def review(self) -> m.Review:
        r = self.r
        incident_id_field = self.both("incident id", "incident id")
        incident_id = r.src.plain(incident_id_field.source) if incident_id_field else ""
        if not incident_id:
            r.problem(0, "no incident ID (write it as '**Incident ID:** INC-2026-0042')", "error")
        severity = self.severity()
        date_field = self.head("date")
        header_date = r.scalar(date_field, v.parse_date, "Date") if date_field else None
        started_at, ended_at = self.start_end(header_date)
        self.ended = ended_at
        status = self.status()
        title = r.title
        if not title:
            r.problem(1, "no title after the heading (write '# Post-Incident Review: Checkout outage')", "error")
        classification_field = self.head("classification")
        classification = r.text(classification_field) if classification_field else None
        values = self.values
        review = m.Review(
            incident_id=incident_id,
            title=title or "",
            severity=severity,
            started_at=started_at,
            ended_at=ended_at,
            date=header_date if header_date != started_at.date() else None,
            status=status,
            classification=classification or "Confidential",
            summary=m.ExecutiveSummary(**values.get("summary", {})),
            incident_commander=self.person_row("incident commander"),
            technical_lead=self.person_row("technical lead"),
            other_roles=tuple(r.other_roles),
            services=m.ServicesAffected(**values["services"]) if "services" in values else m.ServicesAffected(),
            impact=self.impact(),
            timeline=self.timeline(started_at, ended_at),
            root_cause=m.RootCauseAnalysis(
                **values.get("root_cause", {}),
                contributing_factors=tuple(
                    m.ContributingFactor(title=t, description=f["description"], impact=f["impact"])
                    for t, f in values.get("factors", [])
                ),
                five_whys=tuple(values.get("five_whys", ())),
            ),
            went_well=m.WhatWentWell(
                aspects=tuple(
                    m.Aspect(title=t, what=f["what"], why_it_helped=f["why it helped"])
                    for t, f in values.get("aspects", [])
                ),
                effective_procedures=tuple(values.get("procedures", ())),
            ),
            went_wrong=m.WhatWentWrong(
                issues=tuple(self.issue(t, f) for t, f in values.get("issues", [])),
                procedure_gaps=tuple(values.get("gaps", ())),
            ),
            action_items=tuple(r.actions),
            lessons=m.LessonsLearned(**{k: tuple(x) for k, x in values.get("lessons", {}).items()}),
            prevention=m.PreventionMeasures(**{k: tuple(x) for k, x in values.get("prevention", {}).items()}),
            communication=self.communication(started_at),
            metrics=m.Metrics(),
            attachments=self.attachments(),
            review_meeting=self.review_meeting(),
            follow_up=self.follow_up(),
            last_updated=self.status_value("last updated", v.parse_date),
            next_review=self.status_value("next review", v.parse_date),
            owner=self.owner(),
        )
        if "approvals" in values:
            review = attrs.evolve(review, approvals=tuple(values["approvals"]))
        review = attrs.evolve(review, metrics=self.metrics(review))
        self.summary_fallbacks(review)
        return self.summary_impact(review)

    # -- header values

    def severity(self) -> m.Severity:
        field = self.both("severity", "severity")
        if field is not None:
            text = self.r.src.plain(field.source)
            match = _SEVERITY.match(text.replace(" ", "") if len(text) < 8 else text)
            if match:
                return m.Severity(f"SEV-{match[1]}")
            self.r.problem(field.line, f"Severity: expected SEV-1 to SEV-4, got {text!r}; imported as SEV-4", "error")
        else:
            self.r.problem(0, "no severity (write it as '**Severity:** SEV-2'); imported as SEV-4", "error")
        return m.Severity.SEV4

    def status(self) -> m.Status:
        field = self.head("status")
        block = self.values.get("status-block", {}).get("document status")
        status = None
        for candidate in (field, block):
            if candidate is not None and status is None:
                status = self.r.scalar(candidate, lambda t: v.parse_enum(m.Status, t), "Status")
        return status or m.Status.DRAFT

    def status_value(self, key: str, parse: Callable[[str], Any]) -> Any:
        field = self.values.get("status-block", {}).get(key)
        return self.r.scalar(field, parse, field.label) if field is not None else None

    def owner(self) -> m.Person | None:
        field = self.values.get("status-block", {}).get("owner")
        return self.r.person(field) if field is not None else None

    def person_row(self, key: str) -> m.Person | None:
        field = self.r.basic.get(key)
        return self.r.person(field) if field is not None else None

    # -- times

    def start_end(self, header_date: dt.date | None) -> tuple[dt.datetime, dt.datetime | None]:
        r = self.r
        start_field = r.basic.get("start time")
        start_clock = r.scalar(start_field, v.parse_clock, "Start Time") if start_field else None
        day = header_date
        started: dt.datetime | None = None
        if start_clock is not None:
            if start_clock.at is None and day is None:
                day = next((e[0].at.date() for e in r.events if e[0].at is not None), None)
            if start_clock.at is not None or day is not None:
                started = start_clock.on(day or dt.date.today())
        if started is None:
            first = next((e for e in r.events), None)
            if first is not None and (first[0].at is not None or day is not None):
                started = first[0].on(day or dt.date.today())
                r.problem(
                    start_field.line if start_field else 0,
                    "no Start Time; the first timeline event's time is used",
                    "error",
                )
            elif day is not None:
                started = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
                r.problem(
                    start_field.line if start_field else 0,
                    "no Start Time; midnight UTC of the review date is used",
                    "error",
                )
            else:
                raise ReviewLoadError(["no Start Time, no timeline times and no Date: cannot place the incident"])
        end_field = r.basic.get("end time")
        end_clock = r.scalar(end_field, v.parse_clock, "End Time") if end_field else None
        ended = None
        if end_clock is not None:
            ended = end_clock.on(started.date())
            if end_clock.at is None and ended < started:
                ended += dt.timedelta(days=1)
        return started, ended

    def place(
        self, clock: v.ClockTime, previous: dt.datetime | None, start: dt.datetime, end: dt.datetime | None
    ) -> dt.datetime:
        """A time of day on the date of the event before it (the start's for the first); a time
        smaller than that event's rolls over midnight, unless it already lies inside the incident
        (events are grouped by phase, so their order is not always chronological) or the next day
        would put it after the incident's end (a deploy just before a start near midnight)."""
        if clock.at is not None:
            return clock.at
        same_day = end is not None and end.date() == start.date()
        previous = previous or start
        at = clock.on(start.date() if same_day else previous.date())
        inside = start <= at and (end is None or at <= end)
        rolled = at + dt.timedelta(days=1)
        if not same_day and at < previous and not inside and (end is None or rolled <= end):
            return rolled
        return at

    def timeline(self, start: dt.datetime, end: dt.datetime | None) -> tuple[m.TimelineEvent, ...]:
        events = []
        previous: dt.datetime | None = None
        for clock, title, phase, kind, details, _line in self.r.events:
            at = self.place(clock, previous, start, end)
            previous = at
            events.append(m.TimelineEvent(at=at, title=title, phase=phase, kind=kind, details=details))
        return tuple(events)

    # -- sections

    def impact(self) -> m.ImpactAssessment:
        values = self.values
        return m.ImpactAssessment(
            user=m.UserImpact(**values["user"]) if "user" in values else m.UserImpact(),
            business=m.BusinessImpact(**values["business"]) if "business" in values else m.BusinessImpact(),
            technical=m.TechnicalImpact(**values["technical"]) if "technical" in values else m.TechnicalImpact(),
        )

    def issue(self, title: str, fields: dict[str, str | None]) -> m.Issue:
        severity = None
        if fields["severity"]:
            text = self.r.src.plain(fields["severity"])
            try:
                severity = v.parse_enum(m.Level, text)
            except ValueError as exc:
                self.r.problem(0, f"Issue {title!r}: severity {exc}")
        return m.Issue(title=title, what=fields["what"], impact=fields["impact"], severity=severity)

    def communication(self, start: dt.datetime) -> m.Communication:
        values = dict(self.values.get("communication", {}))
        updates = []
        previous: dt.datetime | None = None
        for clock, message, _line in self.r.updates:
            at = self.place(clock, previous, start, self.ended)
            previous = at
            updates.append(m.StatusUpdate(at=at, message=message))
        external = values.pop("external", {})
        stakeholders = {
            k: (c.on(start.date()) if c is not None else None) for k, c in values.pop("stakeholders", {}).items()
        }
        return m.Communication(
            internal_timeline=tuple(updates),
            channels=tuple(values.pop("channels", ())),
            external=m.ExternalCommunication(**external),
            stakeholders=m.StakeholderCommunication(**stakeholders),
            **values,
        )

    def metrics(self, review: m.Review) -> m.Metrics:
        r = self.r
        values = self.values
        targets = {k: t for k, t in values.get("targets", {}).items() if t is not None}
        if targets.get("resolve") == m.DEFAULT_RESOLVE_TARGETS[review.severity]:
            del targets["resolve"]
        stated = {f"time_to_{k}": s for k, s in values.get("stated", {}).items() if s is not None}
        partial = attrs.evolve(review, metrics=m.Metrics(targets=m.ResponseTargets(**targets)))
        if not r.stated_seen:
            derived = {metric.name: metric.actual for metric in partial.response_metrics}
            for name, field in values.get("actuals", {}).items():
                value = r.scalar(field, v.parse_duration_text, f"{name} actual") if r.text(field) else None
                if value is not None and value != derived.get(f"Time to {name.capitalize()}"):
                    stated[f"time_to_{name}"] = value
        rows: dict[str, Field] = values.get("impact_metrics", {})
        downtime = r.optional(rows, "total downtime", v.parse_duration_text, "Total Downtime")
        if downtime is not None and downtime == review.duration:
            downtime = None
        recovery = r.optional(rows, "recovery point", v.parse_clock, "Recovery Point")
        return m.Metrics(
            targets=m.ResponseTargets(**targets),
            stated=m.StatedMetrics(**stated),
            impact=m.ImpactMetrics(
                total_downtime=downtime,
                failed_requests=r.scalar(rows["failed requests"], v.parse_int, "Failed Requests")
                if "failed requests" in rows
                else None,
                data_loss_amount=r.markdown(rows["data loss"]) if "data loss" in rows else None,
                recovery_point=recovery.on(review.started_at.date()) if recovery is not None else None,
            ),
        )

    def attachments(self) -> m.Attachments:
        values = self.values
        links = values.get("links", {})
        link_values = m.Links(
            incident_ticket=links.get("incident_ticket"),
            monitoring_dashboard=links.get("monitoring_dashboard"),
            related_incidents=tuple(links.get("related", ())),
            action_item_tracker=links.get("action_item_tracker"),
            other=tuple(links.get("other", ())),
        )
        if "supporting_documents" in values:
            return m.Attachments(supporting_documents=tuple(values["supporting_documents"]), links=link_values)
        return m.Attachments(links=link_values)

    def review_meeting(self) -> m.ReviewMeeting:
        meeting = self.values.get("review_meeting", {})
        return m.ReviewMeeting(
            date=meeting.get("date"),
            attendees=tuple(meeting.get("attendees", ())),
            discussion_points=tuple(meeting.get("discussion_points", ())),
        )

    def follow_up(self) -> m.FollowUp:
        values = self.values.get("follow_up", {})
        follow_up = m.FollowUp(next_review_date=values.get("next_review_date"))
        if "cadence" in values:
            follow_up = attrs.evolve(follow_up, cadence=tuple(values["cadence"]))
        if "knowledge_sharing" in values:
            follow_up = attrs.evolve(follow_up, knowledge_sharing=tuple(values["knowledge_sharing"]))
        return follow_up

    # -- the executive summary's impact bullets

    def summary_fallbacks(self, review: m.Review) -> None:
        """Derived values the executive summary shows are not data; report where they disagree."""
        r = self.r
        duration = r.summary_impact.get("duration")
        if duration is not None and r.text(duration) is not None and review.duration is not None:
            try:
                stated = v.parse_duration_text(r.src.plain(duration.source))
            except ValueError:
                return
            if stated != review.duration:
                r.problem(
                    duration.line,
                    f"Executive Summary: Duration {r.src.plain(duration.source)!r} differs "
                    "from End Time minus Start Time",
                )

    def summary_impact(self, review: m.Review) -> m.Review:
        """Take users affected and data loss from the summary when the template's own fields
        for them were left empty."""
        r = self.r
        user = review.impact.user
        affected = r.summary_impact.get("affected users")
        if affected is not None and user.total_users_affected is None and r.text(affected) is not None:
            text = r.src.plain(affected.source)
            number = re.match(r"^[~≈]?[\d,  ]+(?=\s|$|\()", text)
            if number:
                with contextlib.suppress(ValueError):
                    user = attrs.evolve(user, total_users_affected=v.parse_int(number[0]))
        technical = review.impact.technical
        loss = r.summary_impact.get("data loss")
        if loss is not None and technical.data_loss == m.DataImpact():
            technical = attrs.evolve(technical, data_loss=r.data_impact(loss))
        return attrs.evolve(review, impact=attrs.evolve(review.impact, user=user, technical=technical))
