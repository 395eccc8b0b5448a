"""The shared fixture starts real instances of each application process."""

from yiwang.services.instance_params import process_params
from yiwang.services.models import Application, ApplicationStatus
from yiwang.services.numbers import next_number
from yiwang.services.tests.factories import food_item, immediate_item, joint_item
from yiwang.workflow.models_runtime import Task
from yiwang.workflow.services.start import instance_start


def _start(city, item, applicant):
    version = item.published_version
    application = Application.objects.create(
        number=next_number("application"),
        item=item,
        item_version=version,
        department=item.department,
        applicant=applicant,
        status=ApplicationStatus.SUBMITTED,
    )
    return instance_start(
        actor=applicant,
        definition_code=version.process_code,
        subject=application,
        department=item.department,
        params=process_params(applicant=applicant, version=version, item=item),
    )


def test_each_process_starts_at_the_halls_pre_review(service_city):
    city = service_city
    for item in (food_item(city), joint_item(city, name="并联"), immediate_item(city)):
        applicant = city.citizen if "citizen" in item.subject_keys else city.enterprise
        instance = _start(city, item, applicant)
        task = Task.objects.get(instance=instance)
        assert (task.state, task.candidate_department) == ("pre_review", city.hall)
        # 行政许可法 §42: the whole-process limit counts from 受理, not from submission.
        assert instance.due_at is None


def test_numbers_count_up_per_year(db):
    first, second = next_number("application", year=2026), next_number("application", year=2026)
    assert (first, second) == ("202600000001", "202600000002")
    assert next_number("application", year=2027) == "202700000001"
