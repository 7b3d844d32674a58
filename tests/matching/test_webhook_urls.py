"""Where webhooks may go: http(s) to public addresses only, however an address is spelled; and signatures as the
Standard Webhooks specification publishes them."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from matching.errors import InvalidInput
from matching.webhook_http import check_url
from matching.webhook_signing import new_secret, signed_headers

PRIVATE_V4 = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10",
              "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "192.0.2.0/24", "198.18.0.0/15", "192.0.0.0/24"]
PRIVATE_V6 = ["::1/128", "::/128", "fe80::/10", "fc00::/7", "ff00::/8", "2001:db8::/32", "100::/64"]
# Blocks of public addresses (European ISPs, public resolvers, hosting): any address in them is a fine target.
PUBLIC_V4 = ["1.1.1.0/24", "8.8.0.0/16", "62.0.0.0/8", "81.240.0.0/12", "93.184.0.0/16", "145.0.0.0/8", "185.0.0.0/8"]
PUBLIC_V6 = ["2001:4860::/32", "2606:4700::/32", "2a00::/12"]


def addresses_in(networks: list[str]) -> st.SearchStrategy:
    def pick(network: str, offset: int):
        net = ipaddress.ip_network(network)
        return net[offset % net.num_addresses]

    return st.builds(pick, st.sampled_from(networks), st.integers(min_value=0, max_value=2**64))


def spellings(address: ipaddress.IPv4Address) -> list[str]:
    """The ways a URL can name one IPv4 address that resolvers (inet_aton) or IPv6 carry."""
    value, (a, b, c, d) = int(address), address.packed
    return [
        str(address),
        str(value),  # decimal: http://2130706433/
        hex(value),  # hex: http://0x7f000001/
        f"{a:#x}.{b:#x}.{c:#x}.{d:#x}",  # dotted hex
        f"0{a:o}.0{b:o}.0{c:o}.0{d:o}",  # dotted octal
        f"{a}.{(b << 16) | (c << 8) | d}",  # short form: 127.1
        f"[::ffff:{address}]",  # IPv4-mapped IPv6
        f"[::ffff:{value >> 16:x}:{value & 0xFFFF:x}]",
        f"[2002:{value >> 16:x}:{value & 0xFFFF:x}::1]",  # 6to4
        f"[64:ff9b::{value >> 16:x}:{value & 0xFFFF:x}]",  # NAT64
        f"[::{address}]",  # IPv4-compatible (deprecated, still parsed)
        f"[::{value >> 16:x}:{value & 0xFFFF:x}]",
        f"[::ffff:0:{address}]",  # SIIT IPv4-translated
        f"[0:0:0:0:ffff:0:{value >> 16:x}:{value & 0xFFFF:x}]",
    ]


def refused(url: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_url(url, allow_private=False)
    assert caught.value.field == "url" and caught.value.code == "url_not_allowed"
    assert url not in caught.value.message  # never echoed
    return caught.value


@given(address=addresses_in(PRIVATE_V4), scheme=st.sampled_from(["http", "https", "HTTP"]),
       port=st.sampled_from(["", ":80", ":8080", ":65535"]), path=st.sampled_from(["", "/", "/hooks?x=1"]))
def test_every_spelling_of_a_private_ipv4_address_is_refused(address, scheme, port, path):
    for host in spellings(address):
        refused(f"{scheme}://{host}{port}{path}")


@given(address=addresses_in(PRIVATE_V6), port=st.sampled_from(["", ":443"]))
def test_private_ipv6_addresses_are_refused(address, port):
    refused(f"https://[{address}]{port}/hook")


@given(address=addresses_in(PUBLIC_V4), scheme=st.sampled_from(["http", "https"]))
def test_public_addresses_are_accepted(address, scheme):
    assert check_url(f"{scheme}://{address}/hooks/blindmatch", allow_private=False)
    assert check_url(f"{scheme}://[::ffff:{address}]/hooks", allow_private=False)


@given(address=addresses_in(PUBLIC_V6))
def test_public_ipv6_addresses_are_accepted(address):
    assert check_url(f"https://[{address}]:8443/in", allow_private=False)


@given(address=addresses_in(PUBLIC_V4))
def test_the_deprecated_ipv6_forms_carrying_ipv4_are_refused_even_around_a_public_address(address):
    # No receiver lives at ::a.b.c.d or ::ffff:0:a.b.c.d; a translator on the path would carry them to IPv4.
    refused(f"https://[::{address}]/hook")
    refused(f"https://[::ffff:0:{address}]/hook")


@pytest.mark.parametrize("url", ["http://localhost/hook", "http://LOCALHOST.:8000/", "http://localhost6/"])
def test_names_that_resolve_to_loopback_are_refused(url):
    refused(url)


@pytest.mark.parametrize("url", ["ftp://93.184.215.14/in", "file:///etc/passwd", "gopher://93.184.215.14/",
                                 "ws://93.184.215.14/", "http:///nohost", "https://user:secret@93.184.215.14/",
                                 "https://a.invalid/hook", "https://" + "a" * 2100 + ".org/"])
def test_other_schemes_credentials_unresolvable_names_and_long_urls_are_refused(url):
    refused(url)


@given(label=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20),
       allow_private=st.booleans())
def test_a_punycode_label_that_decodes_to_no_name_is_refused_in_words_not_with_an_error(label, allow_private):
    # httpx parses `xn--...` hosts and fails only when asked for the decoded host: that must be a refusal.
    url = f"https://xn--{label}.example/hook"
    try:
        check_url(url, allow_private=allow_private)
    except InvalidInput as error:
        assert error.field == "url" and url not in error.message


@given(address=addresses_in(PRIVATE_V4))
def test_the_operator_may_allow_private_addresses(address):
    assert check_url(f"http://{address}:8080/hook", allow_private=True)
    with pytest.raises(InvalidInput):
        check_url(f"ftp://{address}/hook", allow_private=True)  # still http(s) only


def test_signatures_match_the_specifications_published_example():
    # The test vector of the Standard Webhooks specification's reference libraries.
    headers = signed_headers("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
                             body='{"test": 2432232314}', at=datetime.fromtimestamp(1614265330, UTC))
    assert headers == {"webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                       "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}


def test_a_fresh_signature_verifies_and_a_changed_body_does_not():
    secret = new_secret()
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 44  # 32 bytes in base64
    body = '{"id":"evt_1","type":"candidate.decision","data":{"decision":"hired"}}'
    headers = signed_headers(secret, message_id="msg_abc", body=body, at=datetime.now(UTC))
    assert Webhook(secret).verify(body, headers)["data"] == {"decision": "hired"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("hired", "declined"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
