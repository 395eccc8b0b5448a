"""`yiwang rotate-keys`: re-encrypt personal data under the newest key of YIWANG_DATA_KEYS.

Rotating a key (等保 2.0 密钥管理; 个人信息保护法 §51):
1. `yiwang rotate-keys --new-key` prints a fresh key; put it *first* in YIWANG_DATA_KEYS and
   keep the old keys after it, then restart the platform: new values use the new key, old
   ones still decrypt.
2. `yiwang rotate-keys` re-encrypts every stored value under the first key.
3. When it reports no value under an old key, remove that key from YIWANG_DATA_KEYS.

Encrypted fields are found generically: every concrete model field whose name ends with
`_encrypted` holds `personal_data.encrypt` output. Blind indexes (`*_index`) are keyed by
YIWANG_INDEX_KEY, not by the data keys, and are left alone. Rows are handled in batches,
one transaction per batch; each value is replaced only if it is still the ciphertext that was
read (compare-and-set), so a concurrent edit is never overwritten by a stale plaintext.
A value under a key that is no longer configured cannot be decrypted: it is reported and
left as it is, never lost. One audit record summarises the run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from yiwang.core import personal_data, request_context
from yiwang.core.audit import services as audit

SUFFIX = "_encrypted"


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields if f.name.endswith(SUFFIX)]
        if names:
            found.append((model, names))
    return found


def key_counts() -> Counter:
    """How many stored values each key id encrypts, over every encrypted field."""
    counts: Counter = Counter()
    for model, names in encrypted_fields():
        for values in model._default_manager.values_list(*names).iterator(chunk_size=2000):
            counts.update(personal_data.key_id_of(value) for value in values if value)
    return counts


@dataclass(frozen=True)
class Unreadable:
    model: str
    pk: object
    field: str
    key_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.model}#{self.pk}.{self.field}（密钥 {self.key_id}）：{self.reason}"


@dataclass
class Rotation:
    current_key: str
    before: Counter
    after: Counter = field(default_factory=Counter)
    rotated: int = 0
    changed_meanwhile: int = 0
    unreadable: list[Unreadable] = field(default_factory=list)


def _stale(names: list[str], current: str) -> models.Q:
    """Rows holding at least one value not under the current key."""
    condition = models.Q()
    for name in names:
        condition |= ~models.Q(**{name: ""}) & ~models.Q(**{f"{name}__startswith": f"{current}$"})
    return condition


def _rotate_batch(model, names, rows, current, report: Rotation, dry_run: bool) -> None:
    label = model._meta.label_lower
    for pk, *values in rows:
        old, new = {}, {}
        for name, value in zip(names, values, strict=True):
            if not value or personal_data.key_id_of(value) == current:
                continue
            try:
                plaintext = personal_data.decrypt(value)
            except (personal_data.DecryptionFailed, ValueError) as error:  # ValueError: bad base64
                report.unreadable.append(
                    Unreadable(label, pk, name, personal_data.key_id_of(value), str(error))
                )
                continue
            old[name], new[name] = value, personal_data.encrypt(plaintext)
        if not new:
            continue
        if dry_run or model._default_manager.filter(pk=pk, **old).update(**new) == 1:
            report.rotated += len(new)
        else:
            report.changed_meanwhile += 1


def rotate(*, batch_size: int = 500, dry_run: bool = False) -> Rotation:
    current = personal_data.keyring().current_id
    report = Rotation(current_key=current, before=key_counts())
    for model, names in encrypted_fields():
        manager = model._default_manager
        last_pk = None
        while True:
            with transaction.atomic():
                rows = manager.filter(_stale(names, current)).order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                rows = list(rows.values_list("pk", *names)[:batch_size])
                if not rows:
                    break
                _rotate_batch(model, names, rows, current, report, dry_run)
            last_pk = rows[-1][0]
    if dry_run:
        # What the counts would be: every readable value moves to the current key.
        report.after = Counter({current: report.before[current] + report.rotated})
        report.after.update(item.key_id for item in report.unreadable)
    else:
        report.after = key_counts()
        audit.record(
            actor=None,
            action="core.personal_data.keys_rotated",
            changes={
                "key": current,
                "before": dict(report.before),
                "after": dict(report.after),
                "rotated": report.rotated,
                "unreadable": len(report.unreadable),
            },
        )
    return report


def _counts(counter: Counter) -> str:
    return "，".join(f"{key} {count}" for key, count in sorted(counter.items()) if count) or "（无）"


class Command(BaseCommand):
    help = "用 YIWANG_DATA_KEYS 的第一个密钥重新加密所有个人信息字段。Re-encrypt personal data under the newest key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只统计，不写入 Count only, write nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="每个事务处理的行数 Rows per transaction."
        )
        parser.add_argument(
            "--new-key", action="store_true", help="生成一个新密钥并打印 Print a freshly generated key."
        )
        parser.add_argument("--key-id", default="", help="新密钥的标识（默认 k<日期>） Id of the new key.")

    def handle(self, *args, **options):
        if options["new_key"]:
            key_id = options["key_id"] or f"k{timezone.localdate():%Y%m%d}"
            if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,32}", key_id):
                raise CommandError("密钥标识只能由1–32位字母、数字、下划线、点或横线组成")
            self.stdout.write(personal_data.new_key_spec(key_id))
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 必须是正整数")
        token = request_context.set_current(request_context.RequestContext(channel="cli:rotate-keys"))
        try:
            report = rotate(batch_size=options["batch_size"], dry_run=options["dry_run"])
        finally:
            request_context.reset(token)
        verb = "将重新加密（试运行，未写入）" if options["dry_run"] else "已重新加密"
        self.stdout.write(f"当前密钥 current key: {report.current_key}")
        self.stdout.write(f"轮换前 before: {_counts(report.before)}")
        self.stdout.write(f"轮换后 after: {_counts(report.after)}")
        self.stdout.write(f"{verb} re-encrypted: {report.rotated}")
        if report.changed_meanwhile:
            self.stdout.write(
                f"期间被修改而跳过的行 rows changed meanwhile: {report.changed_meanwhile}（请再次运行）"
            )
        if report.unreadable:
            for line in report.unreadable:
                self.stderr.write(f"无法解密 unreadable: {line}")
            raise CommandError(
                f"{len(report.unreadable)} 个值无法用已配置的密钥解密，已原样保留；"
                "请把对应的旧密钥加回 YIWANG_DATA_KEYS 后再次运行，之后才能移除旧密钥"
            )
