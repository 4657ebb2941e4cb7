"""Review: comments anchored to a version's text, the clause checklist and periodic review.

Deviations from the standard text (they need templates) belong to drafting; see checklist.py.
"""
