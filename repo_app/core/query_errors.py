"""The search query language's syntax errors in the user's language.

The parser (``indexer.search.query``) names each problem with a code and its details
(``QuerySyntaxError.code`` / ``.params``); this table says each in words Babel translates.
``tests/search/test_query_error_messages.py`` checks that every code of the parser is here.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from indexer.search.errors import QuerySyntaxError

#: Parser code → message template (``%``-formatted with the error's params).
MESSAGES = {
    "lone_minus": _l("“-” must be directly followed by the word, phrase or group to exclude"),
    "empty_phrase": _l('the quotes “""” hold nothing to search for'),
    "unknown_field": _l("“%(field)s:” is not a field; use one of %(fields)s"),
    "field_without_value": _l("the field “%(field)s:” has no value"),
    "unmatched_close": _l("this “)” has no matching “(”"),
    "unclosed_group": _l("this “(” is never closed"),
    "empty_group": _l("the parentheses “()” are empty"),
    "nothing_before": _l("“%(operator)s” needs a term before it"),
    "nothing_after": _l("“%(operator)s” must be followed by a term"),
    "nothing_to_exclude": _l("“%(operator)s” must be followed by a term to exclude"),
    "nested_field": _l("a field prefix cannot contain another field prefix"),
    "unexpected_end": _l("the query ends where a term was expected"),
    "unexpected": _l("“%(text)s” is not expected here"),
    "bare_wildcard": _l("a wildcard needs at least one character before “*”"),
    "inner_wildcard": _l("only a trailing wildcard is supported (“word*”)"),
    "fuzzy_distance": _l("the fuzzy distance must be 1 or 2 (“%(word)s~” or “%(word)s~2”), not “%(distance)s”"),
    "bare_fuzzy": _l("“~” needs a word before it"),
}


def query_syntax_message(error: Exception) -> str:
    """The translated sentence for a :class:`QuerySyntaxError`; the parser's English words
    for a code this table does not know (never reached while the test above passes)."""
    code = error.code if isinstance(error, QuerySyntaxError) else ""
    params = error.params if isinstance(error, QuerySyntaxError) else {}
    position = error.position if isinstance(error, QuerySyntaxError) else None
    template = MESSAGES.get(code)
    if template is None:
        return _("The search query is not valid: %(reason)s", reason=str(error))
    problem = str(template) % params
    if position is None:
        return _("The search query is not valid: %(reason)s", reason=problem)
    return _("The search query is not valid: %(reason)s (at character %(n)d).", reason=problem, n=position + 1)
