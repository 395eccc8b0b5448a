"""The set-based SQL of bench/services_load.py: what each bulk row is (profiles by age and
g % 20 or g % 100) and one INSERT … SELECT per table, parameters named as `bulk` passes them."""

from __future__ import annotations

# Profiles: (status, outcome, open task state or "", finished task states and their actions).
INTAKE = ("pre_review", "pass_pre_review")
ACCEPT = ("acceptance", "accept")
REVIEW = ("review", "review_done")
PROFILES = {
    "pre_review": ("submitted", "", "pre_review", ()),
    "acceptance": ("submitted", "", "acceptance", (INTAKE,)),
    "review": ("accepted", "", "review", (INTAKE, ACCEPT)),
    "decision": ("accepted", "", "decision", (INTAKE, ACCEPT, REVIEW)),
    "supplement": ("supplement", "", "supplement", (("pre_review", "ask_supplement"),)),
    "draft": ("draft", "", "", ()),
    "not_accepted": ("not_accepted", "", "", (("pre_review", "not_accept"),)),
    "withdrawn": ("withdrawn", "", "", (("pre_review", "withdraw"),)),
    "approved": ("completed", "approved", "", (INTAKE, ACCEPT, REVIEW, ("decision", "approve"))),
    "rejected": ("completed", "rejected", "", (INTAKE, ACCEPT, REVIEW, ("decision", "reject"))),
}
# The last 30 days, by g % 20: 80 % still open.
RECENT = ["pre_review"] * 2 + ["acceptance"] * 2 + ["review"] * 4 + ["decision"] * 2 + [
    "supplement", "draft", "not_accepted", "withdrawn"] + ["approved"] * 5 + ["rejected"]  # fmt: skip
# Older, by g % 100.
OLDER = ["not_accepted", "withdrawn", "draft"] + ["rejected"] * 9 + ["approved"] * 88


def profiles_sql() -> str:
    """VALUES (kind, r, status, outcome, open_state, done_states[], done_actions[])."""
    rows = []
    for kind, profiles in (("recent", RECENT), ("older", OLDER)):
        for r, name in enumerate(profiles):
            status, outcome, open_state, done = PROFILES[name]
            states = "ARRAY[" + ",".join(f"'{s}'" for s, _ in done) + "]::text[]"
            actions = "ARRAY[" + ",".join(f"'{a}'" for _, a in done) + "]::text[]"
            rows.append(f"('{kind}', {r}, '{status}', '{outcome}', '{open_state}', {states}, {actions})")
    return "VALUES " + ",\n".join(rows)


# g: 1..n; newer rows have larger g. `kind`/`r` pick the profile; ids are offsets from the
# tables' current maxima, so the application and its instance can name each other.
ROWS = """
CREATE UNLOGGED TABLE bench_rows AS
WITH numbered AS (
    SELECT g, g > %(n)s - %(recent)s AS is_recent FROM generate_series(1, %(n)s) AS g
), shaped AS (
    SELECT g, is_recent,
        CASE WHEN is_recent THEN 'recent' ELSE 'older' END AS kind,
        CASE WHEN is_recent THEN g %% 20 ELSE g %% 100 END AS r,
        CASE WHEN is_recent
            THEN now() - interval '1 second' * (2592000.0 * (%(n)s - g) / %(recent)s)
            ELSE now() - interval '30 days'
                - interval '1 second' * (94608000.0 * (%(n)s - %(recent)s - g) / GREATEST(%(n)s - %(recent)s, 1))
        END AS created_at,
        CASE WHEN g %% 5 < 2 THEN 1 ELSE 2 + (g / 5) %% (cardinality(%(item_ids)s::bigint[]) - 1) END AS item_pos
    FROM numbered
), profiles(kind, r, status, outcome, open_state, done_states, done_actions) AS ({profiles})
SELECT s.g, s.created_at, p.status, p.outcome, p.open_state, p.done_states, p.done_actions, s.item_pos,
    %(app_base)s + s.g AS app_id,
    CASE WHEN p.status = 'draft' THEN NULL ELSE %(instance_base)s + s.g END AS instance_id,
    CASE WHEN s.g %% %(bench_every)s = 0 THEN %(bench_applicant)s
        ELSE %(user_base)s + 1 + (s.g::bigint * 7919) %% %(users)s END AS applicant_id,
    (%(item_ids)s::bigint[])[s.item_pos] AS item_id,
    (%(version_ids)s::bigint[])[s.item_pos] AS version_id,
    (%(department_ids)s::bigint[])[s.item_pos] AS department_id
FROM shaped s JOIN profiles p ON p.kind = s.kind AND p.r = s.r
"""

USERS = """
INSERT INTO accounts_user (id, password, username, kind, display_name, id_number_encrypted,
    id_number_index, phone_encrypted, phone_index, email, uscc, legal_representative, uscc_flagged,
    is_active, date_joined, failed_logins, lock_count, version)
SELECT %(user_base)s + u, '!', 'bench_applicant_' || u,
    CASE WHEN u %% 5 = 0 THEN 'enterprise' ELSE 'citizen' END,
    CASE WHEN u %% 5 = 0 THEN '示范' || u || '商贸有限公司'
        ELSE (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + u %% 10]
            || (ARRAY['伟','芳','娜','敏','静','强','磊','军','洋','勇'])[1 + (u / 10) %% 10]
            || (ARRAY['华','明','红','平','刚','丽','斌','霞','鹏','燕'])[1 + (u / 100) %% 10] END,
    '', '', '', '', '', NULL, '', '', true, now() - interval '4 years', 0, 0, 1
FROM generate_series(1, %(users)s) AS u
"""

INSTANCES = """
INSERT INTO workflow_processinstance (id, definition_id, definition_code, subject_type, subject_id,
    department_id, initiator_id, status, outcome, started_at, ended_at, params, join_arrivals, version,
    clock_status, clock_started_at, due_at, warn_at, working_days_used)
SELECT instance_id, %(definition)s, 'services.commitment', 'services.application', app_id::text,
    department_id, applicant_id,
    CASE status WHEN 'completed' THEN 'completed' WHEN 'not_accepted' THEN 'completed'
        WHEN 'withdrawn' THEN 'withdrawn' WHEN 'supplement' THEN 'suspended' ELSE 'running' END,
    CASE status WHEN 'completed' THEN outcome WHEN 'not_accepted' THEN 'not_accepted'
        WHEN 'withdrawn' THEN 'withdrawn' ELSE '' END,
    created_at + interval '10 minutes',
    CASE WHEN status IN ('completed', 'not_accepted', 'withdrawn') THEN created_at + interval '8 days' END,
    jsonb_build_object('applicant', applicant_id, 'time_limit', '10 working_days',
        'acceptance_department', %(hall)s),
    '{}'::jsonb, 1 + cardinality(done_states) * 2,
    CASE WHEN status IN ('accepted', 'completed') THEN 'normal' ELSE '' END,
    CASE WHEN status IN ('accepted', 'completed') THEN created_at + interval '1 day' END,
    CASE WHEN status IN ('accepted', 'completed') THEN created_at + interval '15 days' END,
    CASE WHEN status IN ('accepted', 'completed') THEN created_at + interval '13 days' END,
    CASE WHEN status = 'completed' THEN 3 + g %% 8 END
FROM bench_rows WHERE instance_id IS NOT NULL
"""

APPLICATIONS = """
INSERT INTO services_application (id, number, item_id, item_version_id, department_id, applicant_id,
    submitted_by_id, channel, window_id, status, outcome, form_data, form_sensitive_encrypted,
    instance_id, client_token, created_at, updated_at, submitted_at, accepted_at, decided_at, due_at,
    promised_working_days, working_days_used, deficiency_note, not_accepted_reason, decision_opinion,
    decision_reason, decision_basis, delivery_method, delivery_address, delivered_at, delivery_note,
    withdrawn_reason, version)
SELECT app_id,
    CASE WHEN status = 'draft' THEN NULL ELSE to_char(created_at, 'YYYY') || lpad(g::text, 8, '0') END,
    item_id, version_id, department_id, applicant_id, applicant_id,
    CASE WHEN g %% 10 = 3 THEN 'window' ELSE 'online' END,
    CASE WHEN g %% 10 = 3 THEN %(window)s END,
    status, outcome,
    '{"contact_name": "王五", "address": "示范市人民路1号", "business_scope": "热食类食品制售"}'::jsonb,
    %(sensitive)s, instance_id, '', created_at, created_at + interval '8 days',
    CASE WHEN status <> 'draft' THEN created_at + interval '10 minutes' END,
    CASE WHEN status IN ('accepted', 'completed') THEN created_at + interval '1 day' END,
    CASE WHEN status = 'completed' THEN created_at + interval '8 days' END,
    CASE WHEN status IN ('accepted', 'completed') THEN created_at + interval '15 days' END,
    CASE WHEN status <> 'draft' THEN 10 END,
    CASE WHEN status = 'completed' THEN 3 + g %% 8 END,
    '', CASE WHEN status = 'not_accepted' THEN '材料不符合法定形式' ELSE '' END,
    CASE WHEN status = 'completed' THEN '经审查，符合条件' ELSE '' END,
    CASE WHEN outcome = 'rejected' THEN '经营场所不符合要求' ELSE '' END, '',
    CASE g %% 10 WHEN 0 THEN 'mail' WHEN 1 THEN 'window' ELSE 'electronic' END, '',
    CASE WHEN status = 'completed' AND (g %% 10 > 1 OR created_at < now() - interval '30 days')
        THEN created_at + interval '9 days' END,
    '', CASE WHEN status = 'withdrawn' THEN '申请人主动撤回' ELSE '' END,
    2 + cardinality(done_states)
FROM bench_rows
"""

# Finished tasks (one per entry of done_states), then the open task of an open application.
TASKS = """
INSERT INTO workflow_task (instance_id, state, branch, status, candidate_roles, role_keys, named,
    created_at, claimed_at, completed_at, action, opinion, version, assignee_id,
    candidate_department_id, completed_by_id, clock_status, due_at, warn_at, working_days_used)
SELECT r.instance_id, d.state, '', 'done',
    CASE WHEN d.state IN ('pre_review', 'acceptance') THEN '["window_clerk"]' ELSE '["approver"]' END::jsonb,
    CASE WHEN d.state IN ('pre_review', 'acceptance') THEN ',window_clerk,' ELSE ',approver,' END,
    false, r.created_at + d.position * interval '1 day', r.created_at + d.position * interval '1 day',
    r.created_at + d.position * interval '1 day' + interval '2 hours', d.action,
    CASE WHEN d.action IN ('review_done', 'approve', 'reject') THEN '同意' ELSE '' END, 3, w.official,
    CASE WHEN d.state IN ('pre_review', 'acceptance') THEN %(hall)s ELSE r.department_id END, w.official,
    'normal', r.created_at + d.position * interval '1 day' + interval '1 day',
    r.created_at + d.position * interval '1 day' + interval '20 hours', 0.1
FROM bench_rows r
CROSS JOIN LATERAL unnest(r.done_states, r.done_actions) WITH ORDINALITY AS d(state, action, position)
CROSS JOIN LATERAL (SELECT CASE WHEN d.state IN ('pre_review', 'acceptance')
    THEN (%(clerks)s::bigint[])[1 + r.g %% cardinality(%(clerks)s::bigint[])]
    ELSE (%(approvers)s::bigint[])[(r.item_pos - 1) * %(width)s + 1 + r.g %% %(width)s] END AS official) w
UNION ALL
SELECT r.instance_id, r.open_state, '',
    CASE WHEN r.open_state <> 'supplement' AND r.g %% 5 = 0 THEN 'claimed' ELSE 'open' END,
    CASE r.open_state WHEN 'supplement' THEN '[]' WHEN 'pre_review' THEN '["window_clerk"]'
        WHEN 'acceptance' THEN '["window_clerk"]' ELSE '["approver"]' END::jsonb,
    CASE r.open_state WHEN 'supplement' THEN '' WHEN 'pre_review' THEN ',window_clerk,'
        WHEN 'acceptance' THEN ',window_clerk,' ELSE ',approver,' END,
    r.open_state = 'supplement', r.created_at + interval '1 hour',
    CASE WHEN r.open_state <> 'supplement' AND r.g %% 5 = 0 THEN r.created_at + interval '2 hours' END,
    NULL, '', '', CASE WHEN r.open_state <> 'supplement' AND r.g %% 5 = 0 THEN 2 ELSE 1 END,
    CASE WHEN r.open_state = 'supplement' THEN r.applicant_id
        WHEN r.g %% 5 <> 0 THEN NULL
        WHEN r.open_state IN ('pre_review', 'acceptance')
            THEN (%(clerks)s::bigint[])[1 + (r.g / 5) %% cardinality(%(clerks)s::bigint[])]
        ELSE (%(approvers)s::bigint[])[(r.item_pos - 1) * %(width)s + 1 + (r.g / 5) %% %(width)s] END,
    CASE r.open_state WHEN 'supplement' THEN NULL WHEN 'pre_review' THEN %(hall)s
        WHEN 'acceptance' THEN %(hall)s ELSE r.department_id END,
    NULL,
    CASE WHEN r.open_state = 'supplement' THEN 'none'
        WHEN r.created_at + interval '5 days' < now() THEN 'overdue' ELSE 'normal' END,
    CASE WHEN r.open_state <> 'supplement' THEN r.created_at + interval '5 days' END,
    CASE WHEN r.open_state <> 'supplement' THEN r.created_at + interval '4 days' END,
    NULL
FROM bench_rows r WHERE r.open_state <> ''
"""
