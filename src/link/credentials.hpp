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
// Killed at any point, it leaves `path` either as it was or wholly new, never partial.
// A kill before the rename can leave a temporary file ".<name>.tmp-<pid>-XXXXXX" (mode 0600) in
// the folder; the next save of the same name removes those whose process no longer exists.
// Only the last component is checked: a folder reached through a symlink (a linked ~/.config)
// is followed like any other folder, because the folder is the caller's choice.
SaveResult save_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace pinlink::link
