"""Pactum demo data: twelve realistic contracts (Chinese and English, PDF and DOCX).

>>> contracts = build_demo_contracts(date(2025, 6, 1))  # doctest: +SKIP
>>> contracts[0].filename, contracts[0].metadata["contract_number"]  # doctest: +SKIP
('采购合同-华东精密-2024.pdf', 'PAC-CG-2024-017')

Layout: ``catalog`` (the contracts as data) and ``clauses`` (shared clauses) →
``compose`` (resolve dates, numbers, amounts into a ``ContractDocument``) →
``render_pdf`` / ``render_docx``. ``formatting`` holds the amount/date writers
(including Chinese capital amounts); the CJK font comes from :mod:`signer.fonts`.
"""

from .build import DemoContract, build_demo_contracts

__all__ = ["DemoContract", "build_demo_contracts"]
