"""The person's own API tokens, in their account: create (the secret shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from indicators.api.forms import TokenForm
from indicators.api.models import ApiToken
from indicators.api.tokens import token_create, token_revoke

TOKENS_PER_PAGE = 25


@login_required
def token_list(request):
    """The person's tokens, and a form to create one; a new token's secret shows once, here."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(owner=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None if not hasattr(error, "error_dict") else "name", error)
        else:
            messages.success(request, _("The token “%(name)s” was created.") % {"name": token.name})
            form = TokenForm()
    tokens = Paginator(
        ApiToken.objects.filter(owner=request.user).order_by("revoked_at", "-created_at", "-pk"),
        TOKENS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "api/token_list.html",
        {
            "form": form,
            "secret": secret,
            "tokens": tokens,
            "api_root": request.build_absolute_uri(reverse("api:documentation")),
        },
    )


@require_POST
@login_required
def token_revoke_view(request, pk):
    """Revoke one of the person's own tokens (another person's: 404)."""
    token = get_object_or_404(ApiToken, owner=request.user, pk=pk)
    token_revoke(owner=request.user, token_id=token.pk)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:token_list")


@require_safe
def documentation(request):
    """The API explained in French: tokens, the header, the endpoints, Excel and Power BI."""
    return render(
        request,
        "api/documentation.html",
        {"api_root": request.build_absolute_uri(reverse("api:documentation"))},
    )
