"""Editing a city profile: forms, services and views for city staff and curators."""
