"""/api/v1/tokens/: list, create and revoke your own API tokens."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from knox.models import AuthToken
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from programs.api.base import ERROR_RESPONSES
from programs.tokens import MAX_EXPIRY_DAYS, create_token, tokens_of


class TokenSerializer(serializers.ModelSerializer):
    expiry_days = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, min_value=1, max_value=MAX_EXPIRY_DAYS,
        help_text="Lifetime in days (1-3650); omit or null for a token that never expires.",
    )

    class Meta:
        model = AuthToken
        fields = ["token_key", "created", "expiry", "expiry_days"]
        read_only_fields = ["token_key", "created", "expiry"]
        extra_kwargs = {
            "token_key": {"help_text": "First 15 characters of the token: its public identifier."},
            "expiry": {"help_text": "When the token stops working; null = never."},
        }


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token itself. Shown once: store it now.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


_errors = {c: ERROR_RESPONSES[c] for c in (400, 401, 404, 429)}


@extend_schema_view(
    list=extend_schema(summary="Your API tokens", responses={200: TokenSerializer(many=True), **_errors}),
    create=extend_schema(
        summary="Create an API token", request=TokenSerializer, responses={201: NewTokenSerializer, **_errors}
    ),
    destroy=extend_schema(summary="Revoke an API token", responses={204: None, **_errors}),
)
class TokenViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Any signed-in user manages their own tokens; send one as ``Authorization: Token <token>``."""

    serializer_class = TokenSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_field = "token_key"
    pagination_class = None

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return tokens_of(self.request.user)  # type: ignore[arg-type]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = TokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance, token = create_token(request.user, serializer.validated_data.get("expiry_days"))  # type: ignore[arg-type]
        data = dict(TokenSerializer(instance).data)
        data["token"] = token
        return Response(data, status=201)
