"""Communication, metrics, supporting documents, the review meeting, approvals and the
document's status."""

from __future__ import annotations

import attrs

from pirdoc import document as d
from pirdoc._layout_base import Base
from pirdoc._layout_values import (
    _NR,
    NOT_RECORDED,
    FieldValue,
    _bullets,
    _checklist,
    _date,
    _detail_row,
    _duration,
    _field_bullets,
    _instant,
    _label_only,
    _labelled,
    _md_inline,
    _md_value,
    _number,
    _person,
    _person_cell,
    _seconds,
    _shown_duration,
    _table,
    _text,
    _url,
    _yes_no,
    format_duration,
)
from pirdoc.narrative import parse_inlines, sanitize


class ClosingSections(Base):
    """Communication, metrics, supporting documents, the review meeting, approvals and the"""

    def internal_communication(self) -> None:
        c = self.review.communication
        self.heading(2, "Internal Communication")
        self.add(_label_only("Timeline:"))
        if c.internal_timeline:
            self.add(
                _bullets(
                    (
                        d.Paragraph(
                            children=(
                                *_instant(u.at, with_date=self._multi_day),
                                d.Text(text=" - "),
                                *parse_inlines(u.message),
                            )
                        ),
                    )
                    for u in c.internal_timeline
                )
            )
        else:
            self._none()
        self.add(_label_only("Channels Used:"))
        self._plain_bullets(c.channels)
        self.add(
            _label_only("Effectiveness:"),
            _field_bullets(
                [
                    ("What worked", _md_value(c.what_worked)),
                    ("What didn't", _md_value(c.what_did_not_work)),
                    ("Improvements needed", _md_value(c.improvements_needed)),
                ]
            ),
        )

    def external_communication(self) -> None:
        c = self.review.communication
        self.heading(2, "External Communication")
        self.add(
            _label_only("Customer Notifications:"),
            _field_bullets(
                [
                    ("Status page updates", _number(c.external.status_page_updates)),
                    ("Email notifications", _yes_no(c.external.email_notifications)),
                    ("Social media", _yes_no(c.external.social_media)),
                ]
            ),
            _label_only("Stakeholder Communication:"),
            _field_bullets(
                [
                    ("Executive briefing", _instant(c.stakeholders.executive_briefing)),
                    ("Customer success team", _instant(c.stakeholders.customer_success_team)),
                    ("Sales team", _instant(c.stakeholders.sales_team)),
                ]
            ),
        )

    def metrics_figure(self) -> None:
        bars = tuple(
            d.MetricBar(
                label=metric.name,
                actual_seconds=_seconds(metric.actual),
                target_seconds=metric.target.total_seconds() if metric.target is not None else None,
                actual_text=_shown_duration(metric.actual) if metric.actual is not None else "Not measured",
                target_text=f"< {format_duration(metric.target)}" if metric.target is not None else NOT_RECORDED,
                met=metric.met,
            )
            for metric in self.review.response_metrics
        )
        met = sum(1 for bar in bars if bar.met)
        measured = sum(1 for bar in bars if bar.met is not None)
        self.add(
            d.Figure(
                data=d.MetricsFigure(metrics=bars),
                caption=f"Response metrics: {met} of {measured} measured targets met",
                table=self._response_metrics_table(),
            )
        )

    def _response_metrics_table(self) -> d.Table:
        rows = []
        for metric in self.review.response_metrics:
            if metric.met is None:
                badge = d.StatusBadge(label="Not measured", tone="neutral")
            elif metric.met:
                badge = d.StatusBadge(label="Yes", tone="good")
            else:
                badge = d.StatusBadge(label="No", tone="critical")
            rows.append(
                (
                    _text(metric.name),
                    _text(f"< {format_duration(metric.target)}") if metric.target is not None else _NR,
                    _duration(metric.actual) if metric.actual is not None else _text("Not measured"),
                    (badge,),
                )
            )
        return _table(("Metric", "Target", "Actual", "Met?"), rows, "response-metrics", (0.3, 0.25, 0.25, 0.2))

    def response_metrics(self) -> None:
        self.heading(2, "Response Metrics")
        self.metrics_figure()
        stated = self.review.metrics.stated
        stated_fields = [
            ("Time to Detect", stated.time_to_detect),
            ("Time to Acknowledge", stated.time_to_acknowledge),
            ("Time to Mitigate", stated.time_to_mitigate),
            ("Time to Resolve", stated.time_to_resolve),
        ]
        if any(value is not None for _, value in stated_fields):
            self.add(
                _label_only("Stated in the review:"),
                _field_bullets((name, _duration(value)) for name, value in stated_fields if value is not None),
            )

    def impact_metrics(self) -> None:
        r = self.review
        impact = r.metrics.impact
        self.heading(2, "Impact Metrics")
        self.add(
            _table(
                ("Metric", "Value"),
                [
                    (_text("Total Downtime"), _duration(r.total_downtime)),
                    (_text("Users Affected"), _number(r.impact.user.total_users_affected)),
                    (_text("Failed Requests"), _number(impact.failed_requests)),
                    (_text("Data Loss"), _md_inline(impact.data_loss_amount)),
                    (_text("Recovery Point"), _instant(impact.recovery_point)),
                    *(_detail_row(detail) for detail in impact.details),
                ],
                "impact-metrics",
                (0.4, 0.6),
            )
        )

    def supporting_documents(self) -> None:
        self.heading(2, "Supporting Documents")
        docs = self.review.attachments.supporting_documents
        if docs:
            self.add(_checklist(docs, "supporting-documents"))
        else:
            self._none()

    def links(self) -> None:
        links = self.review.attachments.links
        self.heading(2, "Links")

        def one(value: str | None) -> tuple[d.Inline, ...]:
            return _url(value) if value else _NR

        related: list[d.Inline] = []
        for index, url in enumerate(links.related_incidents):
            if index:
                related.append(d.Text(text=", "))
            related.extend(_url(url))
        fields: list[tuple[str, FieldValue]] = [
            ("Incident ticket", one(links.incident_ticket)),
            ("Monitoring dashboard", one(links.monitoring_dashboard)),
            ("Related incidents", tuple(related) or _NR),
            ("Action item tracker", one(links.action_item_tracker)),
        ]
        fields.extend((sanitize(link.label), _url(link.url)) for link in links.other)
        self.add(_field_bullets(fields))

    def review_meeting(self) -> None:
        meeting = self.review.review_meeting
        self.heading(2, "Review Meeting")
        self.add(_labelled("Date:", _date(meeting.date)), _label_only("Attendees:"))
        if meeting.attendees:
            self.add(
                _bullets(
                    (d.Paragraph(children=(_person(p), *((d.Text(text=" - "), *_text(p.role)) if p.role else ()))),)
                    for p in meeting.attendees
                )
            )
        else:
            self._none()
        self.add(_label_only("Discussion Points:"))
        self._plain_bullets(meeting.discussion_points)

    def approvals(self) -> None:
        self.heading(2, "Approvals")
        rows = [
            (
                _text(a.role),
                _person_cell(a.approver),
                (d.StatusBadge(label="Yes", tone="good"),)
                if a.approved
                else (d.StatusBadge(label="No", tone="critical"),)
                if a.approved is False
                else _text("Pending"),
                _date(a.date),
            )
            for a in self.review.approvals
        ]
        if rows:
            table = _table(("Role", "Name", "Approved", "Date"), rows, "approvals", (0.3, 0.3, 0.2, 0.2))
            self.add(attrs.evolve(table, signed=True))
        else:
            self._none("No approvals required.")

    def action_item_review(self) -> None:
        f = self.review.follow_up
        self.heading(2, "Action Item Review")
        self.add(_labelled("Next Review Date:", _date(f.next_review_date)), _label_only("Review Cadence:"))
        if f.cadence:
            self.add(_field_bullets((sanitize(step.when), parse_inlines(step.what)) for step in f.cadence))
        else:
            self._none()

    def knowledge_sharing(self) -> None:
        self.heading(2, "Knowledge Sharing")
        items = self.review.follow_up.knowledge_sharing
        if items:
            self.add(_checklist(items, "knowledge-sharing"))
        else:
            self._none()

    def document_status(self) -> None:
        r = self.review
        children: list[d.Inline] = []
        for index, (label, value) in enumerate(
            (
                ("Document Status:", _text(r.status.value)),
                ("Last Updated:", _date(r.last_updated)),
                ("Next Review:", _date(r.next_review)),
                ("Owner:", _person_cell(r.owner)),
            )
        ):
            if index:
                children.append(d.LineBreak())
            children.extend((d.Strong(children=(d.Text(text=label),)), d.Text(text=" "), *value))
        self.add(d.Paragraph(children=tuple(children)))
