// Properties of the Authorization header parser (the local provider reads clients' headers with
// it): what it accepts has non-empty names and survives authorization_header -> parse unchanged,
// with or without a realm; and any pairs the signer might emit parse back to themselves.
#pragma once

#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "oauth/signature.hpp"

namespace pinlink::fuzz {

inline Failure check_auth_header(std::string_view input) {
    if (const auto parsed = oauth::parse_authorization_header(input)) {
        for (const auto& [name, value] : *parsed) {
            if (name.empty()) return fail("parsed an empty name", input);
        }
        const auto again = oauth::parse_authorization_header(oauth::authorization_header(*parsed));
        if (again != parsed)
            return fail("parse(authorization_header(parse(x))) != parse(x)", input);

        oauth::Params with_realm{{"realm", "Example"}};
        with_realm.insert(with_realm.end(), parsed->begin(), parsed->end());
        if (oauth::parse_authorization_header(oauth::authorization_header(*parsed, "Example")) !=
            with_realm) {
            return fail("a realm does not come back as the first pair", input);
        }
    }

    // The input as NUL-separated name, value, ... pairs (empty names are not valid OAuth).
    oauth::Params built;
    const auto pieces = split_nul(input);
    for (std::size_t i = 0; i < pieces.size(); i += 2) {
        if (pieces[i].empty()) continue;
        built.emplace_back(std::string(pieces[i]),
                           i + 1 < pieces.size() ? std::string(pieces[i + 1]) : std::string());
    }
    if (oauth::parse_authorization_header(oauth::authorization_header(built)) != built) {
        return fail("parse(authorization_header(pairs)) != pairs", input);
    }
    return std::nullopt;
}

}  // namespace pinlink::fuzz
