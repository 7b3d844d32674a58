"""Funders' figures: the programme report and the ranking's accuracy, computed on plain data (no ORM)."""
