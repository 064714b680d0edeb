// application/x-www-form-urlencoded bodies: the shape of X's token replies and of signed
// form parameters. Order and duplicates are kept, as OAuth signs every pair.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pinlink::oauth {

using Param = std::pair<std::string, std::string>;
using Params = std::vector<Param>;

// Splits on '&', then on the first '='; a pair without '=' has an empty value ("c2" -> c2="").
// Empty segments ("a=1&&b=2") are skipped. '+' decodes to a space. Returns nullopt if any
// name or value has a malformed percent escape. RFC 5849 section 3.4.1.3.1 decodes a URL's
// query the same way, so this serves both.
std::optional<Params> parse_form(std::string_view body);

// name=value&... with RFC 3986 encoding of both (so a space is %20, which every server accepts).
std::string encode_form(const Params& params);

// The value of the first pair named `name`, if any.
std::optional<std::string> find_param(const Params& params, std::string_view name);

}  // namespace pinlink::oauth
