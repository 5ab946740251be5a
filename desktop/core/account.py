"""The agent's account: settings plus secrets, turned into pbx-layer objects.

Both the command line and the tray app need the same three things from the
settings file and the keyring: the real-time channel's
:class:`~desktop.pbx.channels.Credentials`, a REST session for the account
type, and a description of what is missing when the account is incomplete.
This module is the one place that knows which secret each flavor/transport
needs:

============  =========  ==========================================
flavor        transport  real-time login uses
============  =========  ==========================================
bulut         tcp / ws   ``domain_uuid`` (from the settings)
tekil         tcp        the panel API key (secret ``api-key``)
tekil         ws         the API key, or the panel JWT (setting
                         ``ws_login_with_token``; obtained by logging in
                         with the panel e-mail and password)
============  =========  ==========================================

REST (click-to-call, CDRs, recordings, QR) always logs in with the e-mail
(``account.user``) and the password secret.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.logs import register_secret
from desktop.core.secrets import SecretName, SecretStore, env_user
from desktop.core.settings import Settings
from desktop.pbx.channels import Credentials, TokenProvider
from desktop.pbx.connection import Flavor, Transport
from desktop.pbx.rest import KobiPbxSession, TekilSession


class AccountIncomplete(Exception):
    """Something the account needs is missing (the message says what, in plain words)."""


@dataclass(frozen=True, slots=True)
class Account:
    settings: Settings
    secrets: SecretStore

    @property
    def flavor(self) -> Flavor:
        return self.settings.account.flavor

    @property
    def transport(self) -> Transport:
        return self.settings.account.transport

    @property
    def user(self) -> str:
        return env_user() or self.settings.account.user

    def secret(self, name: SecretName) -> str | None:
        value = self.secrets.get(name, self.user if name is SecretName.PASSWORD else "")
        register_secret(value)
        return value

    # -- REST ---------------------------------------------------------------

    def rest_session(self, *, base_url: str | None = None) -> TekilSession | KobiPbxSession:
        """A REST session for the account type (not yet logged in)."""
        password = self.secret(SecretName.PASSWORD)
        if not self.user or not password:
            raise AccountIncomplete(
                "the panel e-mail and password are not set (settings, keyring, or "
                "KOBIKOM_USER / KOBIKOM_PASSWORD)")
        cls = TekilSession if self.flavor is Flavor.TEKIL else KobiPbxSession
        return cls(self.user, password, base_url=base_url or self.settings.api_base(),
                   ca_file=self.settings.server.ca_file or None)

    # -- real-time channel ----------------------------------------------------

    def channel_credentials(self, session: TekilSession | KobiPbxSession | None = None,
                            *, token_provider: TokenProvider | None = None) -> Credentials:
        """What the real-time channel logs in with; raises AccountIncomplete.

        A Tekil WebSocket login with the panel JWT uses *token_provider* when
        given (the app's: always its current session), else *session*'s.
        """
        acct = self.settings.account
        if self.flavor is Flavor.BULUT:
            if not acct.domain_uuid:
                raise AccountIncomplete("the KobiPBX domain UUID is not set")
            register_secret(acct.domain_uuid)
            return Credentials(domain_uuid=acct.domain_uuid)
        token = self.secret(SecretName.PANEL_TOKEN)
        if self.transport is Transport.WS and (acct.ws_login_with_token or token):
            if token:
                return Credentials(token=token, crm_id=acct.crm_id)
            if token_provider is not None:
                return Credentials(token_provider=token_provider, crm_id=acct.crm_id)
            if session is None or not isinstance(session, TekilSession):
                raise AccountIncomplete(
                    "WebSocket login with a token needs the panel e-mail and password")
            return Credentials(token_provider=session.token, crm_id=acct.crm_id)
        api_key = self.secret(SecretName.API_KEY)
        if not api_key:
            raise AccountIncomplete(
                "the Tekil Santral API key is not set (settings, keyring, or KOBIKOM_API_KEY)")
        return Credentials(api_key=api_key, crm_id=acct.crm_id)
