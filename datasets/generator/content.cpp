/** @file Word lists and sentence assembly for background content (see content.hpp). */
#include "content.hpp"

#include <array>
#include <string_view>

namespace agentsweep::gen {
namespace {

constexpr std::array<std::string_view, 96> kWords = {
    "agent",     "model",   "context", "window",    "tool",    "call",      "benchmark", "latency",
    "deploy",    "prompt",  "eval",    "dataset",   "token",   "budget",    "memory",    "planner",
    "retrieval", "index",   "vector",  "search",    "summary", "thread",    "reply",     "post",
    "feed",      "ranking", "follow",  "community", "release", "changelog", "bug",       "fix",
    "patch",     "runtime", "sandbox", "trace",     "log",     "metric",    "dashboard", "alert",
    "schedule",  "cron",    "queue",   "worker",    "cache",   "shard",     "replica",   "region",
    "cluster",   "today",   "tonight", "yesterday", "finally", "again",     "really",    "maybe",
    "works",     "broke",   "shipped", "learned",   "tried",   "found",     "shared",    "improved",
    "faster",    "slower",  "cheaper", "better",    "weird",   "great",     "the",       "a",
    "my",        "our",     "this",    "that",      "with",    "without",   "for",       "from",
    "into",      "about",   "after",   "before",    "and",     "but",       "so",        "because",
    "while",     "when",    "is",      "was",       "just",    "new",       "old",       "small"};

/** Non-ASCII fragments: 2-, 3- and 4-byte UTF-8 (emoji are outside the BMP). */
constexpr std::array<std::string_view, 16> kForeign = {
    "café",   "naïve", "Zürich", "déjà vu", "señor",    "Привет", "東京", "日本語のテキスト",
    "데이터", "→",     "…",      "—",       "“quoted”", "🚀",      "🤖", "✨"};

/** Fragments with JSON-special characters: quotes, backslashes, tabs. */
constexpr std::array<std::string_view, 6> kSpecial = {
    "\"as promised\"", "C:\\agents\\run", "say \"hi\"", "a\tb", "50% off", "<b>bold</b>"};

void append_sentence(Rng& rng, std::string& text) {
  const auto words = static_cast<int>(rng.between(4, 14));
  for (int i = 0; i < words; ++i) {
    if (i != 0) text += ' ';
    const std::uint64_t pick = rng.below(1000);
    if (pick < 25) {
      text += kForeign[rng.below(kForeign.size())];
    } else if (pick < 40) {
      text += kSpecial[rng.below(kSpecial.size())];
    } else {
      std::string_view word = kWords[rng.below(kWords.size())];
      if (i == 0) {
        text += static_cast<char>(word[0] - 'a' + 'A');
        word.remove_prefix(1);
      }
      text += word;
    }
  }
  const std::uint64_t end = rng.below(10);
  text += end < 6 ? "." : end < 8 ? "!" : "?";
}

}  // namespace

void compose_content(Rng& rng, Action action, std::string& text) {
  text.clear();
  const int sentences = action == Action::kPostCreate      ? static_cast<int>(rng.between(1, 4))
                        : action == Action::kCommentCreate ? static_cast<int>(rng.between(1, 2))
                                                           : 1;
  for (int i = 0; i < sentences; ++i) {
    if (i != 0) text += rng.below(8) == 0 ? "\n" : " ";
    append_sentence(rng, text);
  }
}

}  // namespace agentsweep::gen
