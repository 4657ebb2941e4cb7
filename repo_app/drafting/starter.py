"""The starter library: common contract types as condensed templates, and the standard clauses
they include. Written for Pactum (structure inspired by the government model contracts 合同示范文本,
whose texts are not redistributed); the Word files are generated here when the library is loaded
(``pactum templates load-starter``, also run by ``pactum demo``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlalchemy import select

from ..auth.models import User
from ..core.extensions import db
from . import services
from .models import Template
from .schemas import definition

CLAUSES: list[tuple[str, str, str, str]] = [
    (
        "confidentiality",
        "保密 / Confidentiality",
        "双方对因签订和履行本合同而知悉的对方商业秘密及其他未公开信息负有保密义务，未经对方书面同意不得向第三方披露，"
        "法律法规另有规定或有权机关要求披露的除外。本条在合同终止后三年内继续有效。",
        "Each party shall keep confidential the other party's business secrets and other non-public information "
        "learned in connection with this agreement and shall not disclose them to any third party without prior "
        "written consent, except as required by law or a competent authority. This clause survives for three "
        "years after termination.",
    ),
    (
        "force_majeure",
        "不可抗力 / Force majeure",
        "因不可抗力不能履行合同的，根据不可抗力的影响，部分或者全部免除责任。受影响一方应及时通知对方，"
        "并在合理期限内提供证明。",
        "A party prevented from performing by force majeure is released from liability to the extent of its "
        "effect, provided it notifies the other party promptly and furnishes evidence within a reasonable time.",
    ),
    (
        "dispute_resolution",
        "争议解决 / Dispute resolution",
        "因本合同引起的或与本合同有关的争议，双方应友好协商解决；协商不成的，任何一方可向合同签订地有管辖权的人民法院提起诉讼。",
        "Disputes arising out of or in connection with this agreement shall first be settled by friendly "
        "negotiation; failing that, either party may bring the dispute before the competent court at the "
        "place where this agreement is signed.",
    ),
    (
        "notices",
        "通知 / Notices",
        "一方向另一方发出的通知应以书面形式送达本合同载明的地址，一方变更地址的，应在变更后五日内书面通知对方。",
        "Notices shall be given in writing to the addresses stated in this agreement; a party changing its "
        "address shall notify the other in writing within five days.",
    ),
    (
        "governing_law",
        "适用法律 / Governing law",
        "本合同的订立、效力、解释、履行及争议的解决，适用中华人民共和国法律。",
        "This agreement is governed by and construed in accordance with the laws of the People's Republic of China.",
    ),
]


@dataclass(frozen=True)
class Starter:
    key: str
    name: str
    contract_type: str
    language: str
    title: str
    variables: list[dict[str, Any]]
    articles: list[str]
    table: tuple[str, list[str], list[str]] | None = None  # variable, column names, header labels
    description: str = ""
    party_labels: tuple[str, str] = ("甲方", "乙方")
    extra: dict[str, Any] = field(default_factory=dict)


def _zh_parties(a: str, b: str, a_label: str = "甲方", b_label: str = "乙方") -> list[dict[str, Any]]:
    return [
        definition("party_a", "party", label=f"{a_label}（{a}）", maps_to=None, sample="北京示例科技有限公司"),
        definition(
            "party_b", "party", label=f"{b_label}（{b}）", maps_to="counterparty", sample="上海样本贸易有限公司"
        ),
    ]


def _common_zh(extra_before: list[str]) -> list[str]:
    return [
        *extra_before,
        '{{ clause("confidentiality") }}',
        '{{ clause("force_majeure") }}',
        '{{ clause("dispute_resolution") }}',
        "本合同一式两份，双方各执一份，自双方签字盖章之日起生效。",
    ]


_NUMBER = definition("contract_number", "text", label="合同编号", required=False, maps_to="contract_number")
_SIGNED = definition("signed_date", "date", label="签订日期", maps_to="signed_date", sample="2026-01-05")
_START = definition("start_date", "date", label="起始日期", maps_to="effective_date", sample="2026-02-01")
_END = definition("end_date", "date", label="终止日期", maps_to="expiry_date", sample="2027-01-31")


def _money(name: str, label: str, help_text: str = "") -> dict[str, Any]:
    return definition(name, "money", label=label, help=help_text, maps_to="amount", sample="100000")


def _yes(name: str, label: str) -> dict[str, Any]:
    return definition(name, "yesno", label=label, required=False)


def _select(name: str, label: str, options: list[str]) -> dict[str, Any]:
    return definition(name, "select", label=label, options=options)


def _text(name: str, label: str, sample: str, required: bool = True, help_text: str = "") -> dict[str, Any]:
    return definition(name, "text", label=label, sample=sample, required=required, help=help_text)


STARTERS: list[Starter] = [
    Starter(
        "purchase_zh",
        "采购合同（货物）",
        "purchase",
        "zh",
        "采购合同",
        [
            _NUMBER,
            *_zh_parties("买方", "卖方"),
            definition(
                "items",
                "table",
                label="货物清单",
                columns=["name", "spec", "qty", "price"],
                required=True,
                help="每行一种货物：名称|规格|数量|单价",
                sample="办公桌|1.4米|20|800",
            ),
            _money("total", "合同总价", "含税价"),
            _text("delivery_place", "交货地点", "甲方仓库"),
            definition("delivery_date", "date", label="交货日期", sample="2026-03-01"),
            _select("payment", "付款方式", ["验收合格后一次性付款", "预付30%，验收后付清余款"]),
            _yes("warranty", "约定质量保证期"),
            _SIGNED,
        ],
        [
            "第一条 标的：乙方按下表向甲方供应货物。",
            "第二条 合同总价为{{ total }}（大写：{{ total.upper }}），已含税费及运至交货地点的费用。",
            "第三条 交货：乙方应于{{ delivery_date }}前将货物交付至{{ delivery_place }}，运输风险由乙方承担。",
            "第四条 验收：甲方应在收货后七日内验收，对数量、规格、质量有异议的，应书面通知乙方。",
            "第五条 付款：{{ payment }}。",
            "{%p if warranty %}",
            "第六条 质量保证：乙方保证货物为全新合格产品，质量保证期为验收合格之日起十二个月。",
            "{%p endif %}",
            "违约责任：乙方逾期交货的，每日按合同总价的千分之一向甲方支付违约金。",
        ],
        table=("items", ["name", "spec", "qty", "price"], ["货物名称", "规格型号", "数量", "单价"]),
    ),
    Starter(
        "sales_zh",
        "销售合同",
        "sales",
        "zh",
        "销售合同",
        [
            _NUMBER,
            *_zh_parties("卖方", "买方"),
            _text("goods", "产品名称及规格", "工业传感器 X200，500台"),
            _money("total", "合同总价"),
            definition("delivery_date", "date", label="交货日期", sample="2026-03-01"),
            _select("transport", "运输方式", ["卖方送货", "买方自提", "委托物流"]),
            _SIGNED,
        ],
        [
            "第一条 产品：甲方向乙方出售{{ goods }}。",
            "第二条 价款：合同总价为{{ total }}（大写：{{ total.upper }}）。",
            "第三条 交付：甲方应于{{ delivery_date }}前交货，运输方式为{{ transport }}。",
            "第四条 所有权与风险：货物所有权及毁损灭失风险自交付时转移至乙方。",
            "第五条 付款：乙方应在收货验收合格后三十日内付清全部价款。",
            "第六条 违约责任：乙方逾期付款的，每日按未付金额的万分之五支付违约金。",
        ],
    ),
    Starter(
        "service_zh",
        "服务合同",
        "service",
        "zh",
        "服务合同",
        [
            _NUMBER,
            *_zh_parties("委托方", "服务方"),
            _text("scope", "服务内容", "办公楼保洁及绿化养护服务"),
            _money("fee", "服务费用"),
            _START,
            _END,
            _SIGNED,
        ],
        [
            "第一条 服务内容：乙方为甲方提供{{ scope }}。",
            "第二条 服务期限：自{{ start_date }}起至{{ end_date }}止。",
            "第三条 服务费用：服务费共计{{ fee }}（大写：{{ fee.upper }}），按季度平均支付。",
            "第四条 服务标准：乙方应按行业通行标准及甲方合理要求提供服务，甲方有权对服务质量进行检查。",
            "第五条 违约责任：乙方服务不符合约定的，应在接到通知后三日内整改；经两次整改仍不合格的，甲方有权解除合同。",
        ],
    ),
    Starter(
        "nda_zh",
        "保密协议",
        "nda",
        "zh",
        "保密协议",
        [
            *_zh_parties("披露方", "接收方"),
            _text("purpose", "合作目的", "洽谈项目合作"),
            _select("term", "保密期限", ["一年", "三年", "五年"]),
            _SIGNED,
        ],
        [
            "鉴于双方拟就{{ purpose }}进行沟通，甲方将向乙方披露其保密信息，双方达成如下协议：",
            "第一条 保密信息：指甲方以任何形式提供的技术、经营、财务等非公开信息。",
            "第二条 使用限制：乙方仅可为上述目的使用保密信息，不得复制、传播或用于其他目的。",
            "第三条 保密期限：本协议项下的保密义务期限为{{ term }}。",
            "第四条 返还：甲方要求时，乙方应返还或销毁全部保密信息及其副本。",
        ],
    ),
    Starter(
        "lease_zh",
        "房屋租赁合同",
        "lease",
        "zh",
        "房屋租赁合同",
        [
            _NUMBER,
            *_zh_parties("出租方", "承租方"),
            _text("premises", "房屋坐落", "北京市朝阳区示例路1号3层"),
            _text("area", "建筑面积（平方米）", "320"),
            _money("rent", "年租金"),
            definition("deposit", "money", label="押金", sample="20000"),
            _START,
            _END,
            _SIGNED,
        ],
        [
            "第一条 租赁房屋：甲方将坐落于{{ premises }}、建筑面积{{ area }}平方米的房屋出租给乙方使用。",
            "第二条 租赁期限：自{{ start_date }}起至{{ end_date }}止。",
            "第三条 租金：年租金为{{ rent }}（大写：{{ rent.upper }}），按季度预付。",
            "第四条 押金：乙方于签约时支付押金{{ deposit }}（大写：{{ deposit.upper }}），租期届满无违约的无息退还。",
            "第五条 维修：房屋及附属设施的自然损耗由甲方维修，因乙方使用不当造成的损坏由乙方负责。",
            "第六条 转租：未经甲方书面同意，乙方不得转租。",
        ],
    ),
    Starter(
        "employment_zh",
        "劳动合同",
        "employment",
        "zh",
        "劳动合同",
        [
            definition("party_a", "party", label="用人单位", sample="北京示例科技有限公司"),
            definition("party_b", "party", label="劳动者", maps_to="counterparty", sample="张三"),
            _text("position", "工作岗位", "软件工程师"),
            _text("workplace", "工作地点", "北京"),
            _money("salary", "月工资"),
            _select("probation", "试用期", ["无", "一个月", "三个月", "六个月"]),
            _START,
            _END,
            _SIGNED,
        ],
        [
            "第一条 合同期限：自{{ start_date }}起至{{ end_date }}止，试用期{{ probation }}。",
            "第二条 工作内容和地点：乙方担任{{ position }}岗位，工作地点为{{ workplace }}。",
            "第三条 劳动报酬：乙方月工资为{{ salary }}（大写：{{ salary.upper }}），甲方于每月十日前以货币形式支付。",
            "第四条 工作时间和休息休假：执行标准工时制度，乙方依法享有法定节假日及带薪年休假。",
            "第五条 社会保险：甲方依法为乙方缴纳社会保险费和住房公积金。",
            "第六条 合同的解除和终止：按照《中华人民共和国劳动合同法》的规定执行。",
        ],
        party_labels=("用人单位（甲方）", "劳动者（乙方）"),
    ),
    Starter(
        "tech_development_zh",
        "技术开发合同",
        "tech_development",
        "zh",
        "技术开发（委托）合同",
        [
            _NUMBER,
            *_zh_parties("委托方", "研究开发方"),
            _text("project", "项目名称", "智能仓储调度系统"),
            _text("deliverables", "交付成果", "源代码、技术文档及部署手册"),
            _money("fee", "研究开发经费和报酬"),
            definition("deadline", "date", label="完成期限", sample="2026-09-30"),
            _select("ip_owner", "成果归属", ["归甲方所有", "归乙方所有", "双方共有"]),
            _SIGNED,
        ],
        [
            "第一条 项目：甲方委托乙方研究开发{{ project }}。",
            "第二条 交付：乙方应于{{ deadline }}前向甲方交付{{ deliverables }}。",
            "第三条 经费：研究开发经费和报酬共计{{ fee }}（大写：{{ fee.upper }}），分三期支付。",
            "第四条 知识产权：本项目产生的技术成果及知识产权{{ ip_owner }}。",
            "第五条 验收：甲方应在收到成果后十五日内组织验收，并出具书面验收意见。",
        ],
    ),
    Starter(
        "loan_zh",
        "借款合同",
        "loan",
        "zh",
        "借款合同",
        [
            _NUMBER,
            definition("party_a", "party", label="出借人（甲方）", sample="北京示例科技有限公司"),
            definition(
                "party_b", "party", label="借款人（乙方）", maps_to="counterparty", sample="上海样本贸易有限公司"
            ),
            _money("principal", "借款金额"),
            _text("rate", "年利率（%）", "4.35"),
            _text("use", "借款用途", "补充流动资金"),
            _START,
            _END,
            _SIGNED,
        ],
        [
            "第一条 借款金额：甲方向乙方出借{{ principal }}（大写：{{ principal.upper }}）。",
            "第二条 借款用途：{{ use }}，乙方不得挪作他用。",
            "第三条 借款期限：自{{ start_date }}起至{{ end_date }}止。",
            "第四条 利息：年利率为{{ rate }}%，按季结息，到期还本。",
            "第五条 逾期还款：乙方逾期还款的，逾期部分按约定利率上浮百分之五十计收逾期利息。",
        ],
    ),
    Starter(
        "construction_zh",
        "建设工程施工合同",
        "construction",
        "zh",
        "建设工程施工合同（简本）",
        [
            _NUMBER,
            *_zh_parties("发包人", "承包人"),
            _text("project", "工程名称", "示例厂区二期仓库"),
            _text("site", "工程地点", "河北省廊坊市示例开发区"),
            _text("scope", "承包范围", "土建及水电安装工程"),
            _money("price", "签约合同价"),
            _START,
            _END,
            _yes("retention", "约定质量保证金"),
            _SIGNED,
        ],
        [
            "第一条 工程概况：工程名称{{ project }}，工程地点{{ site }}，承包范围为{{ scope }}。",
            "第二条 工期：计划开工日期{{ start_date }}，计划竣工日期{{ end_date }}。",
            "第三条 合同价款：签约合同价为{{ price }}（大写：{{ price.upper }}）。",
            "第四条 质量标准：工程质量应符合国家现行验收规范，达到合格标准。",
            "{%p if retention %}",
            "第五条 质量保证金：发包人按结算价款的百分之三预留质量保证金，缺陷责任期满后无息返还。",
            "{%p endif %}",
            "安全文明施工：承包人应遵守安全生产的法律法规，对施工现场安全负责。",
        ],
    ),
    Starter(
        "agency_zh",
        "委托代理合同",
        "agency",
        "zh",
        "委托代理合同",
        [
            *_zh_parties("委托人", "受托人"),
            _text("matters", "委托事项", "代为办理产品在华东地区的销售推广"),
            _select("authority", "代理权限", ["一般代理", "特别授权代理"]),
            _money("commission", "代理报酬"),
            _START,
            _END,
            _SIGNED,
        ],
        [
            "第一条 委托事项：甲方委托乙方{{ matters }}。",
            "第二条 代理权限：{{ authority }}；超越权限的行为，未经甲方追认的，由乙方自行承担责任。",
            "第三条 代理期限：自{{ start_date }}起至{{ end_date }}止。",
            "第四条 报酬：代理报酬为{{ commission }}（大写：{{ commission.upper }}）。",
            "第五条 报告义务：乙方应按月向甲方书面报告委托事务的办理情况。",
        ],
    ),
    Starter(
        "nda_en",
        "Mutual Non-Disclosure Agreement",
        "nda",
        "en",
        "MUTUAL NON-DISCLOSURE AGREEMENT",
        [
            definition("party_a", "party", label="Company", sample="Example Technology Co., Ltd."),
            definition("party_b", "party", label="Counterparty", maps_to="counterparty", sample="Sample Trading Ltd."),
            _text("purpose", "Purpose", "evaluating a possible business relationship"),
            _select("term", "Term", ["one year", "two years", "three years"]),
            definition("signed_date", "date", label="Date", maps_to="signed_date", sample="2026-01-05"),
        ],
        [
            "This agreement is made on {{ signed_date }} between the parties named below "
            "for the purpose of {{ purpose }}.",
            "1. Confidential Information means all non-public information disclosed by either party, in any form.",
            "2. The receiving party shall use Confidential Information only for the purpose and protect it with at "
            "least reasonable care.",
            "3. The obligations under this agreement last for {{ term }} from the date above.",
            '{{ clause("confidentiality") }}',
            '{{ clause("governing_law") }}',
            '{{ clause("dispute_resolution") }}',
        ],
        party_labels=("Party A", "Party B"),
    ),
    Starter(
        "service_en",
        "Service Agreement",
        "service",
        "en",
        "SERVICE AGREEMENT",
        [
            _NUMBER | {"label": "Agreement number"},
            definition("party_a", "party", label="Client", sample="Example Technology Co., Ltd."),
            definition(
                "party_b", "party", label="Service provider", maps_to="counterparty", sample="Sample Services Ltd."
            ),
            _text("scope", "Services", "IT support and maintenance of the client's office network"),
            definition("fee", "money", label="Fee", maps_to="amount", sample="USD 50000"),
            definition("start_date", "date", label="Start date", maps_to="effective_date", sample="2026-02-01"),
            definition("end_date", "date", label="End date", maps_to="expiry_date", sample="2027-01-31"),
            _yes("sla", "Include service levels"),
            definition("signed_date", "date", label="Date", maps_to="signed_date", sample="2026-01-05"),
        ],
        [
            "1. Services. The service provider shall provide {{ scope }}.",
            "2. Term. From {{ start_date }} to {{ end_date }}.",
            "3. Fees. The client shall pay {{ fee }} in total, invoiced quarterly and payable within 30 days.",
            "{%p if sla %}",
            "4. Service levels. Critical incidents are answered within 2 hours and resolved within 1 business day.",
            "{%p endif %}",
            '{{ clause("confidentiality") }}',
            '{{ clause("governing_law") }}',
            '{{ clause("dispute_resolution") }}',
        ],
        party_labels=("Client", "Service provider"),
    ),
]


def build_docx(starter: Starter) -> bytes:
    """The starter's Word file: title, parties, articles, an optional table, signatures."""
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(starter.title)
    run.bold = True
    run.font.size = Pt(16)
    english = starter.language == "en"
    names = {v["name"] for v in starter.variables}
    if "contract_number" in names:
        document.add_paragraph(("No.: " if english else "合同编号：") + "{{ contract_number }}")
    a_label, b_label = starter.party_labels
    for label, name in ((a_label, "party_a"), (b_label, "party_b")):
        document.add_paragraph(f"{label}{':' if english else '：'}{{{{ {name} }}}}")
        address = "Address: " if english else "地址："
        contact = "Contact: " if english else "联系方式："
        document.add_paragraph(f"{address}{{{{ {name}.address }}}}    {contact}{{{{ {name}.contact }}}}")
    for text in starter.articles[:1]:
        document.add_paragraph(text)
    if starter.table is not None:
        _add_table(document, starter.table)
    body = starter.articles[1:] if starter.language == "en" else _common_zh(starter.articles[1:])
    for text in body:
        document.add_paragraph(text)
    signature = "Signed by:" if english else "（以下无正文）"
    document.add_paragraph(signature)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = f"{a_label}{':' if english else '（盖章）：'}{{{{ party_a }}}}"
    table.cell(0, 1).text = f"{b_label}{':' if english else '（盖章）：'}{{{{ party_b }}}}"
    if "signed_date" in names:
        label = "Date: " if english else "签订日期："
        table.cell(1, 0).text = f"{label}{{{{ signed_date }}}}"
        table.cell(1, 1).text = f"{label}{{{{ signed_date }}}}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _add_table(document: Any, spec: tuple[str, list[str], list[str]]) -> None:
    variable, columns, headers = spec
    table = document.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    for index, header in enumerate(headers):
        table.cell(0, index).text = header
    table.cell(1, 0).text = f"{{%tr for row in {variable} %}}"
    for index, column in enumerate(columns):
        table.cell(2, index).text = f"{{{{ row.{column} }}}}"
    table.cell(3, 0).text = "{%tr endfor %}"


@dataclass
class LoadReport:
    clauses: int = 0
    created: int = 0
    skipped: int = 0


def load_starter(user: User) -> LoadReport:
    """Load the standard clauses and the starter templates, each published. Idempotent: a
    template whose starter key exists already is skipped, a clause with the same text is kept."""
    report = LoadReport()
    existing_clauses = services.latest_clauses()
    for key, title, text_zh, text_en in CLAUSES:
        if key not in existing_clauses:
            services.save_clause(user, key, title, text_zh, text_en)
            report.clauses += 1
    for starter in STARTERS:
        if db.session.scalar(select(Template.id).where(Template.starter_key == starter.key)) is not None:
            report.skipped += 1
            continue
        fields = services.TemplateFields(
            name=starter.name,
            contract_type=starter.contract_type,
            language=starter.language,
            description=starter.description or None,
        )
        template = services.create_template(
            user, fields, build_docx(starter), f"{starter.key}.docx", starter_key=starter.key
        )
        services.save_variables(user, template, starter.variables)
        services.publish(user, template)
        report.created += 1
    return report
