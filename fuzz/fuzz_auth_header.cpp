// libFuzzer target: see auth_header_check.hpp for the input and the properties checked.
#include <cstddef>
#include <cstdint>

#include "fuzz/auth_header_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinlink::fuzz::enforce(pinlink::fuzz::check_auth_header(pinlink::fuzz::as_text(data, size)));
    return 0;
}
