"""A real SMTP server on loopback for the tests: aiosmtpd, with a handler that keeps mail."""

import email
import socket
from email.message import EmailMessage
from email.policy import default as default_policy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps every message accepted; refuses the addresses in `refused`."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def received_by(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def clear(self):
        self.messages.clear()


def subject_of(message: EmailMessage) -> str:
    """The decoded subject (Django folds a long encoded one after "Subject:", the parser
    keeps the fold's space)."""
    return message["Subject"].strip()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()
