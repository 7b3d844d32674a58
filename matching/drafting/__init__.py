"""From a job ad's words to a proposed vacancy: every item with the words it came from and the
probability that the employer requires it. Pure functions over text and a fitted linker; nothing here
stores or logs the ad (the service answers it and forgets it)."""

from matching.drafting.draft import Draft, DraftItem, Source, draft_vacancy

__all__ = ["Draft", "DraftItem", "Source", "draft_vacancy"]
