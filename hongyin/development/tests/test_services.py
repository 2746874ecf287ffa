import random
from datetime import date

import pytest

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.development import selectors, services
from hongyin.development.models import DevelopmentCase
from hongyin.development.steps import Stage
from hongyin.devtools.people import person
from hongyin.members.models import Member

pytestmark = pytest.mark.django_db
RNG = random.Random(99)

# a complete, rule-abiding history: step -> (date, data)
PLAN = {
    2: (date(2023, 1, 20), {}),
    3: (date(2023, 3, 1), {}),
    4: (date(2023, 3, 10), {}),
    5: (date(2023, 3, 5), {}),
    6: (date(2023, 9, 1), {}),
    7: (date(2024, 3, 5), {}),
    8: (date(2024, 3, 10), {}),
    9: (date(2024, 3, 12), {}),
    10: (date(2024, 4, 1), {"conclusion": "qualified"}),
    11: (date(2024, 4, 10), {"training_days": 3}),
    12: (date(2024, 5, 1), {}),
    13: (date(2024, 5, 10), {}),
    14: (date(2024, 5, 15), {}),
    15: (date(2024, 6, 1), {"yes_votes": "ALL"}),
    16: (date(2024, 6, 10), {}),
    17: (date(2024, 7, 1), {}),
    18: (date(2024, 7, 10), {}),
    19: (date(2024, 7, 15), {}),
    20: (date(2024, 7, 20), {}),
    22: (date(2025, 5, 20), {}),
    23: (date(2025, 6, 5), {"yes_votes": "ALL"}),
    24: (date(2025, 7, 1), {}),
    25: (date(2025, 7, 10), {}),
}


@pytest.fixture
def party(branch, make_member):
    """Three full members in the branch to be sponsors, introducers and voters."""
    return [make_member(branch, status="full") for _ in range(3)]


def new_case(branch, actor=None, applied_on=date(2023, 1, 10), **kw):
    data = person(RNG, born_to=date(2000, 1, 1))
    data.pop("gender")
    if "id_number" in kw:
        data.pop("birth_date")
    data.update(kw)
    return services.development_case_create(actor=actor, branch=branch, applied_on=applied_on, **data)


def entitled(branch):
    return services.full_members_of(branch).count()


def do(case, step, users, party, branch, **override):
    on, data = PLAN[step]
    data = dict(data)
    if data.get("yes_votes") == "ALL":
        data["yes_votes"] = entitled(branch)
    data.update(override.pop("data", {}))
    actor = users["building_admin"] if step in services.HIGHER_STEPS else users["branch_secretary"]
    actor = override.pop("actor", actor)
    people = {5: party[:1], 9: party[:2]}.get(step, [])
    people = override.pop("people", people)
    return services.development_record_step(
        actor=actor, case=case, step=step, done_on=override.pop("done_on", on), data=data, people=people, **override
    )


def run_until(case, last, users, party, branch):
    done = set(case.steps.values_list("step", flat=True))
    for step in sorted(PLAN):
        if step > last:
            break
        if step not in done:
            do(case, step, users, party, branch)
    case.refresh_from_db()
    return case


def test_full_pipeline_creates_member_and_makes_it_full(users, branch, party):
    case = new_case(branch, users["branch_secretary"])
    case = run_until(case, 17, users, party, branch)
    assert case.stage == Stage.PROBATIONARY
    member = Member.objects.get(pk=case.member_id)
    assert member.status == "probationary" and member.joined_on == date(2024, 6, 1) and member.org == branch
    assert case.probation_ends_on == date(2025, 6, 1)  # one year from the branch resolution
    case = run_until(case, 25, users, party, branch)
    member.refresh_from_db()
    assert case.stage == Stage.FULL
    assert member.status == "full" and member.full_member_on == date(2025, 6, 1)  # from the end of probation
    assert AuditEvent.objects.filter(action__startswith="development.step_", object_id=str(case.pk)).count() == 23


def test_applicant_must_be_18_at_application(users, branch):
    with pytest.raises(DomainError) as e:
        new_case(branch, applied_on=date(2024, 1, 1), **_born(date(2006, 6, 1)))
    assert e.value.field == "applied_on"
    case = new_case(branch, applied_on=date(2024, 6, 1), **_born(date(2006, 6, 1)))  # 18th birthday
    assert case.stage == Stage.APPLICANT


def _born(birth):
    data = person(RNG, born_from=birth, born_to=birth)
    return {"id_number": data["id_number"], "name": data["name"]}


def test_case_create_refusals(users, branch, other_branch, party):
    with pytest.raises(DomainError) as e:
        new_case(branch, id_number="123")
    assert e.value.field == "id_number"
    with pytest.raises(DomainError) as e:
        new_case(branch, applied_on=date(2099, 1, 1))
    assert e.value.field == "applied_on"
    with pytest.raises(NotFound):
        new_case(other_branch, users["branch_secretary"])
    existing = party[0]
    with pytest.raises(DomainError) as e:
        new_case(branch, id_number=existing.id_number, name=existing.name)
    assert e.value.field == "id_number"
    case = new_case(branch)
    with pytest.raises(DomainError):
        new_case(branch, id_number=case.id_number, name=case.name)  # an open case already


def test_talk_within_a_month_else_warning(users, branch, party):
    on_time = new_case(branch)
    assert do(on_time, 2, users, party, branch).warning == ""
    late = new_case(branch)
    rec = do(late, 2, users, party, branch, done_on=date(2023, 2, 15))
    assert "一个月" in rec.warning
    assert rec.pk  # a warning, not a refusal


def test_steps_follow_the_order_and_stage(users, branch, party):
    case = new_case(branch)
    with pytest.raises(DomainError) as e:
        do(case, 3, users, party, branch)  # before the talk
    assert "2." in e.value.message
    with pytest.raises(DomainError):
        do(case, 7, users, party, branch)  # wrong stage
    do(case, 2, users, party, branch)
    with pytest.raises(DomainError):
        do(case, 2, users, party, branch)  # not repeatable
    with pytest.raises(DomainError) as e:
        do(case, 3, users, party, branch, done_on=date(2023, 1, 1))  # before the previous step
    assert e.value.field == "done_on"
    with pytest.raises(DomainError) as e:
        do(case, 3, users, party, branch, done_on=date(2099, 1, 1))
    assert e.value.field == "done_on"


def test_higher_committee_steps_refused_to_branch_secretary(users, branch, party):
    case = run_until(new_case(branch), 3, users, party, branch)
    with pytest.raises(DomainError) as e:
        do(case, 4, users, party, branch, actor=users["branch_secretary"])
    assert "上级党委" in e.value.message
    assert do(case, 4, users, party, branch).pk


def test_sponsors_one_or_two_full_members(users, branch, party, make_member):
    case = run_until(new_case(branch), 4, users, party, branch)
    with pytest.raises(DomainError) as e:
        do(case, 5, users, party, branch, people=[])
    assert e.value.field == "people"
    with pytest.raises(DomainError):
        do(case, 5, users, party, branch, people=party[:3])
    probationary = make_member(branch, status="probationary")
    with pytest.raises(DomainError):
        do(case, 5, users, party, branch, people=[probationary])
    assert do(case, 5, users, party, branch, people=party[:2]).people.count() == 2


def test_candidate_after_one_year_as_activist(users, branch, party):
    case = run_until(new_case(branch), 6, users, party, branch)
    with pytest.raises(DomainError) as e:
        do(case, 7, users, party, branch, done_on=date(2024, 2, 29))  # activist since 2023-03-01
    assert e.value.field == "done_on"
    do(case, 7, users, party, branch, done_on=date(2024, 3, 1))
    case.refresh_from_db()
    assert case.stage == Stage.CANDIDATE


def test_introducers_exactly_two_full_members(users, branch, party):
    case = run_until(new_case(branch), 8, users, party, branch)
    with pytest.raises(DomainError):
        do(case, 9, users, party, branch, people=party[:1])
    assert do(case, 9, users, party, branch, people=party[:2]).pk


def test_political_review_must_be_qualified(users, branch, party):
    case = run_until(new_case(branch), 9, users, party, branch)
    with pytest.raises(DomainError) as e:
        do(case, 10, users, party, branch, data={"conclusion": "unqualified"})
    assert e.value.field == "conclusion"
    assert do(case, 10, users, party, branch).pk


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"training_days": 3}, True),
        ({"training_days": 2, "training_hours": 24}, True),
        ({"training_days": 2, "training_hours": 23}, False),
        ({"training_days": ""}, False),
        ({"training_days": "abc"}, False),
    ],
)
def test_training_three_days_or_24_hours(users, branch, party, data, ok):
    case = run_until(new_case(branch), 10, users, party, branch)
    if ok:
        assert do(case, 11, users, party, branch, data=data).pk
    else:
        with pytest.raises(DomainError) as e:
            do(case, 11, users, party, branch, data={"training_days": "", "training_hours": "", **data})
        assert e.value.field in ("training_days", "training_hours")


def test_admission_needs_review_and_training_first(users, branch, party):
    case = run_until(new_case(branch), 10, users, party, branch)  # no training yet
    with pytest.raises(DomainError) as e:
        do(case, 12, users, party, branch)
    assert "11." in e.value.message


def test_vote_passes_only_with_more_than_half_of_full_members(users, branch, party):
    case = run_until(new_case(branch), 14, users, party, branch)
    n = entitled(branch)
    half = n // 2
    with pytest.raises(DomainError) as e:
        do(case, 15, users, party, branch, data={"yes_votes": half})  # exactly half (or less) fails
    assert e.value.field == "yes_votes"
    with pytest.raises(DomainError):
        do(case, 15, users, party, branch, data={"yes_votes": n + 1})
    rec = do(case, 15, users, party, branch, data={"yes_votes": half + 1})
    assert rec.data["entitled"] == n
    assert services.vote_passes(3, 5) and not services.vote_passes(2, 4)


def test_higher_approval_within_three_months(users, branch, party):
    case = run_until(new_case(branch), 16, users, party, branch)  # resolution 2024-06-01
    with pytest.raises(DomainError) as e:
        do(case, 17, users, party, branch, done_on=date(2024, 9, 2))
    assert e.value.field == "done_on"
    assert not Member.objects.filter(id_number_index=case.id_number_index).exists()
    do(case, 17, users, party, branch, done_on=date(2024, 9, 1))
    case.refresh_from_db()
    assert case.member.status == "probationary"


def test_full_vote_not_before_end_of_probation(users, branch, party):
    case = run_until(new_case(branch), 22, users, party, branch)
    with pytest.raises(DomainError) as e:
        do(case, 23, users, party, branch, done_on=date(2025, 5, 31))
    assert e.value.field == "done_on"


def test_full_approval_within_three_months_of_vote(users, branch, party):
    case = run_until(new_case(branch), 23, users, party, branch)  # vote 2025-06-05
    with pytest.raises(DomainError):
        do(case, 24, users, party, branch, done_on=date(2025, 9, 6))
    do(case, 24, users, party, branch, done_on=date(2025, 9, 5))


def test_probation_extended_once_by_at_most_a_year(users, branch, party):
    case = run_until(new_case(branch), 17, users, party, branch)
    sec = users["branch_secretary"]
    with pytest.raises(DomainError) as e:
        services.development_extend_probation(actor=sec, case=case, months=13, decided_on=date(2025, 6, 5), reason="x")
    assert e.value.field == "months"
    case = services.development_extend_probation(
        actor=sec, case=case, months=6, decided_on=date(2025, 6, 5), reason="需要继续考察"
    )
    assert case.probation_ends_on == date(2025, 12, 1)
    with pytest.raises(DomainError) as e:
        services.development_extend_probation(actor=sec, case=case, months=1, decided_on=date(2025, 6, 5), reason="x")
    assert "一次" in e.value.message


def test_close_case_and_scope(users, branch, other_branch):
    case = new_case(branch)
    with pytest.raises(DomainError):
        services.development_case_close(actor=users["branch_secretary"], case=case, reason="")
    case = services.development_case_close(actor=users["branch_secretary"], case=case, reason="本人撤回申请")
    assert case.stage == Stage.CLOSED
    with pytest.raises(DomainError):
        services.development_case_close(actor=users["branch_secretary"], case=case, reason="again")
    outside = new_case(other_branch)
    with pytest.raises(NotFound):
        services.development_record_step(
            actor=users["branch_secretary"], case=outside, step=2, done_on=date(2023, 1, 20)
        )


def test_due_lists(users, branch, party):
    activist = run_until(new_case(branch), 6, users, party, branch)  # last review 2023-09-01, activist 2023-03-01
    probationer = run_until(new_case(branch), 17, users, party, branch)  # probation ended 2025-06-01
    sec = users["branch_secretary"]
    assert activist in selectors.reviews_due(user=sec)
    assert activist in selectors.candidates_ready(user=sec)
    assert probationer in selectors.probations_ending(user=sec)
    assert activist not in selectors.reviews_due(user=sec, today=date(2023, 10, 1))
    assert activist not in selectors.candidates_ready(user=sec, today=date(2024, 1, 1))
    assert DevelopmentCase.objects.filter(pk=activist.pk).exists()


@pytest.mark.parametrize(("field", "value"), [("category", "bogus"), ("education", "phd?"), ("ethnicity", "火星族")])
def test_case_create_refuses_unknown_choices(branch, field, value):
    with pytest.raises(DomainError) as e:
        new_case(branch, **{field: value})
    assert e.value.field == field
