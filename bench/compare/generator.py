"""Seeded pairs of contract versions for the compare benchmark.

The old version has numbered clauses, each a heading and a body paragraph of Chinese
sentences with the odd English term; the new version edits words in about one paragraph in
ten, moves a few clauses elsewhere, deletes one paragraph in fifty and inserts new ones, much
as a negotiated revision does. The same seed always yields the same texts.
"""

from __future__ import annotations

import random

__all__ = ["version_pair"]

_SENTENCES = [
    "甲方应于收到乙方开具的合法有效发票后{n}日内支付相应款项。",
    "乙方应按照本合同约定的时间、地点和方式交付{item}，并承担交付前的一切风险。",
    "双方对本合同内容及履行过程中知悉的对方商业秘密负有保密义务，保密期限为{n}年。",
    "任何一方违反本合同约定的，应向守约方支付合同总价{n}%的违约金。",
    "因不可抗力导致本合同不能履行的，受影响一方应在{n}日内书面通知对方。",
    "The Supplier shall deliver the {item} within {n} business days after the purchase order.",
    "本合同项下的{item}质量保证期为验收合格之日起{n}个月。",
    "争议应提交上海国际仲裁中心按照其届时有效的仲裁规则在{n}日内仲裁解决。",
]
_ITEMS = ["数控机床", "服务器设备", "办公家具", "医疗器械", "software licences", "电子元器件"]
_EDITS = [("日内", "个工作日内"), ("应", "须"), ("书面", "以书面形式"), ("shall", "must"), ("合同", "协议")]


def _paragraph(rng: random.Random) -> str:
    count = rng.randint(2, 4)
    return "".join(rng.choice(_SENTENCES).format(n=rng.randint(3, 90), item=rng.choice(_ITEMS)) for _ in range(count))


def _edited(paragraph: str, rng: random.Random) -> str:
    old, new = rng.choice(_EDITS)
    return paragraph.replace(old, new, 1) if old in paragraph else paragraph + "（已修订）"


def _revised(clauses: list[list[str]], rng: random.Random) -> list[list[str]]:
    revised = [list(clause) for clause in clauses]
    for clause in revised:
        if rng.random() < 0.1:
            clause[1] = _edited(clause[1], rng)
        if rng.random() < 0.02:
            clause.pop(1)
        if rng.random() < 0.02:
            clause.append(_paragraph(rng))
    for _ in range(max(1, len(revised) // 100)):
        moved = revised.pop(rng.randrange(len(revised)))
        revised.insert(rng.randrange(len(revised) + 1), moved)
    return revised


def version_pair(paragraphs: int, seed: int = 20261204) -> tuple[str, str]:
    """An old text of about ``paragraphs`` paragraphs and its revision."""
    rng = random.Random(seed + paragraphs)
    clauses = [[f"第{number}条 约定事项", _paragraph(rng)] for number in range(1, paragraphs // 2 + 1)]
    revised = _revised(clauses, rng)
    return "\n\n".join(p for clause in clauses for p in clause), "\n\n".join(p for clause in revised for p in clause)
