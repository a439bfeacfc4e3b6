"""The ``exact_json`` serialization format: Django's JSON, with times to the microsecond.

Why: Django's JSON encoder cuts datetimes and times to milliseconds (ECMA-262's format), so a backup
restored changed every sub-millisecond timestamp (``created_at``, history dates). This format writes
the full ISO 8601 value; Django's JSON deserializer reads it as it is, so ``loaddata`` restores a
``.json`` backup written in this format unchanged. Registered in ``SERIALIZATION_MODULES``; used by
``manage.py backup`` and ``adctrack.backup.digest``. It changes nothing else of the JSON format.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()  # type: ignore[misc]
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = JSONDeserializer
