"""REST API of the programmes app (``/api/v1/``): serializers, viewsets and shared API machinery."""
