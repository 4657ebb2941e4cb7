"""Standard clauses shared by several demo contracts (content as data).

Templates use the placeholders of :func:`repo_app.demo.compose.template_values`:
``{this}`` (本合同 / 本协议 / this Agreement), ``{amount}``, ``{amount_caps}``,
``{effective_date}``, ``{expiry_date}``, ``{term_months}``, ``{number}``,
``{copies}``, ``{forum}``, ``{both}`` (双方 / 各方), ``{other}``
(对方 / 其他方), ``{party_a}``, ``{party_b}``, … and a spec's own
``fields`` (``{governing_law}``, ``{arbitration}``).
"""

from __future__ import annotations

from .model import ClauseTemplate, Party

# ------------------------------------------------------------------ our company

OWN_NAME_ZH = "上海澄衡科技股份有限公司"
OWN_ADDRESS_ZH = "上海市浦东新区科苑路399号张江创新园7号楼12层"
OWN_NAME_EN = "Shanghai Chengheng Technology Co., Ltd."
OWN_ADDRESS_EN = "12/F, Building 7, Zhangjiang Innovation Park, 399 Keyuan Road, Pudong, Shanghai 201203, China"


def own_party_zh(role: str, capacity: str) -> Party:
    return Party(role, capacity, OWN_NAME_ZH, OWN_ADDRESS_ZH, "陈立群", own=True)


def own_party_en(role: str, capacity: str) -> Party:
    return Party(role, capacity, OWN_NAME_EN, OWN_ADDRESS_EN, "Chen Liqun, Chief Executive Officer", own=True)


# -------------------------------------------------------------------- preambles


def zh_preamble(subject: str) -> str:
    """Standard Chinese opening: the parties agree on *subject* under the Civil Code."""
    return (
        "根据《中华人民共和国民法典》及其他相关法律法规的规定，{both}本着平等自愿、公平合理、"
        f"诚实信用的原则，就{subject}事宜，经友好协商一致，订立{{this}}，以资共同遵守。"
    )


def en_preamble(recital: str) -> str:
    """ "This Agreement is made … by and between …" followed by the *recital*."""
    return (
        'This {title} (the "Agreement") is made and entered into on {signed_date} by and between '
        '{party_a} and {party_b} (each a "Party" and together the "Parties"). ' + recital
    )


# ------------------------------------------------------------------------ zh

ZH_TERM = ClauseTemplate(
    "合同期限",
    (
        "{this}有效期自{effective_date}起至{expiry_date}止，共计{term_months}个月。",
        "期限届满前三十日内，{both}可就续签事宜进行协商；未签订书面续签协议的，{this}于期限届满之日终止。",
        "{this}期限届满或提前解除的，不影响{this}中关于保密、违约责任及争议解决条款的效力。",
    ),
)

ZH_LIABILITY = ClauseTemplate(
    "违约责任",
    (
        ("任何一方不履行{this}义务或者履行义务不符合约定的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。"),
        (
            "一方逾期付款或逾期履行主要义务的，每逾期一日，应按逾期部分金额的万分之五向守约方支付违约金，违"
            "约金累计不超过{this}总金额的百分之十。"
        ),
        ("一方逾期履行超过三十日，经守约方催告后仍未履行的，守约方有权书面通知解除{this}，并要求违约方赔偿损失。"),
        (
            "违约方应赔偿守约方因此遭受的直接损失，以及守约方为实现权利而支出的诉讼费、仲裁费、保全费、律师"
            "费等合理费用。"
        ),
    ),
)

ZH_CONFIDENTIALITY = ClauseTemplate(
    "保密",
    (
        (
            "{both}对在订立和履行{this}过程中知悉的{other}商业秘密、技术资料、经营信息及{this}内容（包括价"
            "款）负有保密义务，未经披露方书面同意，不得向任何第三方披露。"
        ),
        (
            "下列信息不受前款限制：（一）披露时已为公众所知悉的；（二）接收方从有权披露的第三方合法取得的；"
            "（三）依照法律法规或司法、监管机关要求必须披露的，但应在法律允许的范围内事先通知披露方。"
        ),
        "本条约定的保密义务不因{this}的终止而失效，在{this}终止后三年内持续有效。",
    ),
)

ZH_FORCE_MAJEURE = ClauseTemplate(
    "不可抗力",
    (
        (
            "因地震、台风、洪水、火灾、战争、重大公共卫生事件及政府行为等不能预见、不能避免且不能克服的客观"
            "情况，致使一方不能履行或不能完全履行{this}的，根据不可抗力的影响，部分或者全部免除责任。"
        ),
        (
            "受不可抗力影响的一方应在事件发生后五个工作日内书面通知{other}，并在十五日内提供相关证"
            "明；{both}应采取合理措施减少损失。不可抗力持续超过六十日的，任何一方均可书面通知解除{this}。"
        ),
    ),
)

ZH_DISPUTE_ARBITRATION = ClauseTemplate(
    "法律适用与争议解决",
    (
        "{this}的订立、效力、解释、履行及争议的解决，均适用中华人民共和国法律。",
        (
            "因{this}引起的或与{this}有关的任何争议，{both}应首先友好协商解决；自一方书面提出协商之日起三十"
            "日内协商不成的，任何一方均可将争议提交上海国际经济贸易仲裁委员会（上海国际仲裁中心），按照申请"
            "仲裁时该会现行有效的仲裁规则在上海进行仲裁。仲裁裁决是终局的，对{both}均有约束力。"
        ),
        "争议解决期间，除争议事项外，{both}应继续履行{this}的其他条款。",
    ),
)

ZH_DISPUTE_COURT = ClauseTemplate(
    "法律适用与争议解决",
    (
        "{this}的订立、效力、解释、履行及争议的解决，均适用中华人民共和国法律。",
        (
            "因{this}引起的或与{this}有关的争议，双方应友好协商解决；协商不成的，任何一方均可向{forum}有管"
            "辖权的人民法院提起诉讼。"
        ),
    ),
)

ZH_NOTICES = ClauseTemplate(
    "通知与送达",
    (
        (
            "{this}首部所列{both}住所为有效送达地址。一方变更送达地址的，应在变更后三日内书面通知{other}，"
            "否则按原地址送达即视为送达。"
        ),
        (
            "与{this}有关的通知应以书面形式作出，可采用专人递送、快递或电子邮件方式；以快递发送的，自交寄之"
            "日起第三日视为送达；以电子邮件发送的，自进入收件方指定系统之日视为送达。"
        ),
    ),
)

ZH_MISC = ClauseTemplate(
    "其他约定",
    (
        ("{this}自{both}法定代表人或授权代表签字并加盖公章（或合同专用章）之日起成立，自{effective_date}起生效。"),
        (
            "{this}未尽事宜，由{both}另行协商并签订书面补充协议。补充协议及{this}附件是{this}不可分割的组成"
            "部分，与{this}具有同等法律效力。"
        ),
        "{this}正本一式{copies}份，{both}各执贰份，每份具有同等法律效力。",
    ),
)

# ------------------------------------------------------------------------ en

EN_TERM = ClauseTemplate(
    "Term and Termination",
    (
        (
            'This Agreement comes into force on {effective_date} (the "Effective Date") and, unless '
            "terminated earlier in accordance with this Clause, remains in force until {expiry_date} "
            "({term_months} months)."
        ),
        (
            "Either Party may terminate this Agreement with immediate effect by written notice if the "
            "other Party commits a material breach which, if capable of remedy, is not remedied within "
            "thirty (30) days after receipt of a notice describing the breach."
        ),
        (
            "Either Party may terminate this Agreement by written notice if the other Party becomes "
            "insolvent, enters into liquidation or makes any arrangement with its creditors."
        ),
        (
            "Expiry or termination does not affect rights and liabilities accrued before it. The clauses "
            "on confidentiality, liability and governing law survive expiry or termination."
        ),
    ),
)

EN_CONFIDENTIALITY = ClauseTemplate(
    "Confidentiality",
    (
        (
            'Each Party (the "Recipient") shall keep confidential all information of a technical, '
            "commercial or financial nature disclosed to it by the other Party in connection with this "
            "Agreement, including its terms and the amounts payable under it, and shall use such "
            "information solely to perform this Agreement."
        ),
        (
            "The Recipient may disclose such information only to its employees, officers and professional "
            "advisers who need to know it and who are bound by obligations of confidentiality no less "
            "strict than this Clause."
        ),
        (
            "This Clause does not apply to information that is or becomes public other than through a "
            "breach of this Agreement, that was lawfully known to the Recipient before disclosure, or that "
            "must be disclosed by law or by order of a competent court or authority."
        ),
        ("The obligations in this Clause continue for five (5) years after expiry or termination of this Agreement."),
    ),
)

EN_LIABILITY = ClauseTemplate(
    "Limitation of Liability",
    (
        (
            "Neither Party is liable to the other for any indirect or consequential loss, or for any loss "
            "of profit, revenue, goodwill or data, however arising."
        ),
        (
            "Each Party's total aggregate liability under or in connection with this Agreement shall not "
            "exceed {amount}, save that nothing in this Agreement limits liability for fraud, wilful "
            "misconduct, breach of confidentiality, or death or personal injury caused by negligence."
        ),
    ),
)

EN_FORCE_MAJEURE = ClauseTemplate(
    "Force Majeure",
    (
        (
            "Neither Party is in breach of this Agreement or liable for any delay in performing its "
            "obligations if the delay results from events beyond its reasonable control, including natural "
            "disasters, epidemics, war, terrorism, governmental action and failure of public utilities or "
            "networks."
        ),
        (
            "The affected Party shall notify the other Party promptly and use reasonable endeavours to "
            "mitigate the effect of the event. If the event continues for more than ninety (90) days, "
            "either Party may terminate this Agreement by written notice."
        ),
    ),
)

EN_GOVERNING_LAW = ClauseTemplate(
    "Governing Law and Dispute Resolution",
    (
        (
            "This Agreement and any dispute or claim arising out of or in connection with it are governed "
            "by {governing_law}."
        ),
        (
            "The Parties shall first seek to settle any dispute through good-faith negotiations between "
            "senior executives. Any dispute not settled within thirty (30) days, including any question "
            "regarding the existence, validity or termination of this Agreement, shall be finally resolved "
            "by arbitration {arbitration}. The language of the arbitration shall be English."
        ),
    ),
)

EN_NOTICES = ClauseTemplate(
    "Notices",
    (
        (
            "Notices under this Agreement shall be in writing, shall quote contract number {number} and "
            "shall be delivered by hand, by international courier or by email to the addresses set out at "
            "the head of this Agreement, or to any other address that a Party notifies for this purpose."
        ),
        (
            "A notice sent by courier is deemed received on the third Business Day after dispatch; a "
            "notice sent by email is deemed received on the next Business Day after it is sent."
        ),
    ),
)

EN_GENERAL = ClauseTemplate(
    "General",
    (
        (
            "This Agreement, including its schedules, constitutes the entire agreement between the Parties "
            "and supersedes all prior negotiations, representations and understandings relating to its "
            "subject matter."
        ),
        (
            "No amendment of this Agreement is effective unless it is in writing, refers to contract "
            "number {number} and is signed by authorised representatives of both Parties."
        ),
        (
            "Neither Party may assign or transfer its rights or obligations without the prior written "
            "consent of the other Party, such consent not to be unreasonably withheld."
        ),
        (
            "This Agreement may be executed in counterparts, each of which is an original and which "
            "together constitute one instrument."
        ),
    ),
)
