"""Money: payment plans, payments received and made, invoices and balances per contract and counterparty."""
