// Form-body parsing and encoding; see form.hpp for the contract.
#include "oauth/form.hpp"

#include "oauth/percent.hpp"

namespace pinlink::oauth {
namespace {

std::optional<Params> split_pairs(std::string_view body) {
    constexpr PlusMeans plus = PlusMeans::space;
    Params out;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t amp = body.find('&', start);
        if (amp == std::string_view::npos) amp = body.size();
        const std::string_view pair = body.substr(start, amp - start);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string_view raw_name = pair.substr(0, eq);
            const std::string_view raw_value =
                eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            auto name = percent_decode(raw_name, plus);
            auto value = percent_decode(raw_value, plus);
            if (!name || !value) return std::nullopt;
            out.emplace_back(std::move(*name), std::move(*value));
        }
        start = amp + 1;
    }
    return out;
}

}  // namespace

std::optional<Params> parse_form(std::string_view body) { return split_pairs(body); }

std::string encode_form(const Params& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out.push_back('&');
        out += percent_encode(name);
        out.push_back('=');
        out += percent_encode(value);
    }
    return out;
}

std::optional<std::string> find_param(const Params& params, std::string_view name) {
    for (const auto& [n, v] : params) {
        if (n == name) return v;
    }
    return std::nullopt;
}

}  // namespace pinlink::oauth
