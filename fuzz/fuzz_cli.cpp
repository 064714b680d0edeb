// libFuzzer target: see cli_check.hpp for the input and the properties checked.
#include <cstddef>
#include <cstdint>

#include "fuzz/cli_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pinlink::fuzz::enforce(pinlink::fuzz::check_cli(pinlink::fuzz::as_text(data, size)));
    return 0;
}
