"""Pydantic shapes of requests, responses, events and views. Pure: no database."""
