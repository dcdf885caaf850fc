"""Programme URLs, included from partnerships/urls.py (namespace ``partnerships``)."""

from django.urls import path

from . import views

urlpatterns = [
    # An organisation's curators: who organises programmes for it, and hosting requests.
    path(
        "organisations/<slug:org_slug>/programme-organisers/",
        views.organisation_organisers,
        name="programme_organisers",
    ),
    path(
        "organisations/<slug:org_slug>/programme-organisers/<int:pk>/revoke/",
        views.organisation_organiser_revoke,
        name="programme_organiser_revoke",
    ),
    path(
        "organisations/<slug:org_slug>/hosting/",
        views.organisation_hosting,
        name="programme_hosting",
    ),
    path(
        "organisations/<slug:org_slug>/hosting/<int:pk>/",
        views.organisation_hosting_decide,
        name="programme_hosting_decide",
    ),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme_detail"),
    path("programmes/<slug:slug>/print/", views.programme_print, name="programme_print"),
    path("programmes/<slug:slug>/programme.ics", views.programme_ical, name="programme_ical"),
    path(
        "programmes/<slug:slug>/p/<str:token>/",
        views.participant_schedule,
        name="participant_schedule",
    ),
    path(
        "programmes/<slug:slug>/p/<str:token>/schedule.ics",
        views.participant_ical,
        name="participant_ical",
    ),
    path("programmes/<slug:slug>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/status/", views.programme_status, name="programme_status"),
    path("programmes/<slug:slug>/organise/", views.programme_organise, name="programme_organise"),
    path(
        "programmes/<slug:slug>/delegations/new/",
        views.delegation_create,
        name="programme_delegation_create",
    ),
    path(
        "programmes/<slug:slug>/participants/new/",
        views.participant_add,
        name="programme_participant_add",
    ),
    path(
        "programmes/<slug:slug>/participants/<int:pk>/remove/",
        views.participant_remove,
        name="programme_participant_remove",
    ),
    path("programmes/<slug:slug>/agenda/", views.agenda_organise, name="programme_agenda"),
    path(
        "programmes/<slug:slug>/agenda/new/",
        views.agenda_item_edit,
        name="programme_agenda_item_create",
    ),
    path(
        "programmes/<slug:slug>/agenda/<int:pk>/edit/",
        views.agenda_item_edit,
        name="programme_agenda_item_edit",
    ),
    path(
        "programmes/<slug:slug>/agenda/<int:pk>/delete/",
        views.agenda_item_delete,
        name="programme_agenda_item_delete",
    ),
    path("programmes/<slug:slug>/matchmaking/", views.matchmaking, name="programme_matchmaking"),
    path(
        "programmes/<slug:slug>/matchmaking/invite/",
        views.host_invite,
        name="programme_host_invite",
    ),
    path("programmes/<slug:slug>/meetings/", views.meetings_organise, name="programme_meetings"),
    path(
        "programmes/<slug:slug>/meetings/slots/new/",
        views.meeting_slots_create,
        name="programme_slots_create",
    ),
    path(
        "programmes/<slug:slug>/meetings/slots/<int:pk>/delete/",
        views.meeting_slot_delete,
        name="programme_slot_delete",
    ),
    path(
        "programmes/<slug:slug>/meetings/wishes/new/",
        views.meeting_wish_add,
        name="programme_wish_add",
    ),
    path(
        "programmes/<slug:slug>/meetings/wishes/<int:pk>/delete/",
        views.meeting_wish_delete,
        name="programme_wish_delete",
    ),
    path(
        "programmes/<slug:slug>/meetings/schedule/",
        views.meetings_schedule,
        name="programme_schedule",
    ),
    path(
        "programmes/<slug:slug>/meetings/new/",
        views.meeting_create,
        name="programme_meeting_create",
    ),
    path(
        "programmes/<slug:slug>/meetings/<int:pk>/move/",
        views.meeting_move,
        name="programme_meeting_move",
    ),
    path(
        "programmes/<slug:slug>/meetings/<int:pk>/lock/",
        views.meeting_lock,
        name="programme_meeting_lock",
    ),
    path(
        "programmes/<slug:slug>/meetings/<int:pk>/delete/",
        views.meeting_delete,
        name="programme_meeting_delete",
    ),
]
