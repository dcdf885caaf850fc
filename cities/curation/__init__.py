"""Curation for organisations: queue, verification, publishing, import and export."""
