"""The user guide: help pages in Chinese and English, linked from every page's header."""
