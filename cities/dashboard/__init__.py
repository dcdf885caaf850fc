"""The signed-in home: ``/dashboard/`` gathers, for each role a person holds, what needs them.

The directory contributes its own sections (``selectors``): the cities a person keeps, with
their completeness and what to fill in next, and the curators' queues. Apps above it add
theirs through the registry (``registry.register_section``) from their ``AppConfig.ready``,
so this package names nothing of them (docs/architecture.md, "One direction between apps").
"""
