"""Writes of the development pipeline (the 25 steps from applicant to full member). One module per sub-domain
(flow: the workflow and its numbers; cases; step_records); the public names are all here."""

from .cases import development_case_close, development_case_create, development_extend_probation
from .flow import (
    ACTIVIST_YEARS,
    APPROVAL_MONTHS,
    APPROVE,
    DEVELOPMENT_FLOW,
    HIGHER_STEPS,
    MANAGE,
    MAX_EXTENSION_MONTHS,
    MIN_AGE,
    OPEN_STAGES,
    TRAINING_DAYS,
    TRAINING_HOURS,
    add_months,
    full_members_of,
    is_higher_committee,
    review_due_on,
)
from .step_records import development_record_step, vote_passes

__all__ = [
    "ACTIVIST_YEARS",
    "APPROVAL_MONTHS",
    "APPROVE",
    "DEVELOPMENT_FLOW",
    "HIGHER_STEPS",
    "MANAGE",
    "MAX_EXTENSION_MONTHS",
    "MIN_AGE",
    "OPEN_STAGES",
    "TRAINING_DAYS",
    "TRAINING_HOURS",
    "add_months",
    "development_case_close",
    "development_case_create",
    "development_extend_probation",
    "development_record_step",
    "full_members_of",
    "is_higher_committee",
    "review_due_on",
    "vote_passes",
]
