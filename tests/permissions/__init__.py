"""The permission matrix: every URL pattern × every HTTP method it accepts × every persona.

``test_matrix.py`` walks the project's URL resolver (recursively, every include) and fails for
any pattern without an entry, for any entry naming a pattern that no longer exists, and for any
method a view accepts that its entry does not declare. So every URL must say who may use it.

How to add entries (other areas: do this in YOUR OWN module)
-------------------------------------------------------------

Create ``tests/permissions/matrix_<area>.py`` (e.g. ``matrix_programmes.py``) with a
module-level ``ENTRIES: list[Entry]``. Modules named ``matrix_*.py`` here are collected
automatically; nothing else needs registering. Example::

    from tests.cities.factories import OfficialFactory
    from .matrix import CITY_EDITORS, EVERYONE, Entry

    ENTRIES = [
        Entry("cities:detail", kwargs=lambda w: {"slug": w.city.slug}, methods={"GET": EVERYONE}),
        Entry(
            "cities:official_edit",
            kwargs=lambda w: {"slug": w.city.slug, "pk": OfficialFactory(city=w.city).pk},
            methods={"GET": CITY_EDITORS, "POST": CITY_EDITORS},
            data=lambda w, kwargs: {"name": "Mayor (sample)", "role": "mayor"},
        ),
    ]

``Entry`` fields (see ``matrix.py``):

- ``name``: the pattern's full name with namespaces (``"partnerships:request_new"``), or for an
  unnamed pattern its full route (``"route:cities/<slug:slug>/x/"``). ``"admin:*"`` covers every
  pattern of a namespace (only the Django admin uses this; it is checked on sample URLs).
- ``kwargs(world) -> dict``: the URL kwargs, built from the world's objects (it may create
  objects with factories, e.g. an official of ``world.city``). Default: no kwargs.
- ``methods``: ``{"GET": personas allowed, "POST": personas allowed, …}``. Declare every method
  the view accepts (GET, POST, PUT, PATCH, DELETE; HEAD/OPTIONS are not checked). Personas not
  in the set must be denied. Use the groups from ``matrix.py``: ``EVERYONE``, ``SIGNED_IN``,
  ``CITY_STAFF`` (this city's staff + site admin), ``CITY_EDITORS`` (+ curator of the city's
  organisation), ``CURATORS`` (any curator + admin), ``ORG_CURATORS`` (curator of this
  organisation + admin), ``ADMIN_ONLY``, ``NOBODY``; or a set of persona names.
- ``query``: a query string appended to the URL (``"?to=recife"``), or ``query(world) -> str``.
- ``data(world, kwargs) -> dict``: the form data for POST/PUT/PATCH. Default ``{}``. Give valid
  data when you want the test to exercise the write; an empty POST that re-renders the form
  with errors (200) also counts as "allowed" — what matters here is who gets past the door.
- ``content_type``: e.g. ``"application/json"`` for JSON bodies (``data`` is then encoded).
- ``headers``: extra request headers, e.g. ``{"HX-Request": "true"}``.
- ``reason``: one line saying who may use it and why, shown when the entry fails.

A pattern may have several entries (variants: another query string, another object); each is
checked on its own, and together they count as the pattern's entry.

The world (``world`` argument) — built fresh for every single check (one test per entry ×
method × persona), so a POST may change data freely:

- ``world.city`` (slug "kafue", published, member of ``world.organisation``) — "this city";
  ``world.other_city`` (slug "recife", member of ``world.other_organisation``).
- ``world.organisation`` (slug "dst"), ``world.other_organisation`` (slug "net").
- ``world.users[persona]``: the user of each persona (``None`` for ``anonymous``).

Personas: ``anonymous``; ``member`` (signed in, no role); ``staff_other`` (editor of recife);
``staff_this`` (editor of kafue); ``curator_other`` (curator of "net"); ``curator_this``
(curator of "dst", so of kafue); ``organiser`` (holds the programme organiser role, granted
for "dst" by its curator, and organises the programmes' matrix programme — no city role);
``admin`` (site admin, superuser).

What the test counts as allowed and denied
------------------------------------------

- allowed: 200, 201, 204, or a redirect (301/302/303/307/308) that does NOT go to a sign-in page.
  A 200 that re-renders a form with errors is allowed (the user got past the permission check).
- denied: 403 or 404 (404 is how we hide what a user may not know exists, e.g. an
  unpublished city), 405 never (see below), or a redirect to a sign-in page
  (``settings.LOGIN_URL`` or the admin's login) — the usual answer for anonymous users.
- anything else (500, 400, 405 for a declared method, 429) fails the check with a message.
- undeclared methods: for each of GET, POST, PUT, PATCH, DELETE not in ``methods`` the site
  admin must get 405 (or a denial) — so a view that silently accepts POST must declare it
  (or use ``@require_safe`` / ``@require_POST`` / ``http_method_names``).

The cache is cleared before every check (rate limits must not leak between checks), and
django-axes' lockout records live in the test database.
"""
