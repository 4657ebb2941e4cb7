"""Approval workflows: admin-defined levels, routing rules, approvals and decisions."""
