// Properties of the form-body parser (X's token replies, signed query strings): it accepts
// exactly the inputs whose escapes are well formed, and encode_form / parse_form round-trip.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "oauth/form.hpp"

namespace pinlink::fuzz {

// The input itself as a form body, then the input as arbitrary pairs (NUL-separated
// name, value, name, value, ...) that must survive encode_form -> parse_form unchanged.
inline Failure check_form(std::string_view input) {
    const auto parsed = oauth::parse_form(input);
    if (parsed.has_value() != escapes_well_formed(input)) {
        return fail(parsed ? "parse_form accepted a malformed escape"
                           : "parse_form rejected well-formed escapes",
                    input);
    }
    if (parsed) {
        std::size_t segments = 0;  // non-empty '&'-separated segments: one pair each
        std::size_t start = 0;
        while (start <= input.size()) {
            std::size_t amp = input.find('&', start);
            if (amp == std::string_view::npos) amp = input.size();
            if (amp > start) ++segments;
            start = amp + 1;
        }
        if (parsed->size() != segments) return fail("pair count != non-empty segments", input);

        const std::string encoded = oauth::encode_form(*parsed);
        const auto again = oauth::parse_form(encoded);
        if (!again) return fail("encode_form output does not parse", input);
        if (*again != *parsed) return fail("parse(encode(parse(x))) != parse(x)", input);
        if (oauth::encode_form(*again) != encoded) return fail("encode_form not stable", input);
        for (const auto& [name, value] : *parsed) {
            const auto found = oauth::find_param(*parsed, name);
            if (!found) return fail("find_param misses a parsed name", input);
        }
    }

    oauth::Params built;
    const auto pieces = split_nul(input);
    for (std::size_t i = 0; i < pieces.size(); i += 2) {
        built.emplace_back(std::string(pieces[i]),
                           i + 1 < pieces.size() ? std::string(pieces[i + 1]) : std::string());
    }
    const auto back = oauth::parse_form(oauth::encode_form(built));
    if (!back || *back != built) return fail("parse_form(encode_form(pairs)) != pairs", input);
    return std::nullopt;
}

}  // namespace pinlink::fuzz
