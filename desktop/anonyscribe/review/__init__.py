"""Review, without Qt: one recording's session and what an action changes study-wide.

- ``session``: ``ReviewSession``, the one recording under review (decisions, manual
  findings, text fixes, speakers); every action saved at once, undoable, rolled back in
  memory when its save fails.
- ``study_wide``: ``StudyReview``, what an action changes beyond that recording: a text
  flagged across the study, the register (replacements, same-person merges).
- ``text``: where a flagged or edited text lands (pure).

Labels come from ``labels.py`` (``plan``/``render``), word timing from ``core/timeline.py``.
Import from the modules themselves: this package re-exports nothing.
"""
