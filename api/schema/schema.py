"""The assembled schema, with its limits."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from api.schema.analytics import AnalyticsQuery
from api.schema.api_token import ApiTokenMutation, ApiTokenQuery
from api.schema.audit import AuditQuery
from api.schema.calendar import CalendarMutation, CalendarQuery
from api.schema.change import ChangeMutation, ChangeQuery
from api.schema.contact import ContactMutation, ContactQuery
from api.schema.correlation import CorrelationMutation, CorrelationQuery
from api.schema.enums import ErrorCode
from api.schema.errors import ErrorPresentation, log_unexpected
from api.schema.escalation import EscalationMutation, EscalationQuery
from api.schema.heartbeat import HeartbeatMutation, HeartbeatQuery
from api.schema.integration import IntegrationKeyMutation, IntegrationKeyQuery
from api.schema.limits import OperationLimits
from api.schema.mutation import Mutation
from api.schema.noise import NoiseMutation, NoiseQuery
from api.schema.postmortem import PostmortemMutation, PostmortemQuery
from api.schema.query import Query
from api.schema.response import ResponseMutation, ResponseQuery
from api.schema.scalars import SCALARS
from api.schema.schedule import ScheduleMutation, ScheduleQuery
from api.schema.shared_execution import SharedEventExecutor
from api.schema.stakeholder import StakeholderMutation, StakeholderQuery
from api.schema.statuspage import StatusPageMutation, StatusPageQuery, StatusPageSubscription
from api.schema.subscription import Subscription
from api.schema.team import TeamMutation, TeamQuery

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000
"""Documents only: 1,000 alerts go in variables, not inline."""


# The limiters build a new rule class each time they are made, which would make every
# request's rules look new to the validation cache: build the rules once.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]


class VigilSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        log_unexpected(errors)


schema = VigilSchema(
    query=merge_types(
        "Query",
        (
            Query,
            NoiseQuery,
            HeartbeatQuery,
            ScheduleQuery,
            CalendarQuery,
            ContactQuery,
            EscalationQuery,
            CorrelationQuery,
            ChangeQuery,
            AnalyticsQuery,
            StakeholderQuery,
            PostmortemQuery,
            ResponseQuery,
            StatusPageQuery,
            AuditQuery,
            TeamQuery,
            IntegrationKeyQuery,
            ApiTokenQuery,
        ),
    ),
    mutation=merge_types(
        "Mutation",
        (
            Mutation,
            NoiseMutation,
            HeartbeatMutation,
            ScheduleMutation,
            CalendarMutation,
            ContactMutation,
            EscalationMutation,
            CorrelationMutation,
            ChangeMutation,
            StakeholderMutation,
            PostmortemMutation,
            ResponseMutation,
            StatusPageMutation,
            TeamMutation,
            IntegrationKeyMutation,
            ApiTokenMutation,
        ),
    ),
    subscription=merge_types("Subscription", (Subscription, StatusPageSubscription)),
    types=[ErrorCode],
    config=StrawberryConfig(scalar_map=SCALARS, sort_schema=True),
    execution_context_class=SharedEventExecutor,
    extensions=[
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        # Monitors send the same few documents over and over: validate each once.
        lambda: ValidationCache(maxsize=256),
        # After the cache: it checks documents the cache found valid (api/schema/limits.py).
        OperationLimits,
        ErrorPresentation,
    ],
)


def sdl() -> str:
    """The schema in SDL, sorted so diffs stay small."""
    return schema.as_str() + "\n"
