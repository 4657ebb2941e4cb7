"""Dashboards, the report builder and exports (the contract ledger as XLSX, CSV and PDF)."""
