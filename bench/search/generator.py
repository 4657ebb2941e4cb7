"""A seeded generator of realistic contracts for the search benchmark.

About 70 % of documents are Chinese (with the odd English term), 30 % English;
each is 2–8 KB of UTF-8 assembled from clause sentences with filled-in slots,
with metadata, tags (Zipf-like popularity) and principals spread over a few
departments. The same seed always yields the same documents.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from indexer.search import IndexDocument

__all__ = ["generate", "RARE_ZH", "RARE_EN", "DEPARTMENTS"]

COMPANIES = [
    "华为技术有限公司",
    "深圳星辰科技有限公司",
    "北京物流有限公司",
    "上海浦东建设集团",
    "杭州云端网络科技",
    "广州白云医药股份",
    "成都天府软件园",
    "南京金陵化工",
    "武汉光谷电子",
    "西安秦川机械",
    "Acme Corporation",
    "Globex Inc.",
    "Initech LLC",
    "Umbrella Holdings",
    "Stark Industries",
]
PRODUCTS = [
    "服务器设备",
    "办公家具",
    "医疗器械",
    "软件授权",
    "物流服务",
    "建筑材料",
    "化工原料",
    "电子元器件",
    "咨询服务",
    "广告投放",
]
TYPES = [
    "采购合同",
    "销售合同",
    "服务合同",
    "保密协议",
    "租赁合同",
    "劳动合同",
    "技术开发合同",
    "许可协议",
    "借款合同",
    "建设工程合同",
]
STATUSES = ["draft", "review", "active", "expired", "terminated"]
DEPARTMENTS = ["法务部", "采购部", "销售部", "人事部", "信息部", "财务部"]
TAGS = [f"标签{i:02d}" for i in range(40)] + [
    "NDA",
    "框架协议",
    "关联交易",
    "重大合同",
    "年度",
    "续签",
    "海外",
    "政府采购",
    "IT",
    "外包",
    "租赁",
    "知识产权",
    "保密",
    "物流",
    "工程",
    "质保",
    "分期付款",
    "预付款",
    "违约金",
    "仲裁",
]
#: Terms planted in about 0.5 % of documents (the "rare term" queries).
RARE_ZH = ["钛合金紧固件", "量子加密模块", "深海钻探平台", "稀土永磁材料", "碳纤维叶片"]
RARE_EN = ["tungsten", "hovercraft", "saffron", "zeppelin", "obsidian"]

ZH_CLAUSES = [
    "甲方同意向乙方采购{product}，合同总金额为人民币{amount}元（含税）。",
    "乙方应于{date}前将{product}交付至甲方指定地点，并承担运输途中的一切风险。",
    "甲方应在收到乙方开具的增值税专用发票后三十日内支付货款。",
    "任何一方违反本合同约定的，应当承担违约责任，并赔偿守约方因此遭受的全部损失。",
    "逾期付款的，每逾期一日，甲方应按未付金额的万分之五向乙方支付违约金。",
    "双方对在履行本合同过程中知悉的对方商业秘密负有保密义务，保密期限为合同终止后{years}年。",
    "因不可抗力致使本合同不能履行的，遭受不可抗力的一方应及时通知对方，并在十五日内提供证明。",
    "本合同履行过程中发生争议的，双方应友好协商解决；协商不成的，提交{city}仲裁委员会仲裁。",
    "本合同一式两份，甲乙双方各执一份，具有同等法律效力。",
    "本合同自双方签字盖章之日起生效，有效期至{date}止。",
    "乙方保证所提供的{product}符合国家标准及行业标准，质量保证期为{years}年。",
    "甲方有权对乙方的履约情况进行监督检查，乙方应予以配合。",
    "未经对方书面同意，任何一方不得将本合同项下的权利义务转让给第三方。",
    "本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等效力。",
    "乙方应按照甲方要求提供售后服务，服务响应时间不超过{hours}小时。",
    "合同价款包括设备费、运输费、安装调试费及培训费等全部费用。",
    "甲方应为乙方提供必要的工作条件和技术资料，并对资料的真实性负责。",
    "如乙方未能按期交货，每延迟一日应向甲方支付合同总额千分之一的违约金。",
    "双方确认本合同项下的知识产权归{owner}所有。",
    "乙方应遵守甲方的安全生产管理制度，因乙方原因造成的安全事故由乙方负责。",
    "本合同的订立、效力、解释、履行及争议解决均适用中华人民共和国法律。",
    "付款方式：合同签订后支付百分之三十预付款，验收合格后支付百分之六十，余款作为质保金。",
    "租赁期限自{date}起计算，租金按季度支付，每季度租金为人民币{amount}元。",
    "劳动者应遵守用人单位依法制定的规章制度，用人单位应按时足额支付劳动报酬。",
    "Licensee 应对 Software 保密，不得进行反向工程。",
]
EN_CLAUSES = [
    "The Supplier shall deliver the {product_en} to the Customer no later than {date}.",
    "The Customer shall pay the invoiced amount of USD {amount} within thirty (30) days.",
    "Each party shall keep the Confidential Information of the other party strictly confidential.",
    "Neither party shall be liable for any failure to perform caused by force majeure.",
    "This Agreement shall be governed by the laws of the State of New York.",
    "Any dispute arising out of this Agreement shall be finally settled by arbitration.",
    "The Supplier shall indemnify and hold harmless the Customer against all claims.",
    "Indemnification obligations survive the termination of this Agreement for {years} years.",
    "Payment terms: invoices are payable net thirty days from the invoice date.",
    "This Agreement may be terminated by either party upon ninety days written notice.",
    "The warranty period is {years} years from the date of acceptance.",
    "All intellectual property rights in the deliverables vest in {owner}.",
    "Notices shall be sent by e-mail and registered mail to the addresses set out above.",
    "The parties agree that time is of the essence for the performance of this Agreement.",
    "Licensee shall not reverse engineer, decompile or disassemble the Software.",
]
PRODUCTS_EN = ["servers", "office furniture", "medical devices", "software licences", "logistics services"]
CITIES = ["北京", "上海", "深圳", "广州", "杭州"]


def _fill(rng: random.Random, template: str, owner: str) -> str:
    return template.format(
        product=rng.choice(PRODUCTS),
        product_en=rng.choice(PRODUCTS_EN),
        owner=owner,
        amount=f"{rng.randint(1, 9999) * 100:,}",
        years=rng.randint(1, 5),
        hours=rng.choice([2, 4, 24, 48]),
        city=rng.choice(CITIES),
        date=f"{rng.randint(2020, 2028)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
    )


def _text(rng: random.Random, chinese: bool, title: str, owner: str) -> tuple[str, tuple[int, ...]]:
    target = rng.randint(2000, 8000)
    clauses = ZH_CLAUSES if chinese else EN_CLAUSES
    parts = [title, "\n\n"]
    size = len(title.encode())
    pages = [0]
    chars = len(title) + 2
    n = 0
    while size < target:
        n += 1
        heading = f"第{n}条 " if chinese else f"{n}. "
        sentence = heading + _fill(rng, rng.choice(clauses), owner)
        if rng.random() < 0.005:
            sentence += rng.choice(RARE_ZH) if chinese else rng.choice(RARE_EN)
        if chinese and rng.random() < 0.03:
            sentence += " The parties agree to indemnification. "
        parts.append(sentence + "\n")
        size += len(sentence.encode()) + 1
        chars += len(sentence) + 1
        if chars - pages[-1] > 1800:
            pages.append(chars)
    return "".join(parts), tuple(pages)


def _tags(rng: random.Random) -> tuple[str, ...]:
    weights = [1 / (i + 1) for i in range(len(TAGS))]
    return tuple(dict.fromkeys(rng.choices(TAGS, weights=weights, k=rng.randint(1, 4))))


def generate(count: int, seed: int = 20241123) -> Iterator[IndexDocument]:
    rng = random.Random(seed)
    start = datetime(2020, 1, 1)
    for i in range(1, count + 1):
        chinese = rng.random() < 0.7
        ctype = rng.choice(TYPES)
        party = rng.choice(COMPANIES)
        title = f"{party[:4]}{rng.choice(PRODUCTS)}{ctype}" if chinese else f"{party} Master Services Agreement"
        dept = rng.randrange(len(DEPARTMENTS))
        text, pages = _text(rng, chinese, title, party)
        signed = date(2018, 1, 1) + timedelta(days=rng.randint(0, 2900)) if rng.random() < 0.9 else None
        principals = [f"dept:{dept}", f"user:{rng.randint(1, 50)}"] + (["all"] if rng.random() < 0.3 else [])
        yield IndexDocument(
            id=i,
            title=title,
            text=text,
            page_offsets=pages,
            contract_number=f"HT-{i:06d}",
            contract_type=ctype,
            status=rng.choice(STATUSES),
            counterparties=(party,),
            tags=_tags(rng),
            department=DEPARTMENTS[dept],
            owner=f"user:{rng.randint(1, 50)}",
            amount=Decimal(rng.randint(1, 10**7)) / 100 if rng.random() < 0.85 else None,
            currency="CNY" if chinese else "USD",
            signed_date=signed,
            effective_date=signed,
            expiry_date=signed + timedelta(days=rng.choice([365, 730, 1095])) if signed else None,
            created=start + timedelta(minutes=i * 7),
            principals=tuple(principals),
        )
