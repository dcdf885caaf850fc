"""Accounts: sign-in, profile, sign-up, invitations to a city's staff, join requests."""
