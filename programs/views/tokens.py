"""/account/tokens/: each signed-in user lists, creates (token shown once) and revokes their API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from programs.tokens import MAX_EXPIRY_DAYS, create_token, revoke_token, tokens_of


class TokenForm(forms.Form):
    expiry_days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_EXPIRY_DAYS, label="Expires after (days)",
        help_text="Leave empty for a token that never expires.",
    )


def _render(request: HttpRequest, form: TokenForm, new_token: str | None = None, status: int = 200) -> HttpResponse:
    tokens = list(tokens_of(request.user))  # type: ignore[arg-type]
    return render(
        request, "programs/token_list.html", {"tokens": tokens, "form": form, "new_token": new_token}, status=status
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _render(request, TokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it once, on this response only (never stored in clear)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    _, token = create_token(request.user, form.cleaned_data.get("expiry_days"))  # type: ignore[arg-type]
    response = _render(request, TokenForm(), new_token=token)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    if revoke_token(request.user, token_key):  # type: ignore[arg-type]
        messages.success(request, f"Token {token_key}… revoked.")
    else:
        messages.error(request, "No such token.")
    return redirect("programs:token_list")
