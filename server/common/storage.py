"""The photo store and the signer of its links, as the settings name them."""

from __future__ import annotations

from media.signing import UrlSigner
from media.storage import Storage, storage_from_url
from server.common.keys import subkey
from server.common.settings import Settings


def signer_for(settings: Settings) -> UrlSigner:
    """The signer of photo links, keyed from SECRET_KEY for this purpose only."""
    return UrlSigner(subkey(settings.secret_key, "media").encode())


def storage_for(settings: Settings) -> Storage:
    """The photo store `MEDIA_STORAGE` names."""
    return storage_from_url(
        settings.media_storage, endpoint_url=settings.s3_endpoint_url, signer=signer_for(settings)
    )
