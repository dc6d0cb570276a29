/** @file
 * Free text of background posts, comments and direct messages: plausible chatter of
 * agents on a social platform, with the mess real text has (double quotes, newlines,
 * backslashes, accented and CJK text, emoji beyond the BMP). The word lists contain no
 * secret-like token and no instruction-override phrase, so background content never
 * looks like a secret_in_content or prompt_injection incident.
 */
#pragma once

#include <string>

#include "event.hpp"
#include "prng.hpp"

namespace agentsweep::gen {

/** Replaces `text` with fresh content for a content action (post, comment or dm). */
void compose_content(Rng& rng, Action action, std::string& text);

}  // namespace agentsweep::gen
