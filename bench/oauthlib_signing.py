#!/usr/bin/python3
# python3-oauthlib's side of the signing row in docs/performance.md: the request bench_signing
# signs (POST https://api.x.com/oauth/access_token with a token, its secret and oauth_verifier),
# signed with a fresh nonce and timestamp each time (oauthlib makes them), timed with timeit.
# Prints one JSON object: signatures per second (the median of five repeats, like the C++
# rows, which are medians too) and the signature for the fixed nonce and timestamp, which must equal pinlink's and liboauth's.
import json
import statistics
import sys
import time
import timeit

from oauthlib import oauth1

CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
TOKEN = "NPcudxy0yU5T3tBzho7iCotZ3cnetKwcTIRlX0iwRl0"
TOKEN_SECRET = "veNRnAWe6inFuo8o2u8SLLZLjolYDmDP7SzL0YfYI"
URL = "https://api.x.com/oauth/access_token"
VERIFIER = "4829105"
FIXED_NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
FIXED_TIMESTAMP = "1700000000"


def client(**fixed):
    return oauth1.Client(CONSUMER_KEY, client_secret=CONSUMER_SECRET, resource_owner_key=TOKEN,
                         resource_owner_secret=TOKEN_SECRET, verifier=VERIFIER,
                         signature_type=oauth1.SIGNATURE_TYPE_AUTH_HEADER, **fixed)


def sign_once(c):
    _, headers, _ = c.sign(URL, http_method="POST")
    return headers["Authorization"]


def main():
    fixed = sign_once(client(nonce=FIXED_NONCE, timestamp=FIXED_TIMESTAMP))
    signature = oauth1.rfc5849.utils.unescape(
        fixed.split('oauth_signature="', 1)[1].split('"', 1)[0])

    number = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    result = {"signature": signature, "number": number}
    # fresh: no nonce or timestamp given, oauthlib makes new ones on every sign();
    # fixed: the cross-check's nonce and timestamp, the signing work alone.
    for name, c in (("fresh", client()),
                    ("fixed", client(nonce=FIXED_NONCE, timestamp=FIXED_TIMESTAMP))):
        # CPU time of this process, like Google Benchmark's rates: other work on a shared
        # machine then slows neither side of the ratio.
        repeats = timeit.repeat(lambda: sign_once(c), number=number, repeat=5,
                                timer=time.process_time)
        rates = [number / seconds for seconds in repeats]
        result[name] = {"signatures_per_s": statistics.median(rates), "runs": rates}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
