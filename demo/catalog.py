"""The twelve demo contracts, as data.

All companies, people, addresses and account numbers are fictitious. Dates are
relative to "today" (see :class:`Schedule`) so that the demo always shows a
spread: three contracts already expired, two expiring within 30 days, two
within 90 days, and the rest in force for a year or more.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .clauses import (
    EN_CONFIDENTIALITY,
    EN_FORCE_MAJEURE,
    EN_GENERAL,
    EN_GOVERNING_LAW,
    EN_LIABILITY,
    EN_NOTICES,
    EN_TERM,
    ZH_CONFIDENTIALITY,
    ZH_DISPUTE_ARBITRATION,
    ZH_DISPUTE_COURT,
    ZH_FORCE_MAJEURE,
    ZH_LIABILITY,
    ZH_MISC,
    ZH_NOTICES,
    ZH_TERM,
    en_preamble,
    own_party_en,
    own_party_zh,
    zh_preamble,
)
from .model import ClauseTemplate as C
from .model import ContractSpec, LineItem, Party, Schedule


def _item(description: str, unit: str, quantity: str, unit_price: str) -> LineItem:
    return LineItem(description, unit, Decimal(quantity), Decimal(unit_price))


# ---------------------------------------------------------------- counterparties

HUADONG = Party("乙方", "卖方", "华东精密机械制造有限公司", "江苏省苏州市工业园区星湖街218号", "周建国")
XINGLAN = Party("乙方", "买方", "深圳市星澜电子科技有限公司", "广东省深圳市南山区高新南一道9号星澜大厦8楼", "林晓峰")
YUNZHAN = Party(
    "乙方", "服务方", "杭州云栈信息技术有限公司", "浙江省杭州市西湖区文三路478号华星时代广场A座15层", "沈一鸣"
)
ZHIHENG = Party("乙方", "接收方", "北京知衡管理咨询有限公司", "北京市朝阳区建国路88号现代城B座2106室", "韩雪")
WANG_XIAOMING = Party("乙方", "劳动者", "王晓明", "上海市徐汇区漕溪北路595号3号楼1202室")
PUJIANG = Party("甲方", "出租方", "上海浦江置业有限公司", "上海市黄浦区中山东二路600号20层", "顾海涛")
SHUNYUAN = Party("乙方", "承运方", "江苏顺远供应链管理有限公司", "江苏省南京市江宁区将军大道66号", "赵广平")
JIANGNAN_INSTITUTE = Party("丙方", "研究机构", "江南数字法治研究院", "江苏省无锡市滨湖区蠡湖大道1800号", "许文澜")
NORTHWIND = Party(
    "Party B", "Service Provider", "Northwind Analytics Ltd",
    "Suite 4.02, 18 Harbour Exchange Road, London E14 9GE, United Kingdom", "Eleanor Hart, Managing Director",
)  # fmt: skip
HELVETIA = Party(
    "Party B", "Supplier", "Helvetia Precision AG",
    "Industriestrasse 41, 8404 Winterthur, Switzerland", "Dr. Markus Brunner, Head of Business Development",
)  # fmt: skip
MERIDIAN = Party(
    "Party B", "Distributor", "Meridian Trading Pte. Ltd.",
    "80 Anson Road, #21-05, Singapore 079907", "Rachel Tan Wei Ling, Director",
)  # fmt: skip
LUMEN = Party(
    "Party B", "Licensor", "Lumen Data Systems GmbH",
    "Lindenstraße 27, 10969 Berlin, Germany", "Jonas Keller, Chief Revenue Officer",
)  # fmt: skip

SIAC = (
    "administered by the Singapore International Arbitration Centre in accordance with its Arbitration "
    "Rules in force at the time; the seat of arbitration shall be Singapore"
)

# ------------------------------------------------------------------------- specs

PURCHASE_EQUIPMENT = ContractSpec(
    language="zh",
    format="pdf",
    title="精密数控设备采购合同",
    filename_label="采购合同-华东精密",
    number_code="CG-017",
    contract_type="purchase",
    parties=(own_party_zh("甲方", "买方"), HUADONG),
    amount=Decimal("1280000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=400, term_months=24, signed_before_effective=5),
    department="采购部",
    tags=("设备采购", "生产设备", "质保两年"),
    signing_place="上海市浦东新区",
    preamble=zh_preamble("甲方向乙方采购精密数控设备"),
    line_items=(
        _item("五轴立式加工中心 VMC-850", "台", "2", "398000.00"),
        _item("数控车床 CK6150", "台", "3", "128000.00"),
        _item("随机备品备件包", "套", "2", "20000.00"),
        _item("安装调试及操作培训", "项", "1", "60000.00"),
    ),
    clauses=(
        C(
            "合同标的",
            (
                "乙方向甲方出售下表所列设备及服务，设备的品牌、型号、规格、数量及价格以下表为准。",
                ("乙方保证所供设备为全新、未使用过的原厂正品，其制造工艺及性能指标符合国家标准及双方签署的技术协议。"),
            ),
            schedule=True,
        ),
        C(
            "合同价款及支付",
            (
                (
                    "本合同总价款为{amount}（大写：{amount_caps}），已包含设备价款、包装费、运输费、保险费、安"
                    "装调试费、培训费及13%增值税。"
                ),
                (
                    "付款方式：（一）本合同生效后十个工作日内，甲方支付合同总价款的30%作为预付款；（二）设备全"
                    "部到货并经开箱验收合格后十五个工作日内，支付合同总价款的60%；（三）其余10%作为质量保证金，"
                    "于质保期满且无质量争议后十个工作日内无息支付。"
                ),
                (
                    "乙方应在甲方每次付款前开具等额合法有效的增值税专用发票；因乙方迟延开票导致付款迟延的，甲方"
                    "不承担逾期付款责任。"
                ),
                (
                    "乙方收款账户：中国工商银行苏州工业园区支行，账号1102 0201 0900 0123 456；账户变更须经乙方"
                    "加盖公章书面确认。"
                ),
            ),
        ),
        C(
            "交付与验收",
            (
                (
                    "乙方应于本合同生效之日起四十五日内将全部设备运至甲方指定地点（上海市浦东新区科苑路399号张"
                    "江创新园7号楼一层设备间），设备毁损、灭失的风险在交付完成前由乙方承担。"
                ),
                (
                    "设备到货后，双方共同开箱检验，核对型号、数量、外观及随机技术文件；乙方应在到货后十日内完成"
                    "安装调试。"
                ),
                (
                    "安装调试完成后，甲方依据技术协议进行七十二小时连续试运行；试运行合格的，双方签署《设备验收"
                    "合格证明》。验收不合格的，乙方应在十日内免费更换或修复，并承担由此产生的全部费用。"
                ),
            ),
        ),
        C(
            "质量保证及售后服务",
            (
                (
                    "设备质保期为验收合格之日起二十四个月。质保期内非因甲方使用不当造成的故障，由乙方免费维修或"
                    "更换零部件。"
                ),
                (
                    "乙方接到甲方故障通知后应在四小时内响应，二十四小时内派工程师到达现场；设备停机超过七十二小"
                    "时的，质保期相应顺延。"
                ),
                "质保期满后，乙方按成本价向甲方供应备品备件，并提供不少于八年的有偿维修服务。",
            ),
        ),
        ZH_TERM,
        ZH_LIABILITY,
        ZH_CONFIDENTIALITY,
        ZH_FORCE_MAJEURE,
        ZH_DISPUTE_ARBITRATION,
        ZH_NOTICES,
        ZH_MISC,
    ),
)

SALES_SENSORS = ContractSpec(
    language="zh",
    format="docx",
    title="工业传感器销售合同",
    filename_label="销售合同-星澜电子",
    number_code="XS-042",
    contract_type="sales",
    parties=(own_party_zh("甲方", "卖方"), XINGLAN),
    amount=Decimal("984600.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=20, term_months=12),
    department="销售部",
    tags=("华南区", "年度供货", "渠道销售"),
    signing_place="上海市浦东新区",
    preamble=zh_preamble("乙方向甲方购买工业传感器及数据采集设备"),
    line_items=(
        _item("智能温湿度传感器 TH-300", "个", "2000", "186.50"),
        _item("工业压力变送器 PX-21", "个", "800", "412.00"),
        _item("数据采集网关 GW-8", "台", "120", "2350.00"),
    ),
    clauses=(
        C(
            "产品名称、数量及价格",
            (
                (
                    "乙方向甲方购买下表所列产品，本合同总金额为{amount}（大写：{amount_caps}），含13%增值税及运"
                    "至乙方指定仓库的运费。"
                ),
                (
                    "本合同有效期内，乙方可根据实际需求分批下达订单，每批订单须注明合同编号{number}，经甲方书面"
                    "确认后生效。"
                ),
            ),
            schedule=True,
        ),
        C(
            "结算方式",
            (
                ("每批订单项下，乙方应于收货验收合格后三十日内支付该批货款；甲方应在收款前开具等额增值税专用发票。"),
                "乙方累计未付款项超过人民币200,000.00元的，甲方有权暂停发货，直至乙方付清欠款。",
            ),
        ),
        C(
            "交货与运输",
            (
                "甲方应在订单确认后十五个工作日内发货，交货地点为乙方位于深圳市宝安区福海街道的仓库。",
                "货物由甲方委托第三方物流承运，货物在乙方签收前的毁损、灭失风险由甲方承担。",
            ),
        ),
        C(
            "质量标准与异议",
            (
                "产品质量符合国家标准及甲方公布的产品技术规格书；产品质保期为自乙方签收之日起十八个月。",
                (
                    "乙方应在收货后七个工作日内完成数量和外观检验，对质量有异议的，应在收货后三十日内书面提出，"
                    "逾期未提出的视为产品合格。"
                ),
            ),
        ),
        C(
            "知识产权",
            (
                (
                    "甲方保证所售产品不侵犯任何第三方的专利权、商标权、著作权等知识产权；产品内置软件的著作权归"
                    "甲方所有，乙方仅获得随产品使用的权利。"
                ),
            ),
        ),
        ZH_TERM,
        ZH_LIABILITY,
        ZH_CONFIDENTIALITY,
        ZH_DISPUTE_COURT,
        ZH_MISC,
    ),
)

SERVICE_IT_OPERATIONS = ContractSpec(
    language="zh",
    format="pdf",
    title="信息系统运维技术服务合同",
    filename_label="技术服务合同-云栈信息",
    number_code="FW-023",
    contract_type="service",
    parties=(own_party_zh("甲方", "委托方"), YUNZHAN),
    amount=Decimal("456000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=75, term_months=12, signed_before_effective=10),
    department="信息技术部",
    tags=("IT运维", "SLA", "驻场服务"),
    signing_place="上海市浦东新区",
    preamble=zh_preamble("乙方为甲方提供信息系统运行维护技术服务"),
    clauses=(
        C(
            "服务内容",
            (
                (
                    "乙方为甲方提供以下技术服务：（一）合同管理系统、协同办公系统及邮件系统的7×24小时监控与故障"
                    "处理；（二）服务器、存储及网络设备的日常巡检，并于每月五日前提交上月巡检报告；（三）数据库"
                    "备份及恢复演练，每季度不少于一次；（四）操作系统及中间件安全补丁的评估与升级。"
                ),
                "服务地点为甲方办公场所，远程服务须通过甲方提供的堡垒机进行，所有操作留存审计日志。",
            ),
        ),
        C(
            "服务标准",
            (
                (
                    "一级故障（核心系统不可用）：十五分钟内响应，四小时内恢复；二级故障（部分功能受损）：三十分"
                    "钟内响应，八小时内恢复；三级故障（一般咨询及优化）：四小时内响应，两个工作日内解决。"
                ),
                (
                    "核心系统每月可用率不低于99.9%。可用率每低于约定值0.1个百分点，甲方有权扣减当月服务费的5%，"
                    "当月扣减总额不超过当月服务费的30%。"
                ),
            ),
        ),
        C(
            "服务费用及支付",
            (
                (
                    "本合同服务费总额为{amount}（大写：{amount_caps}），含6%增值税，按月平均结算，每月服务费为"
                    "人民币38,000.00元。"
                ),
                ("甲方于每月结束后十个工作日内，根据双方确认的当月服务报告及乙方开具的增值税专用发票支付上月服务费。"),
            ),
        ),
        C(
            "人员要求",
            (
                "乙方应指定一名项目经理作为服务负责人，并安排不少于两名具备相应资质的工程师驻场服务。",
                "乙方人员进入甲方场所应遵守甲方的安全保密管理制度；未经甲方书面同意，乙方不得更换项目经理。",
            ),
        ),
        C(
            "数据安全",
            (
                ("乙方在服务过程中接触的甲方数据，其所有权归甲方；乙方不得复制、留存或将其用于本合同以外的任何目的。"),
                (
                    "乙方应遵守《中华人民共和国网络安全法》《中华人民共和国数据安全法》及《中华人民共和国个人信"
                    "息保护法》，发生数据安全事件的，应在发现后两小时内通知甲方并配合处置。"
                ),
            ),
        ),
        ZH_TERM,
        ZH_LIABILITY,
        ZH_CONFIDENTIALITY,
        ZH_DISPUTE_ARBITRATION,
        ZH_NOTICES,
        ZH_MISC,
    ),
)

NDA_CONSULTING = ContractSpec(
    language="zh",
    format="pdf",
    title="保密协议",
    filename_label="保密协议-知衡咨询",
    number_code="BM-008",
    contract_type="nda",
    parties=(own_party_zh("甲方", "披露方"), ZHIHENG),
    amount=Decimal("500000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=900, term_months=36, signed_before_effective=0),
    department="法务部",
    tags=("保密", "并购项目", "违约金"),
    signing_place="北京市朝阳区",
    fields={"this": "本协议"},
    preamble=zh_preamble("甲方委托乙方就潜在股权投资项目提供尽职调查咨询服务过程中的信息保密"),
    clauses=(
        C(
            "保密信息的定义",
            (
                (
                    "本协议所称保密信息，是指甲方以书面、口头、电子或其他任何形式向乙方披露的，与潜在股权投资项"
                    "目（项目代号“青鸟”）有关的全部信息，包括但不限于财务数据、客户名单、技术方案、交易结构及谈"
                    "判进展。"
                ),
                (
                    "乙方及其工作人员在尽职调查过程中自行获取或制作的、包含上述信息的笔记、分析报告及其他资料，"
                    "亦属于保密信息。"
                ),
            ),
        ),
        C(
            "保密义务",
            (
                "乙方应以不低于保护自身同类信息的谨慎程度保护保密信息，且不得低于合理的谨慎程度。",
                (
                    "乙方仅可向为完成本项目确有必要知悉的员工披露保密信息，并应确保该等人员遵守不低于本协议标准"
                    "的保密义务。"
                ),
                "未经甲方事先书面同意，乙方不得就本项目与目标公司的股东、员工、客户或供应商进行接触。",
            ),
        ),
        C(
            "例外情形",
            (
                (
                    "乙方能够以书面记录证明属于下列情形之一的信息，不属于保密信息：（一）披露时已为公众所知悉；"
                    "（二）乙方在甲方披露前已合法知悉；（三）乙方独立开发且未使用任何保密信息。"
                ),
                "乙方依法律法规或有权机关要求必须披露保密信息的，应事先通知甲方，并仅在要求的范围内披露。",
            ),
        ),
        C(
            "资料的返还与销毁",
            (("本协议终止或甲方书面要求时，乙方应在十日内返还或销毁全部保密信息及其复制件，并向甲方出具书面确认。"),),
        ),
        C(
            "违约责任",
            (
                (
                    "乙方违反本协议约定的，应向甲方支付违约金{amount}（大写：{amount_caps}）；违约金不足以弥补"
                    "甲方损失的，乙方还应赔偿差额部分。"
                ),
                "甲方有权要求乙方立即停止违约行为，并可依法申请禁令等临时救济措施。",
            ),
        ),
        ZH_TERM,
        ZH_DISPUTE_ARBITRATION,
        ZH_MISC,
    ),
)

EMPLOYMENT_ENGINEER = ContractSpec(
    language="zh",
    format="docx",
    title="劳动合同",
    filename_label="劳动合同-王晓明",
    number_code="LD-105",
    contract_type="employment",
    parties=(own_party_zh("甲方", "用人单位"), WANG_XIAOMING),
    amount=Decimal("364000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=1000, term_months=36, signed_before_effective=3),
    department="人力资源部",
    tags=("固定期限", "研发岗位", "竞业限制"),
    signing_place="上海市浦东新区",
    preamble=zh_preamble("建立劳动关系"),
    line_items=(
        _item("基本工资", "月", "12", "22000.00"),
        _item("岗位津贴", "月", "12", "6000.00"),
        _item("年终奖金（第十三个月工资）", "次", "1", "28000.00"),
    ),
    schedule_columns=("序号", "薪酬项目", "计发周期", "数量", "标准（元）", "年度金额（元）"),
    clauses=(
        C(
            "合同期限",
            (
                (
                    "本合同为固定期限劳动合同，期限自{effective_date}起至{expiry_date}止，共{term_months}个月，"
                    "其中试用期为六个月。"
                ),
            ),
        ),
        C(
            "工作内容和工作地点",
            (
                "乙方同意根据甲方工作需要，担任研发中心高级软件工程师岗位，岗位职责以甲方发布的岗位说明书为准。",
                "乙方的工作地点为上海市浦东新区。因工作需要短期出差的，按甲方差旅管理制度执行。",
            ),
        ),
        C(
            "工作时间和休息休假",
            (
                "甲方实行标准工时制度，乙方每日工作八小时，每周工作四十小时。",
                (
                    "乙方依法享受法定节假日、年休假、婚假、产假等假期；甲方安排乙方延长工作时间的，应依法支付加"
                    "班工资或安排补休。"
                ),
            ),
        ),
        C(
            "劳动报酬",
            (
                (
                    "乙方月工资为人民币28,000.00元（税前），其中基本工资22,000.00元，岗位津贴6,000.00元；试用期"
                    "月工资为人民币25,200.00元。"
                ),
                (
                    "甲方于每月十五日前以银行转账方式支付乙方上月工资。乙方年度工资总额预计为{amount}（大"
                    "写：{amount_caps}），明细见下表；年终奖金根据绩效考核结果发放。"
                ),
            ),
            schedule=True,
        ),
        C(
            "社会保险和福利待遇",
            (
                ("甲方依法为乙方缴纳养老、医疗、失业、工伤、生育保险及住房公积金，乙方个人应缴部分由甲方代扣代缴。"),
                "乙方享受甲方提供的补充医疗保险、年度体检及带薪培训等福利。",
            ),
        ),
        C(
            "保密与竞业限制",
            (
                "乙方应保守甲方的商业秘密和与知识产权相关的保密事项，在职期间及离职后均不得泄露或使用。",
                (
                    "乙方离职后十二个月内不得到与甲方有竞争关系的单位任职；竞业限制期间，甲方按月支付经济补偿，"
                    "标准为乙方离职前十二个月平均工资的30%。"
                ),
            ),
        ),
        C(
            "合同的变更、解除和终止",
            (
                "经双方协商一致，可以变更本合同约定的内容，变更应当采用书面形式。",
                "本合同的解除和终止，按照《中华人民共和国劳动合同法》的有关规定执行。",
            ),
        ),
        C(
            "劳动争议处理",
            (
                (
                    "因履行本合同发生劳动争议的，双方可以协商解决；协商不成的，可以向甲方所在地劳动人事争议仲裁"
                    "委员会申请仲裁；对仲裁裁决不服的，可以依法向人民法院提起诉讼。"
                ),
            ),
        ),
        C(
            "其他",
            (
                ("本合同自甲方加盖公章且乙方签字之日起成立，自{effective_date}起生效。本合同一式两份，双方各执一份。"),
                "甲方依法制定的规章制度已向乙方公示，乙方确认已阅读并同意遵守。",
            ),
        ),
    ),
)

LEASE_OFFICE = ContractSpec(
    language="zh",
    format="pdf",
    title="办公用房租赁合同",
    filename_label="房屋租赁合同-浦江置业",
    number_code="ZL-003",
    contract_type="lease",
    parties=(PUJIANG, own_party_zh("乙方", "承租方")),
    amount=Decimal("6660000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=560, term_months=36, signed_before_effective=20),
    department="行政部",
    tags=("办公租赁", "张江园区", "押金"),
    signing_place="上海市黄浦区",
    fields={"forum": "房屋所在地"},
    preamble=zh_preamble("乙方承租甲方办公用房"),
    line_items=(
        _item("第一租赁年度", "月", "12", "180000.00"),
        _item("第二租赁年度", "月", "12", "185000.00"),
        _item("第三租赁年度", "月", "12", "190000.00"),
    ),
    schedule_columns=("序号", "租赁期间", "计租单位", "月数", "月租金（元）", "小计（元）"),
    clauses=(
        C(
            "租赁房屋",
            (
                (
                    "甲方将其合法拥有的位于上海市浦东新区科苑路399号张江创新园7号楼12层的房屋出租给乙方，建筑面"
                    "积1,560平方米，用途为办公。"
                ),
                "甲方保证对该房屋享有完整的出租权利，房屋不存在影响乙方正常使用的抵押、查封或其他权利限制。",
            ),
        ),
        C(
            "租赁期限",
            (
                (
                    "租赁期限自{effective_date}起至{expiry_date}止，共{term_months}个月。甲方给予乙方四十五日免"
                    "租装修期，免租期内乙方无需支付租金，但应承担物业管理费。"
                ),
                "租赁期满，乙方在同等条件下享有优先承租权；乙方需要续租的，应在期满前九十日书面通知甲方。",
            ),
        ),
        C(
            "租金及支付",
            (
                "租赁期内租金总额为{amount}（大写：{amount_caps}），各租赁年度的月租金见下表，租金含增值税。",
                "租金每三个月支付一次，乙方应于每期开始前十日内支付该期租金；甲方收款后应开具增值税专用发票。",
            ),
            schedule=True,
        ),
        C(
            "押金",
            (
                "乙方应于本合同签署后五个工作日内向甲方支付押金人民币540,000.00元（相当于三个月租金）。",
                "租赁期满或合同解除后，乙方结清全部费用并按约返还房屋的，甲方应在十个工作日内无息退还押金。",
            ),
        ),
        C(
            "物业管理及其他费用",
            (
                "租赁期内，物业管理费按每月每平方米人民币28.00元计收，由乙方直接向物业管理公司支付。",
                "租赁期内房屋使用所产生的水、电、通讯、空调延时使用等费用，由乙方按实际用量承担。",
            ),
        ),
        C(
            "房屋维修与装修",
            (
                "房屋主体结构及公共设施的维修由甲方负责；因乙方使用不当造成损坏的，由乙方负责修复或赔偿。",
                "乙方装修或改变房屋结构的，应事先取得甲方书面同意，并依法办理相关审批手续。",
            ),
        ),
        C(
            "转租",
            (("未经甲方书面同意，乙方不得将房屋全部或部分转租、分租给第三方，但乙方的关联公司在该房屋内办公的除外。"),),
        ),
        ZH_LIABILITY,
        ZH_DISPUTE_COURT,
        ZH_NOTICES,
        ZH_MISC,
    ),
)

LOGISTICS_SERVICE = ContractSpec(
    language="zh",
    format="pdf",
    title="物流运输服务合同",
    filename_label="物流服务合同-顺远物流",
    number_code="WL-011",
    contract_type="service",
    parties=(own_party_zh("甲方", "托运方"), SHUNYUAN),
    amount=Decimal("720000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=-45, term_months=12),
    department="供应链管理部",
    tags=("物流", "长三角", "年度合同"),
    signing_place="上海市浦东新区",
    preamble=zh_preamble("乙方为甲方提供公路货物运输服务"),
    line_items=(
        _item("上海—苏州 整车（9.6米厢式货车）", "车次", "240", "1200.00"),
        _item("上海—南京 整车（9.6米厢式货车）", "车次", "120", "2400.00"),
        _item("上海—杭州 零担", "吨", "480", "300.00"),
    ),
    schedule_columns=("序号", "线路及车型", "计费单位", "预估数量", "单价（元）", "预估金额（元）"),
    clauses=(
        C(
            "服务范围",
            (
                (
                    "乙方为甲方提供上海至苏州、南京、杭州等长三角地区的公路货物运输服务，包括提货、装卸、运输及"
                    "送货上门。"
                ),
                "甲方通过电子运单系统下达运输指令，运单载明货物名称、数量、收货人及要求到达时间。",
            ),
        ),
        C(
            "运输时效与要求",
            (
                (
                    "整车运输应在甲方下单后四小时内到达提货地点；上海至苏州、杭州线路当日送达，上海至南京线路次"
                    "日十二时前送达。"
                ),
                "乙方应使用符合国家标准的厢式货车，配备GPS定位设备，并向甲方开放车辆实时位置查询权限。",
            ),
        ),
        C(
            "运费及结算",
            (
                (
                    "运费按下表单价计算，本合同年度运费预估总额为{amount}（大写：{amount_caps}），实际运费按双"
                    "方确认的运单结算。"
                ),
                "运费按月结算，乙方应于每月五日前提交上月对账单，甲方核对无误后十五个工作日内付款。",
            ),
            schedule=True,
        ),
        C(
            "货物交接与签收",
            (
                "乙方提货时应当面清点货物件数并检查外包装，发现异常的应在交接单上注明。",
                ("收货人签收后，乙方应在二十四小时内将签收单影像上传至电子运单系统，签收单原件每月随对账单返还甲方。"),
            ),
        ),
        C(
            "货损货差",
            (
                "运输期间发生货物丢失、短少、损坏的，乙方应按货物的实际价值赔偿，最高不超过甲方申报价值。",
                "乙方应为承运货物投保货物运输险，保险金额不低于每车次人民币500,000.00元。",
            ),
        ),
        ZH_TERM,
        ZH_LIABILITY,
        ZH_FORCE_MAJEURE,
        ZH_DISPUTE_ARBITRATION,
        ZH_MISC,
    ),
)

JOINT_RESEARCH = ContractSpec(
    language="zh",
    format="docx",
    title="智能合同审查联合研发合作协议",
    filename_label="联合研发协议-云栈信息-江南研究院",
    number_code="HZ-002",
    contract_type="other",
    parties=(own_party_zh("甲方", "牵头方"), replace(YUNZHAN, capacity="技术开发方"), JIANGNAN_INSTITUTE),
    amount=Decimal("1500000.00"),
    currency="CNY",
    schedule=Schedule(expires_in_days=-200, term_months=12, signed_before_effective=14),
    department="战略发展部",
    tags=("产学研", "联合研发", "三方协议"),
    signing_place="江苏省无锡市",
    fields={"this": "本协议"},
    preamble=zh_preamble("联合开发智能合同审查技术"),
    line_items=(
        _item("甲方出资（货币）", "期", "2", "450000.00"),
        _item("乙方出资（货币）", "期", "2", "200000.00"),
        _item("丙方出资（研究人员及实验环境折价）", "项", "1", "200000.00"),
    ),
    schedule_columns=("序号", "出资方及形式", "单位", "期数", "每期金额（元）", "小计（元）"),
    clauses=(
        C(
            "合作目标",
            (
                (
                    "三方共同研发面向中文合同的智能审查系统，实现合同条款识别、风险条款提示及合同要素自动抽取，"
                    "关键要素抽取准确率不低于95%。"
                ),
            ),
        ),
        C(
            "各方职责",
            (
                ("甲方负责项目总体管理，提供脱敏后的合同样本及业务需求，并负责系统在甲方合同管理平台中的集成与试点。"),
                "乙方负责系统架构设计、工程开发及部署运维。",
                "丙方负责法律知识体系构建、风险规则梳理及算法效果评估，并指派不少于三名研究人员参与项目。",
            ),
        ),
        C(
            "研发经费",
            (
                "项目研发经费总额为{amount}（大写：{amount_caps}），由三方按下表约定分期投入。",
                "研发经费设立专账管理，专款专用；每季度由甲方编制经费使用报告并提交三方确认。",
            ),
            schedule=True,
        ),
        C(
            "知识产权归属",
            (
                "各方在本协议签订前已拥有的知识产权仍归各自所有。",
                (
                    "合作期间产生的软件著作权、专利申请权等知识产权由三方共有，各方份额按实际出资比例确定；任何"
                    "一方对外许可须经其他两方书面同意。"
                ),
            ),
        ),
        C(
            "成果转化与收益分配",
            (
                "研发成果的商业化收益在扣除推广成本后，由三方按照甲方50%、乙方30%、丙方20%的比例分配。",
                (
                    "丙方有权在注明合作各方的前提下，将研究成果用于学术发表，但发表前应提交甲方审阅，审阅期不超"
                    "过三十日。"
                ),
            ),
        ),
        C("项目管理", ("三方组成项目管理委员会，每方委派两名代表，每月召开一次例会；重大事项须经委员会一致同意。",)),
        ZH_TERM,
        ZH_CONFIDENTIALITY,
        ZH_DISPUTE_ARBITRATION,
        ZH_MISC,
    ),
)

MSA_ANALYTICS = ContractSpec(
    language="en",
    format="pdf",
    title="Master Services Agreement",
    filename_label="MSA-Northwind-Analytics",
    number_code="MSA-031",
    contract_type="service",
    parties=(own_party_en("Party A", "Customer"), NORTHWIND),
    amount=Decimal("245000.00"),
    currency="USD",
    schedule=Schedule(expires_in_days=45, term_months=12, signed_before_effective=10),
    department="IT",
    tags=("analytics", "data platform", "SLA"),
    signing_place="Shanghai / London",
    fields={
        "governing_law": "the laws of England and Wales",
        "arbitration": "under the LCIA Rules, which are deemed incorporated by reference into this Clause; "
        "the seat of arbitration shall be London",
    },
    preamble=en_preamble(
        "The Customer wishes to obtain, and the Service Provider has agreed to provide, a managed data "
        "analytics platform and related services on the terms of this Agreement."
    ),
    line_items=(
        _item("Data platform subscription, Enterprise tier", "year", "1", "168000.00"),
        _item("Implementation and data migration", "project", "1", "45000.00"),
        _item("Premium support, 24x7", "quarter", "4", "8000.00"),
    ),
    clauses=(
        C(
            "Definitions",
            (
                '"Services" means the subscription, implementation and support services described in Clause 2.',
                '"Customer Data" means all data uploaded to the platform by or on behalf of the Customer.',
                ('"Business Day" means a day other than a Saturday, Sunday or public holiday in Shanghai or London.'),
            ),
        ),
        C(
            "Services",
            (
                (
                    "The Service Provider shall provide the Services listed in the schedule below with "
                    "reasonable skill and care, in accordance with good industry practice and the Service "
                    "Levels in Clause 3."
                ),
                (
                    "The Service Provider shall complete the implementation within sixty (60) days after the "
                    "Effective Date."
                ),
            ),
            schedule=True,
        ),
        C(
            "Service Levels",
            (
                (
                    "The platform shall be available at least 99.9% of each calendar month, excluding "
                    "scheduled maintenance notified at least five (5) Business Days in advance."
                ),
                (
                    "If availability falls below that level, the Customer is entitled to a service credit of "
                    "5% of the monthly subscription fee for each full 0.1% shortfall, capped at 30% of that "
                    "fee."
                ),
            ),
        ),
        C(
            "Fees and Payment",
            (
                (
                    "In consideration of the Services, the Customer shall pay the Service Provider total fees "
                    "of {amount} as itemised in the schedule in Clause 2."
                ),
                (
                    "The Service Provider shall invoice the subscription fee annually in advance, the "
                    "implementation fee on completion and support fees quarterly in arrears. Invoices are "
                    "payable within thirty (30) days."
                ),
                (
                    "Fees are exclusive of value added tax. If the Customer is required by law to withhold "
                    "tax, it shall provide the Service Provider with the official tax receipt."
                ),
            ),
        ),
        C(
            "Data Protection",
            (
                (
                    "Customer Data remains the property of the Customer. The Service Provider shall process it "
                    "only on the Customer's documented instructions and shall not transfer it outside the "
                    "agreed hosting regions."
                ),
                (
                    "The Service Provider shall notify the Customer without undue delay, and in any event "
                    "within 24 hours, after becoming aware of any personal data breach affecting Customer Data."
                ),
            ),
        ),
        EN_TERM,
        EN_CONFIDENTIALITY,
        EN_LIABILITY,
        EN_FORCE_MAJEURE,
        EN_GOVERNING_LAW,
        EN_NOTICES,
        EN_GENERAL,
    ),
)

NDA_MUTUAL = ContractSpec(
    language="en",
    format="pdf",
    title="Mutual Non-Disclosure Agreement",
    filename_label="NDA-Helvetia-Precision",
    number_code="NDA-014",
    contract_type="nda",
    parties=(own_party_en("Party A", "Purchaser"), HELVETIA),
    amount=Decimal("250000.00"),
    currency="EUR",
    schedule=Schedule(expires_in_days=-12, term_months=24, signed_before_effective=0),
    department="Legal",
    tags=("NDA", "mutual", "supplier evaluation"),
    signing_place="Winterthur",
    fields={
        "governing_law": "Swiss substantive law, excluding the United Nations Convention on Contracts "
        "for the International Sale of Goods",
        "arbitration": "under the Swiss Rules of International Arbitration of the Swiss Arbitration Centre; "
        "the seat of arbitration shall be Zurich",
    },
    preamble=en_preamble(
        "The Parties intend to evaluate a possible supply of high-precision spindle assemblies (the "
        '"Purpose") and, for that Purpose, each of them will disclose confidential information to the other.'
    ),
    clauses=(
        C(
            "Purpose",
            (
                (
                    "Each Party shall use the other Party's Confidential Information only for the Purpose and "
                    "for no other purpose whatsoever."
                ),
            ),
        ),
        C(
            "Confidential Information",
            (
                (
                    '"Confidential Information" means all information disclosed by a Party (the "Discloser") '
                    'to the other (the "Recipient"), whether orally, in writing, by samples or electronically, '
                    "including drawings, specifications, prices and business plans, that is marked as "
                    "confidential or would reasonably be regarded as confidential."
                ),
            ),
        ),
        C(
            "Obligations of the Recipient",
            (
                (
                    "The Recipient shall keep the Confidential Information secret, protect it with at least "
                    "the degree of care it applies to its own confidential information, and not disclose it to "
                    "any third party."
                ),
                (
                    "The Recipient shall not reverse engineer, decompile or analyse the composition of any "
                    "samples provided by the Discloser."
                ),
            ),
        ),
        C(
            "Exclusions",
            (
                (
                    "The obligations above do not apply to information that the Recipient can show is or "
                    "becomes publicly available through no fault of the Recipient, was already known to it "
                    "without restriction, or is independently developed without use of the Confidential "
                    "Information."
                ),
            ),
        ),
        C(
            "Return and Destruction",
            (
                (
                    "On the Discloser's written request, and in any case on expiry of this Agreement, the "
                    "Recipient shall promptly return or destroy all Confidential Information and confirm this "
                    "in writing."
                ),
            ),
        ),
        C(
            "Remedies",
            (
                (
                    "For each breach of this Agreement, the breaching Party shall pay the other Party a "
                    "contractual penalty of {amount}, without prejudice to claims for further damages and to "
                    "injunctive relief."
                ),
            ),
        ),
        EN_TERM,
        EN_GOVERNING_LAW,
        EN_GENERAL,
    ),
)

SALES_DISTRIBUTION = ContractSpec(
    language="en",
    format="pdf",
    title="Sales Agreement",
    filename_label="Sales-Meridian-Trading",
    number_code="XS-058",
    contract_type="sales",
    parties=(own_party_en("Party A", "Seller"), MERIDIAN),
    amount=Decimal("1180550.00"),
    currency="USD",
    schedule=Schedule(expires_in_days=8, term_months=12, signed_before_effective=15),
    department="Sales",
    tags=("export", "Southeast Asia", "distributor"),
    signing_place="Singapore",
    fields={"governing_law": "the laws of the Republic of Singapore", "arbitration": SIAC},
    preamble=en_preamble(
        "The Seller manufactures industrial sensors and data gateways, and the Distributor wishes to "
        "purchase "
        'such products for resale in Singapore, Malaysia and Indonesia (the "Territory").'
    ),
    line_items=(
        _item("Industrial IoT gateway GW-8", "pcs", "1500", "310.00"),
        _item("Temperature and humidity sensor TH-300", "pcs", "20000", "26.50"),
        _item("Pressure transmitter PX-21", "pcs", "3000", "61.85"),
    ),
    clauses=(
        C(
            "Definitions",
            (
                '"Products" means the products listed in the schedule in Clause 2.',
                '"Incoterms" means the Incoterms 2020 rules published by the International Chamber of Commerce.',
                '"Business Day" means a day on which banks are open for business in both Shanghai and Singapore.',
            ),
        ),
        C(
            "Sale and Purchase",
            (
                (
                    "The Seller shall sell and the Distributor shall purchase the Products in the quantities "
                    "and at the prices set out below, for a total contract price of {amount}."
                ),
                (
                    "The Distributor may call off the Products in monthly instalments by purchase orders that "
                    "quote contract number {number}."
                ),
            ),
            schedule=True,
        ),
        C(
            "Price and Payment",
            (
                "Prices are FOB Shanghai (Incoterms) and include export packaging and marking.",
                (
                    "Payment for each instalment shall be made by irrevocable documentary letter of credit at "
                    "sight, issued by a first-class bank acceptable to the Seller, at least fifteen (15) days "
                    "before shipment."
                ),
            ),
        ),
        C(
            "Delivery",
            (
                (
                    "The Seller shall deliver each instalment on board the vessel nominated by the Distributor "
                    "at the port of Shanghai within thirty (30) days after the letter of credit is opened. "
                    "Risk passes in accordance with the FOB rule."
                ),
            ),
        ),
        C(
            "Inspection and Warranty",
            (
                (
                    "The Distributor shall inspect the Products within fifteen (15) Business Days after "
                    "arrival at the port of destination and notify any visible defect in writing within that "
                    "period."
                ),
                (
                    "The Seller warrants that the Products will be free from defects in materials and "
                    "workmanship for eighteen (18) months after shipment, and shall repair or replace "
                    "defective Products free of charge."
                ),
            ),
        ),
        EN_TERM,
        EN_LIABILITY,
        EN_FORCE_MAJEURE,
        EN_GOVERNING_LAW,
        EN_GENERAL,
    ),
)

SOFTWARE_LICENCE = ContractSpec(
    language="en",
    format="docx",
    title="Software Licence and Support Agreement",
    filename_label="Licence-Lumen-Data-Systems",
    number_code="CG-064",
    contract_type="purchase",
    parties=(own_party_en("Party A", "Licensee"), LUMEN),
    amount=Decimal("386400.00"),
    currency="EUR",
    schedule=Schedule(expires_in_days=1500, term_months=60, signed_before_effective=10),
    department="Procurement",
    tags=("software", "licence", "support"),
    signing_place="Shanghai / Berlin",
    fields={
        "governing_law": "the laws of the Federal Republic of Germany, excluding its conflict-of-laws "
        "rules and the United Nations Convention on Contracts for the International Sale of Goods",
        "arbitration": "under the Arbitration Rules of the German Arbitration Institute (DIS); "
        "the seat of arbitration shall be Frankfurt am Main",
    },
    preamble=en_preamble(
        "The Licensor has developed the enterprise search software known as Lumen Search, and the Licensee "
        "wishes to obtain a licence to use it, together with support and training, for its contract "
        "repository."
    ),
    line_items=(
        _item("Lumen Search Enterprise, perpetual licence (per CPU core)", "core", "32", "8700.00"),
        _item("Support and maintenance, years 1 to 3", "year", "3", "28000.00"),
        _item("On-site administrator training", "day", "16", "1500.00"),
    ),
    clauses=(
        C(
            "Definitions",
            (
                (
                    '"Software" means Lumen Search Enterprise in object code form, including updates supplied '
                    "under Clause 5, and its documentation."
                ),
                '"Installation" means the Licensee\'s production and disaster-recovery environments in Shanghai.',
            ),
        ),
        C(
            "Grant of Licence",
            (
                (
                    "The Licensor grants the Licensee a non-exclusive, non-transferable, perpetual licence to "
                    "install and use the Software on up to 32 CPU cores for the internal business purposes of "
                    "the Licensee and its affiliates."
                ),
                (
                    "The Licensee shall not sublicense, rent or reverse engineer the Software, except to the "
                    "extent permitted by mandatory law."
                ),
            ),
        ),
        C(
            "Delivery and Acceptance",
            (
                (
                    "The Licensor shall make the Software available for download within five (5) Business Days "
                    "after {effective_date}. The Licensee shall run the acceptance tests agreed in writing "
                    "within thirty (30) days after delivery; the Software is accepted when those tests are "
                    "passed."
                ),
            ),
        ),
        C(
            "Fees and Payment",
            (
                "The Licensee shall pay the Licensor the fees set out below, in the total amount of {amount}.",
                (
                    "Licence fees are payable within thirty (30) days after acceptance; support fees are "
                    "payable annually in advance; training fees are payable monthly in arrears. All fees are "
                    "exclusive of VAT."
                ),
            ),
            schedule=True,
        ),
        C(
            "Support and Maintenance",
            (
                (
                    "During the support period the Licensor shall provide updates and new releases of the "
                    "Software, a service desk available on Business Days from 08:00 to 20:00 China Standard "
                    "Time, and remote diagnosis of incidents."
                ),
                (
                    "Critical incidents shall be responded to within one (1) hour and resolved or worked "
                    "around within one (1) Business Day."
                ),
            ),
        ),
        C(
            "Warranties",
            (
                (
                    "The Licensor warrants that for twelve (12) months after acceptance the Software will "
                    "perform materially in accordance with its documentation and that it holds all rights "
                    "needed to grant the licence."
                ),
            ),
        ),
        EN_CONFIDENTIALITY,
        EN_LIABILITY,
        EN_TERM,
        EN_GOVERNING_LAW,
        EN_GENERAL,
    ),
)

DEMO_SPECS: tuple[ContractSpec, ...] = (
    PURCHASE_EQUIPMENT,
    SALES_SENSORS,
    SERVICE_IT_OPERATIONS,
    NDA_CONSULTING,
    EMPLOYMENT_ENGINEER,
    LEASE_OFFICE,
    LOGISTICS_SERVICE,
    JOINT_RESEARCH,
    MSA_ANALYTICS,
    NDA_MUTUAL,
    SALES_DISTRIBUTION,
    SOFTWARE_LICENCE,
)
