"""Pactum demo data: twelve realistic contracts (Chinese and English, PDF and DOCX).

A tool beside the app, not part of it: ``repo_app`` never imports this package. The app's
command line finds ``pactum demo`` (:mod:`demo.cli`) through the ``pactum.commands`` entry
points that setup.cfg declares.

>>> from demo.build import build_demo_contracts  # doctest: +SKIP
>>> contracts = build_demo_contracts(date(2025, 6, 1))  # doctest: +SKIP
>>> contracts[0].filename, contracts[0].metadata["contract_number"]  # doctest: +SKIP
('采购合同-华东精密-2024.pdf', 'PAC-CG-2024-017')

Layout: ``catalog`` (the contracts as data) and ``clauses`` (shared clauses) →
``compose`` (resolve dates, numbers, amounts into a ``ContractDocument``) →
``render_pdf`` / ``render_docx``, put together by ``build`` (bytes and metadata: no Flask, no
database). ``formatting`` holds the amount/date writers (including Chinese capital amounts);
the CJK font comes from :mod:`signer.fonts`. ``loader`` uploads the contracts into the app and
``cli`` is the ``pactum demo`` command.

This module imports nothing, so that listing the ``pactum`` commands stays cheap and works
without the ``demo`` extra (python-docx) installed.
"""
