// RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 section 3.6) requires it, and the two
// decodings pinlink needs: form bodies (where '+' is a space) and everything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pinlink::oauth {

// Encodes every byte except A-Z a-z 0-9 - . _ ~ as %XX with uppercase hex. The input is taken
// as bytes, so UTF-8 text comes out as its UTF-8 bytes. Never produces '+'.
std::string percent_encode(std::string_view bytes);

// The same encoding appended to `out`, without a temporary string: the signing path builds the
// base string and the Authorization header this way (see docs/performance.md).
void append_percent_encoded(std::string& out, std::string_view bytes);

enum class PlusMeans { plus, space };

// Decodes %XX escapes (either hex case). Returns nullopt for a malformed escape ('%' not followed
// by two hex digits). With PlusMeans::space, '+' decodes to ' ' (application/x-www-form-urlencoded).
std::optional<std::string> percent_decode(std::string_view text, PlusMeans plus = PlusMeans::plus);

}  // namespace pinlink::oauth
