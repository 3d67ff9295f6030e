"""Why an alert is in its incident, as the correlator explained it when deciding."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.schema.access import context_of
from domain.alert.explanation import CorrelationExplanation

if TYPE_CHECKING:
    from api.schema.incident import Alert


@strawberry.type(name="CorrelationSignal")
class Signal:
    name: str
    value: float = strawberry.field(description="What the signal added to the decision.")


@strawberry.type(description="Why the correlator put an alert in its incident.")
class AlertCorrelation:
    score: float = strawberry.field(
        description="How sure the correlator was: a probability for the learned engine, "
        "1 minus the gap over the window for the time window."
    )
    linked_alert_id: strawberry.ID | None = strawberry.field(
        description="The alert of the incident this one was tied to; none when it opened one."
    )
    reason: str
    signals: list[Signal] = strawberry.field(
        description="The signals that counted, strongest first."
    )
    engine: str = strawberry.field(description="'learned' or 'window'.")
    model_version: int | None = strawberry.field(
        description="The stored model version that decided; none for the built-in priors."
    )

    @strawberry.field(description="The alert of the incident this one was tied to.")
    async def linked_alert(
        self, info: strawberry.Info
    ) -> Annotated[Alert, strawberry.lazy("api.schema.incident")] | None:
        from api.schema.incident import Alert

        if self.linked_alert_id is None:
            return None
        found = await context_of(info).loaders.alert.load(self.linked_alert_id)
        return Alert.from_domain(found) if found else None

    @classmethod
    def from_domain(cls, explanation: CorrelationExplanation) -> AlertCorrelation:
        return cls(
            score=explanation.score,
            linked_alert_id=strawberry.ID(explanation.linked_alert_id)
            if explanation.linked_alert_id
            else None,
            reason=explanation.reason,
            signals=[Signal(name=n, value=v) for n, v in explanation.signals.items()],
            engine=explanation.engine,
            model_version=explanation.model_version,
        )
