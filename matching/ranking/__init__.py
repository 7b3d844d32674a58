"""Scoring, ranking and explaining candidates from plain facts and arrays. Pure: no database."""
