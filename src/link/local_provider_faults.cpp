// Names of the local provider's fault modes and endpoints; see local_provider_faults.hpp.
#include "link/local_provider_faults.hpp"

#include <array>
#include <utility>

namespace pinlink::link {
namespace {

constexpr std::array<std::pair<Fault, std::string_view>, 11> kFaultNames{{
    {Fault::none, "none"},
    {Fault::never_answer, "never_answer"},
    {Fault::slow, "slow"},
    {Fault::reset, "reset"},
    {Fault::status_500, "status_500"},
    {Fault::status_503, "status_503"},
    {Fault::rate_limited, "rate_limited"},
    {Fault::not_a_token, "not_a_token"},
    {Fault::oversized, "oversized"},
    {Fault::wrong_certificate, "wrong_certificate"},
    {Fault::date_far_off, "date_far_off"},
}};

constexpr std::array<std::pair<Endpoint, std::string_view>, 5> kEndpointNames{{
    {Endpoint::request_token, "request_token"},
    {Endpoint::authorize, "authorize"},
    {Endpoint::access_token, "access_token"},
    {Endpoint::users_me, "users_me"},
    {Endpoint::all, "all"},
}};

}  // namespace

std::string_view to_string(Fault fault) {
    for (const auto& [value, name] : kFaultNames) {
        if (value == fault) return name;
    }
    return "unknown";
}

std::string_view to_string(Endpoint endpoint) {
    for (const auto& [value, name] : kEndpointNames) {
        if (value == endpoint) return name;
    }
    return "unknown";
}

std::optional<Fault> parse_fault(std::string_view name) {
    for (const auto& [value, known] : kFaultNames) {
        if (known == name) return value;
    }
    return std::nullopt;
}

std::optional<Endpoint> parse_endpoint(std::string_view name) {
    for (const auto& [value, known] : kEndpointNames) {
        if (known == name) return value;
    }
    return std::nullopt;
}

}  // namespace pinlink::link
