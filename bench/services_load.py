"""The data of bench/services_api.py: a staffed city made with the test factories, then up to a
million applications bulk-inserted with set-based SQL (PostgreSQL only).

`setup` (ORM, factories): the city of services/tests/factories.py, eight more departments each
with an item accepted at the hall (一窗受理) and approvers, window clerks and approvers to
spread the history over, the benchmark applicant, one enterprise per writing client thread
holding a 营业执照 (so the write item's only material is 免提交), the write item, and API tokens.

`bulk` inserts, in one INSERT … SELECT per table: ~n/10 applicants; n applications over three
years, the newest 4 % within the last 30 days — most of those still open (预审, 受理, 审查,
决定, 补正), the older ones nearly all 办结 (1 in 10 不予许可), with some 不予受理, 撤回 and
abandoned drafts; each non-draft with its ProcessInstance, its finished tasks (the history)
and, when open, its open task — candidate department the hall for 预审/受理, the item's
department for 审查/决定, the applicant for 补正; one open task in five is claimed. Materials,
events, audit records, licences and messages of the bulk rows are left out: neither list
reads them. The benchmark applicant gets 20 of the applications.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from services_load_sql import APPLICATIONS, INSTANCES, ROWS, TASKS, USERS, profiles_sql

EXTRA_DEPARTMENTS = (
    "市卫生健康委员会",
    "市人力资源和社会保障局",
    "市住房和城乡建设局",
    "市民政局",
    "市公安局",
    "市交通运输局",
    "市教育局",
    "市自然资源和规划局",
)
RECENT_SHARE = 25  # one application in 25 (4 %) is from the last 30 days
FOOD_SHARE = (2, 5)  # two in five applications are for the market's 食品经营许可
BENCH_APPLICATIONS = 20
CLERKS, APPROVERS = 5, 3  # at the hall; per department (the benchmark officials included)


@dataclass
class Setup:
    city: object
    clerk: object  # the hall's window clerk whose 待预审/待受理 inbox is read
    approver: object  # the market's approver whose 审查中 inbox is read
    applicant: object  # the citizen whose 我的办件 is read
    items: list  # bulk items: (item, version, department); the first is 食品经营许可
    write_item: object  # only material: 营业执照, 免提交 through the applicant's licence
    writers: list  # enterprises holding a 营业执照, one per writing thread
    clerks: list
    approvers: dict  # department id → approvers
    tokens: dict = field(default_factory=dict)  # user id → Bearer secret


def setup(writers: int) -> Setup:
    from django.db import transaction

    from yiwang.core.accounts.services.tokens import api_token_create
    from yiwang.core.tests import factories
    from yiwang.services.tests import factories as services

    with transaction.atomic():
        city = services.create_service_city()
        hall = city.hall
        items = [services.food_item(city, base_code="33010000000001")]
        approvers = {city.market.pk: [city.market_approver]}
        for number, name in enumerate(EXTRA_DEPARTMENTS, start=2):
            department = services.department_with_uscc(name, city.city)
            item = services.create_item(
                department=department,
                name=f"{name.removeprefix('市')}许可事项",
                base_code=f"330100000000{number:02d}",
                subjects=("citizen", "enterprise"),
                acceptance_department=hall,
                materials=[{"code": "application_form", "name": "申请书", "required": True, "is_key": True}],
            )
            items.append(item)
            approvers[department.pk] = []
        departments = {city.market.pk: city.market} | {i.department_id: i.department for i in items[1:]}
        for department_id, department in departments.items():
            while len(approvers[department_id]) < APPROVERS:
                approvers[department_id].append(
                    factories.create_official(department=department, role="approver", display_name="审查员")
                )
        clerks = [city.clerk] + [
            factories.create_official(department=hall, role="window_clerk", display_name=f"窗口{n}")
            for n in range(1, CLERKS)
        ]
        write_item = services.food_item(
            city,
            name="食品经营许可（压测）",
            base_code="33010000000099",
            materials=[services.STANDARD_MATERIALS[1]],  # 营业执照 only
        )
        writer_users = []
        for number in range(writers):
            enterprise = factories.create_enterprise(name=f"压测餐饮{number}有限公司")
            services.issue_business_license(city, enterprise)
            writer_users.append(enterprise)
        found = Setup(
            city=city,
            clerk=city.clerk,
            approver=city.market_approver,
            applicant=factories.create_citizen(display_name="张明远"),
            items=[(i, i.published_version, i.department) for i in items],
            write_item=write_item,
            writers=writer_users,
            clerks=clerks,
            approvers=approvers,
        )
        for user in (found.clerk, found.approver, found.applicant, *writer_users):
            found.tokens[user.pk] = api_token_create(actor=user, name="压测", days=30)[1]
    return found


def _max_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cursor.fetchone()[0]


BULK_TABLES = ("workflow_processinstance", "services_application", "workflow_task")


def _drop_indexes(cursor, tables) -> list[str]:
    """Drop the indexes of `tables` that back no constraint; their definitions, to rebuild."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND i.indexname NOT IN (SELECT conname FROM pg_constraint)",
        [list(tables)],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def bulk(found: Setup, n: int) -> dict:
    """n applications and everything they stand on; returns counts and seconds per step."""
    from django.db import connection, transaction

    from yiwang.core import personal_data
    from yiwang.services.models import NumberCounter
    from yiwang.workflow.models import ProcessDefinitionVersion

    steps: dict[str, float] = {}
    started = time.monotonic()
    definition = ProcessDefinitionVersion.objects.get(code="services.commitment", is_current=True)
    users_n = max(100, n // 10)
    recent = max(1, n // RECENT_SHARE)
    hall, window = found.city.hall, found.city.window
    clerks = [c.pk for c in found.clerks]
    params = {
        "n": n,
        "users": users_n,
        "recent": recent,
        "definition": definition.pk,
        "hall": hall.pk,
        "window": window.pk,
        "bench_applicant": found.applicant.pk,
        "bench_every": max(1, n // BENCH_APPLICATIONS),
        "item_ids": [i.pk for i, _, _ in found.items],
        "version_ids": [v.pk for _, v, _ in found.items],
        "department_ids": [d.pk for _, _, d in found.items],
        "clerks": clerks,
        "sensitive": personal_data.encrypt('{"contact_phone": "13800138000"}'),
    }
    with connection.cursor() as cursor:
        params |= {
            "user_base": _max_id(cursor, "accounts_user"),
            "app_base": _max_id(cursor, "services_application"),
            "instance_base": _max_id(cursor, "workflow_processinstance"),
        }
        # Approvers by item: (item position) → array, flattened with a fixed width.
        width = APPROVERS
        params["approvers"] = [a.pk for _, _, d in found.items for a in found.approvers[d.pk][:width]]
        params["width"] = width

        def step(name, sql):
            began = time.monotonic()
            with transaction.atomic():
                cursor.execute(sql, params)
            steps[name] = time.monotonic() - began

        step("rows", ROWS.replace("{profiles}", profiles_sql()))
        # The usual bulk load: the big tables' secondary indexes built once afterwards instead of
        # row by row, and the (consistent by construction) foreign keys not checked per row.
        began = time.monotonic()
        cursor.execute("SET session_replication_role = replica")
        dropped = _drop_indexes(cursor, BULK_TABLES)
        steps["indexes dropped"] = time.monotonic() - began
        step("users", USERS)
        step("instances", INSTANCES)
        step("applications", APPLICATIONS)
        step("tasks", TASKS)
        began = time.monotonic()
        for definition in dropped:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
        steps["indexes rebuilt"] = time.monotonic() - began
        began = time.monotonic()
        for table in ("accounts_user", "services_application", "workflow_processinstance", "workflow_task"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        cursor.execute("SELECT COUNT(*) FROM workflow_task WHERE id > 0")
        tasks = cursor.fetchone()[0]
        cursor.execute("SELECT status, COUNT(*) FROM bench_rows GROUP BY status ORDER BY 2 DESC")
        statuses = dict(cursor.fetchall())
        cursor.execute("SELECT COUNT(*) FROM bench_rows WHERE open_state <> ''")
        open_tasks = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_rows")
    # New submissions take their 办件编号 after the bulk rows' sequence numbers.
    from django.utils import timezone

    counter, _ = NumberCounter.objects.get_or_create(kind="application", year=timezone.localdate().year)
    NumberCounter.objects.filter(pk=counter.pk).update(last=max(counter.last, n + params["app_base"]) + 1)
    steps["sequences and counts"] = time.monotonic() - began
    began = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["VACUUM ANALYZE"] = time.monotonic() - began
    return {
        "applications": n,
        "applicants": users_n,
        "tasks": tasks,
        "open_tasks": open_tasks,
        "statuses": statuses,
        "steps": steps,
        "seconds": time.monotonic() - started,
    }
