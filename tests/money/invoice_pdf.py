"""A PDF laid out like a Chinese fully digitalised invoice (数电票), drawn with reportlab in the
installed CJK font: the title, number and date at the top, buyer and seller side by side, the
item line, the 合计 line and 价税合计 in words and figures."""

from __future__ import annotations

import io
from dataclasses import dataclass

BUYER_ID = "91440300708461136T"
SELLER_ID = "91310115MA1H7XQ25K"


@dataclass(frozen=True)
class InvoiceSample:
    number: str = "24442000000123456789"
    day: str = "2026年03月05日"
    buyer: str = "深圳市腾讯计算机系统有限公司"
    buyer_id: str = BUYER_ID
    seller: str = "上海浦江机电有限公司"
    seller_id: str = SELLER_ID
    amount: str = "100000.00"
    rate: str = "13%"
    tax: str = "13000.00"
    total: str = "113000.00"
    total_words: str = "壹拾壹万叁仟圆整"


def invoice_pdf(sample: InvoiceSample = InvoiceSample()) -> bytes:
    from reportlab.lib.pagesizes import landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from signer.fonts import register_reportlab_font

    register_reportlab_font("PactumInvoiceCJK")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape((140 * mm, 240 * mm)), invariant=1)

    def text(x: float, y: float, value: str, size: float = 9) -> None:
        page.setFont("PactumInvoiceCJK", size)
        page.drawString(x * mm, y * mm, value)

    page.setTitle("电子发票")
    text(80, 128, "电子发票（增值税专用发票）", 14)
    text(170, 130, f"发票号码：{sample.number}")
    text(170, 124, f"开票日期：{sample.day}")
    page.rect(8 * mm, 92 * mm, 224 * mm, 26 * mm)
    text(10, 108, "购")
    text(10, 103, "买")
    text(10, 98, "方")
    text(20, 110, f"名称：{sample.buyer}")
    text(20, 100, f"统一社会信用代码/纳税人识别号：{sample.buyer_id}")
    text(122, 108, "销")
    text(122, 103, "售")
    text(122, 98, "方")
    text(132, 110, f"名称：{sample.seller}")
    text(132, 100, f"统一社会信用代码/纳税人识别号：{sample.seller_id}")
    header = ("项目名称", "规格型号", "单位", "数量", "单价", "金额", "税率/征收率", "税额")
    row = ("*机械设备*数控机床", "XK-714", "台", "1", sample.amount, sample.amount, sample.rate, sample.tax)
    columns = (10, 60, 88, 102, 118, 145, 175, 205)
    for x, title, value in zip(columns, header, row, strict=True):
        text(x, 84, title)
        text(x, 76, value)
    text(10, 50, "合        计")
    text(145, 50, f"¥{sample.amount}")
    text(205, 50, f"¥{sample.tax}")
    text(10, 40, "价税合计（大写）")
    text(45, 40, f"⊗{sample.total_words}")
    text(160, 40, f"（小写）¥{sample.total}")
    text(10, 25, "备注")
    text(10, 10, "开票人：王芳")
    page.showPage()
    page.save()
    return buffer.getvalue()
