from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..models import ContentFlag, FlagReason, JoinRequest, StaffRole, UserProfile
from ..notifications.services import email_address, language_or_default, preferences_for


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("For password resets and notices."))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address exists. Sign in or reset its password.")
            )
        return email


class ProfileForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Browser default")), *settings.LANGUAGES],
        required=False,
        help_text=_("Used for the interface after you sign in, and for e-mails to you."),
    )

    class Meta:
        model = UserProfile
        fields = ["preferred_language", "digest_opt_out"]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices, initial=StaffRole.EDITOR)
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The e-mail is written in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language_or_default(get_language())

    def clean_language(self) -> str:
        # Not chosen: the language the inviting person uses the site in.
        return self.cleaned_data["language"] or language_or_default(get_language())


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, with its e-mail written to the outbox in the user's language, so a
    mail server or broker that is down neither loses it nor fails the page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        email_address(
            to_email=to_email,
            kind="password_reset",
            language=preferences_for(user).language,
            url=f"{context['protocol']}://{context['domain']}{path}",
            context={"recipient": user},
        )


class JoinRequestForm(forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "message": _("Tell the city's administrators who you are and what you do for the city.")
        }


class ReportProblemForm(forms.ModelForm):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=FlagReason.choices)

    class Meta:
        model = ContentFlag
        fields = ["reason", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}
