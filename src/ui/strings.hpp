// Every word the link screen shows, in one place, so wording can be reviewed (and one day
// translated) without reading layout code. Problem titles and details come from src/link.
#pragma once

#include <string_view>

namespace pinlink::ui::strings {

// Connecting and Linking.
inline constexpr std::string_view connecting_title = "Connecting to X\u2026";
inline constexpr std::string_view connecting_body = "Getting a code for you to scan.";
inline constexpr std::string_view linking_title = "Linking your account\u2026";
inline constexpr std::string_view linking_body = "Checking the PIN with X.";

// Code.
inline constexpr std::string_view code_title = "Link your X account";
inline constexpr std::string_view scan_caption = "Scan with your phone, or go to";
inline constexpr std::string_view pin_instruction = "Then enter the PIN that X shows you";
inline constexpr std::string_view notice_pin_rejected = "That PIN didn't work. Here's a new code.";
inline constexpr std::string_view notice_code_expired = "That code expired. Here's a new one.";
inline constexpr std::string_view notice_incomplete_prefix = "Enter all ";  // + N +
inline constexpr std::string_view notice_incomplete_suffix = " digits of the PIN first.";
inline constexpr std::string_view demo_pin_prefix = "Demo PIN: ";

// Linked.
inline constexpr std::string_view linked_prefix = "Linked as @";
inline constexpr std::string_view linked_body = "You're all set. This screen closes by itself.";

// Problem buttons.
inline constexpr std::string_view try_again = "Try again";
inline constexpr std::string_view new_code = "New code";
inline constexpr std::string_view quit = "Quit";

// "Stop linking?" confirm.
inline constexpr std::string_view confirm_title = "Stop linking?";
inline constexpr std::string_view confirm_body = "Your X account won't be linked to this device.";
inline constexpr std::string_view keep_linking = "Keep linking";
inline constexpr std::string_view stop = "Stop";

// Hint bar labels.
inline constexpr std::string_view hint_select = "Select";
inline constexpr std::string_view hint_delete = "Delete";
inline constexpr std::string_view hint_cancel = "Cancel";
inline constexpr std::string_view hint_clear = "Clear";
inline constexpr std::string_view hint_new_code = "New code";
inline constexpr std::string_view hint_link = "Link";
inline constexpr std::string_view hint_type = "Type PIN";
inline constexpr std::string_view hint_done = "Done";
inline constexpr std::string_view hint_quit = "Quit";
inline constexpr std::string_view hint_keep = "Keep linking";

// Keyboard keycaps in the hint bar.
inline constexpr std::string_view key_enter = "Enter";
inline constexpr std::string_view key_escape = "Esc";
inline constexpr std::string_view key_backspace = "Backspace";
inline constexpr std::string_view key_delete = "Del";
inline constexpr std::string_view key_f5 = "F5";
inline constexpr std::string_view key_digits = "0\u20139";
inline constexpr std::string_view pad_start = "Start";  // a controller of unknown make

}  // namespace pinlink::ui::strings
