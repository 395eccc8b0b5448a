"""决定文书 as PDF: 准予决定书, 不予许可决定书, 不予受理通知书.

The PDF shows the signed content (`DecisionDocument.content`) as the text people read, then
the signature block: algorithm, key id, the SM3 fingerprint of the department's public key and
the base64 signature, with how to verify it. The signed JSON itself is embedded in the PDF as
`decision.json` (PDF 1.7 §7.11.4), so a printed-and-mailed file verifies offline: rebuild the
canonical bytes (licenses/signing.canonical) of that JSON and check the signature against the
key published at /api/v1/licenses/keys — what `results.decision_document_verify` does.
"""

from __future__ import annotations

import json

from yiwang.services.documents_pdf import Sheet

EMBEDDED_NAME = "decision.json"


def decision_pdf(
    *, content: dict, signature_b64: str, key_id: str, algorithm: str, fingerprint: str
) -> bytes:
    sheet = Sheet(
        title=content["title"],
        author=content["department"]["name"],
        subject=content["title"],
        keywords=content["number"],
    )
    sheet.text(content["number"], "subtitle", space=12)
    sheet.text(f"{content['applicant']['name']}：", space=2)
    sheet.text(content["decision"], "indent")
    if content.get("reasons"):
        sheet.text(f"理由：{content['reasons']}", "indent")
    if content.get("basis"):
        sheet.text(f"依据：{content['basis']}", "indent")
    if content.get("remedy"):
        sheet.text(content["remedy"], "indent")
    sheet.gap(6).facts(
        [
            ("办件编号", content["application"]),
            ("事项名称", content["item"]),
            ("申请人", content["applicant"]["name"]),
            (content["applicant"]["code_type"], content["applicant"]["code"]),
        ]
    )
    sheet.text(f"{content['department']['name']}\n{content['date_text']}", "right", space=14)
    sheet.text("电子签名", space=2)
    sheet.text(
        f"签名算法：{algorithm}　密钥标识：{key_id}\n公钥指纹（SM3）：{fingerprint}",
        "note",
        space=2,
    )
    sheet.mono(signature_b64)
    sheet.gap(6).text(
        "本文书由作出决定的机关以电子签名签发。签名覆盖本文书内容的规范化 JSON（已嵌入本 PDF 的附件 "
        f"{EMBEDDED_NAME}）；可用该机关在 /api/v1/licenses/keys 公布的公钥（按上述密钥标识与指纹）核验。",
        "note",
    )
    embedded = json.dumps(
        {"content": content, "signature": signature_b64, "key_id": key_id, "algorithm": algorithm},
        ensure_ascii=False,
        indent=2,
    ).encode("utf-8")
    return sheet.render(attachments={EMBEDDED_NAME: embedded})
