from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.exports.helpers import user_in


@pytest.fixture
def bd_client(db: None) -> Client:
    client = Client()
    client.force_login(user_in("bd"))
    return client


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path

