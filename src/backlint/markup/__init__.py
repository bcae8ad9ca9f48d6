"""Markup converters: ticket descriptions in any format → one normalised plain text.

Backlint's rules read plain "Markdown-like" text that is the same whatever the source
format: ``## Heading`` lines, ``- item`` / ``1. item`` lists (two spaces per nesting level),
``- [ ]`` / ``- [x]`` checkboxes, ``` fenced code, `` `inline code` ``, table rows as
``a | b``, quotes as ``> `` lines, links as ``text (url)``, mentions as ``@Name``.

* :func:`adf_to_text` — Atlassian Document Format (Jira Cloud REST v3)
* :func:`wiki_to_text` — Jira wiki markup (Server/Data Center REST v2)
* :func:`markdown_to_text` — GitHub-flavoured Markdown
* :func:`markdown_to_adf` / :func:`markdown_to_wiki` — backlint's own comment Markdown to
  Jira formats; a ``<!-- backlint:... -->`` marker line survives as visible text.

All converters are pure functions and never raise on malformed input.
"""

from backlint.markup.adf import adf_to_text
from backlint.markup.adf_from_markdown import markdown_to_adf
from backlint.markup.markdown import markdown_to_text
from backlint.markup.wiki import markdown_to_wiki, wiki_to_text

__all__ = ["adf_to_text", "markdown_to_adf", "markdown_to_text", "markdown_to_wiki", "wiki_to_text"]
