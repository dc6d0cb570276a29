/** @file
 * Field extraction with nlohmann's SAX interface, which (unlike its DOM) still has the
 * spelling of every non-integer number. Integers are spelled back in decimal, which is
 * how JSON writes them (only "-0" would come back as "0"). nlohmann rejects strings with
 * a lone surrogate escape (\ud800), which the engine decodes to U+FFFD: such lines are
 * no events here.
 */
#include "host/rules/event_fields.hpp"

#include <sstream>

namespace agentsweep::rules {
namespace {

using json = nlohmann::json;

std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream in(path);
  std::string segment;
  while (std::getline(in, segment, '.')) out.push_back(segment);
  return out;
}

class FieldCollector : public nlohmann::json_sax<json> {
 public:
  explicit FieldCollector(const std::vector<std::string>& paths) : texts(paths.size()) {
    for (const std::string& p : paths) paths_.push_back(segments_of(p));
  }

  std::vector<std::optional<std::string>> texts;
  bool root_is_object = false;

  bool null() override { return record(std::nullopt); }
  bool boolean(bool value) override { return record(value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override { return record(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return record(std::to_string(value)); }
  bool number_float(number_float_t, const string_t& spelling) override { return record(spelling); }
  bool string(string_t& value) override { return record(value); }
  bool binary(binary_t&) override { return record(std::nullopt); }

  bool start_object(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    frames_.back().key = name;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  struct Frame {
    bool object = false;
    bool on_path = false;  ///< reached from the root through object keys only
    std::string key;       ///< the current key, in objects
  };

  /// The path of the value about to be read, when it can be a field.
  bool at_field() const {
    return !frames_.empty() && frames_.back().object && frames_.back().on_path;
  }

  bool record(std::optional<std::string> text) {
    if (!at_field()) return true;
    prefix_.push_back(frames_.back().key);
    for (std::size_t p = 0; p < paths_.size(); ++p)
      if (paths_[p] == prefix_) texts[p] = text;
    prefix_.pop_back();
    return true;
  }

  bool open(bool object) {
    if (frames_.empty()) {
      root_is_object = object;
      frames_.push_back({object, true, {}});
      return true;
    }
    const bool on_path = at_field();
    record(std::nullopt);  // containers match nothing, and hide an earlier duplicate
    if (on_path) prefix_.push_back(frames_.back().key);
    frames_.push_back({object, on_path, {}});
    return true;
  }

  bool close() {
    const bool pushed = frames_.back().on_path && frames_.size() > 1;
    frames_.pop_back();
    if (pushed) prefix_.pop_back();
    return true;
  }

  std::vector<std::vector<std::string>> paths_;
  std::vector<Frame> frames_;
  std::vector<std::string> prefix_;
};

}  // namespace

std::optional<std::vector<std::optional<std::string>>> field_texts(
    std::string_view line, const std::vector<std::string>& paths) {
  FieldCollector collector(paths);
  if (!json::sax_parse(line, &collector) || !collector.root_is_object) return std::nullopt;
  return std::move(collector.texts);
}

const nlohmann::json* find_field(const nlohmann::json& event, const std::string& path) {
  const json* node = &event;
  for (const std::string& segment : segments_of(path)) {
    if (!node->is_object()) return nullptr;
    const auto it = node->find(segment);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

}  // namespace agentsweep::rules
