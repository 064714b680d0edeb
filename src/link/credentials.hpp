// The result handed to whoever started pinlink: one JSON object, printed and/or saved
// atomically with mode 0600. Saving never goes through a symlink and never leaves a partial file.
#pragma once

#include <filesystem>
#include <string>

#include "link/flow.hpp"

namespace pinlink::link {

// {"user_id":..,"screen_name":..,"oauth_token":..,"oauth_token_secret":..} on one line,
// plus "name" when users/me gave one.
std::string credentials_json(const AccessToken& token);

struct SaveResult {
    bool ok = false;
    std::string message;  // plain language, names the path, never the content
};

// Writes `content` to a temporary file in the target's folder (mode 0600), flushes and fsyncs it,
// then renames it over `path` and fsyncs the folder. Refuses when `path` is a symlink.
SaveResult save_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace pinlink::link
