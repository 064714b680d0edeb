#!/usr/bin/python3
# Independent signer for tests/test_oauthlib_crosscheck.cpp: signs every request described in a
# JSON file with python3-oauthlib's RFC 5849 functions and writes what it computed.
#
# Usage: /usr/bin/python3 -I oauthlib_sign.py REQUESTS.json RESULTS.json
# Each request: method, url, form [[name, value]...] (decoded pairs), consumer_key,
# consumer_secret, token ("" for none), token_secret, nonce, timestamp, include_version,
# extra_oauth [[name, value]...], authorization (pinlink's header, only parsed here).
# The protocol parameters are rebuilt from the raw fields here, never taken from pinlink, and
# travel through an oauthlib-made Authorization header, the way oauthlib itself collects them.
import json
import sys
import types
import urllib.parse

from oauthlib.oauth1.rfc5849 import parameters, signature, utils


def protocol_params(req):
    params = [
        ("oauth_consumer_key", req["consumer_key"]),
        ("oauth_nonce", req["nonce"]),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", str(req["timestamp"])),
    ]
    if req["token"]:
        params.append(("oauth_token", req["token"]))
    if req["include_version"]:
        params.append(("oauth_version", "1.0"))
    params.extend((name, value) for name, value in req["extra_oauth"])
    return params


def sign(req):
    oauth = protocol_params(req)
    headers = parameters.prepare_headers(oauth)
    collected = signature.collect_parameters(
        uri_query=urllib.parse.urlparse(req["url"]).query,
        body=[(name, value) for name, value in req["form"]],
        headers=headers,
        exclude_oauth_signature=True)
    normalized = signature.normalize_parameters(collected)
    base_uri = signature.base_string_uri(req["url"])
    base = signature.signature_base_string(req["method"], base_uri, normalized)
    client = types.SimpleNamespace(client_secret=req["consumer_secret"],
                                   resource_owner_secret=req["token_secret"])
    sig = signature.sign_hmac_sha1_with_client(base, client)

    # pinlink's header, read by oauthlib's own parser: values are unescaped exactly once.
    try:
        parsed = [[k, utils.unescape(v)]
                  for k, v in utils.parse_authorization_header(req["authorization"])]
        header_error = ""
    except ValueError as e:
        parsed, header_error = [], str(e)
    expected = [[k, v] for k, v in oauth] + [["oauth_signature", sig]]
    return {
        "id": req["id"],
        "base_string": base,
        "signature": sig,
        "header_params": sorted(parsed),
        "expected_header_params": sorted(expected),
        "header_error": header_error,
    }


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: oauthlib_sign.py REQUESTS.json RESULTS.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        requests = json.load(f)
    results = [sign(req) for req in requests]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
