/** @file
 * Rule documents, collection actions and YAML node helpers.
 */
#include "host/rules/yaml_documents.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace agentsweep::rules {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open: " + std::string(std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("read failed: " + std::string(std::strerror(errno)));
  return text.str();
}

/// Follows the parser's events and remembers where the last empty node was.
class NullEventHandler final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { last_null = mark; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_null;
};

/// yaml-cpp 0.7 (Debian 12) never gets past some malformed input, such as a file that is
/// just ",": LoadAll keeps adding empty documents until memory runs out (yaml-cpp issue
/// 1040, fixed after 0.8). Every real document uses up input, so a first pass that only
/// counts documents stops such a file once it has more documents than bytes.
void check_parser_progresses(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  NullEventHandler events;
  for (std::size_t documents = 0; parser.HandleNextDocument(events);)
    if (++documents > text.size() + 1)
      throw YamlError(events.last_null.line + 1,
                      "YAML syntax error at column " + std::to_string(events.last_null.column + 1) +
                          ": the YAML parser cannot get past it (a stray ','?)");
}

std::vector<YAML::Node> load_all(const std::string& text) {
  try {
    check_parser_progresses(text);
    return YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    throw YamlError(e.mark.is_null() ? 0 : e.mark.line + 1, "YAML syntax error: " + e.msg);
  }
}

std::optional<YAML::Node> value_of(const YAML::Node& map, const std::string& key) {
  for (const auto& entry : map)
    if (entry.first.Scalar() == key) return entry.second;
  return std::nullopt;
}

/// `base` with `changes` merged in: maps merge key by key, anything else is replaced.
/// Nodes are shared handles and `=` on a handle changes the node for every holder, so
/// this builds new maps and never assigns to an existing handle.
YAML::Node merged(const YAML::Node& base, const YAML::Node& changes) {
  if (!base.IsMap() || !changes.IsMap()) return changes;
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& entry : base) {
    const auto change = value_of(changes, entry.first.Scalar());
    out[entry.first] = change ? merged(entry.second, *change) : entry.second;
  }
  for (const auto& change : changes)
    if (!value_of(base, change.first.Scalar())) out[change.first] = change.second;
  return out;
}

YAML::Node without_action(const YAML::Node& doc) {
  YAML::Node out(YAML::NodeType::Map);
  for (const auto& entry : doc)
    if (entry.first.as<std::string>() != "action") out[entry.first] = entry.second;
  return out;
}

std::vector<RuleDocument> apply_collection_actions(const std::vector<YAML::Node>& nodes) {
  std::vector<RuleDocument> rules;
  // reset() rebinds a handle; assignment would overwrite the node it refers to.
  YAML::Node global(YAML::NodeType::Map);
  YAML::Node previous(YAML::NodeType::Map);
  for (const YAML::Node& doc : nodes) {
    if (!doc || doc.IsNull()) continue;  // an empty document, e.g. after a trailing ---
    const int line = line_of(doc);
    if (!doc.IsMap() || !doc["action"]) {
      const bool merge = doc.IsMap() && !doc["correlation"] && !doc["filter"];
      const YAML::Node rule = merge ? merged(doc, global) : doc;  // the global part wins
      rules.push_back({rule, line, {}});
      previous.reset(rule);
      continue;
    }
    const YAML::Node action = doc["action"];
    const std::string name = action.IsScalar() ? action.Scalar() : std::string();
    if (name == "global") {
      global.reset(without_action(doc));
      previous.reset(global);
    } else if (name == "reset") {
      global.reset(YAML::Node(YAML::NodeType::Map));
    } else if (name == "repeat") {
      previous.reset(merged(previous, without_action(doc)));
      rules.push_back({previous, line, {}});
    } else {
      rules.push_back({doc, line,
                       "line " + std::to_string(line_of(action)) + ": unknown collection action '" +
                           name + "'; Sigma knows global, reset and repeat"});
    }
  }
  return rules;
}

}  // namespace

std::vector<RuleDocument> parse_rule_documents(const std::string& text) {
  return apply_collection_actions(load_all(text));
}

std::vector<RuleDocument> read_rule_documents(const std::string& path) {
  return parse_rule_documents(read_text(path));
}

int line_of(const YAML::Node& node) {
  return node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

void check_unique_keys(const YAML::Node& map) {
  std::map<std::string, int> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar())
      throw YamlError(line_of(entry.first), "a key is a list or map; keys must be strings");
    const std::string& key = entry.first.Scalar();
    const auto [it, fresh] = seen.emplace(key, line_of(entry.first));
    if (!fresh)
      throw YamlError(line_of(entry.first),
                      "key '" + key + "' appears twice (lines " + std::to_string(it->second) +
                          " and " + std::to_string(line_of(entry.first)) +
                          "); YAML keeps only one of them, so merge them into one entry");
  }
}

std::vector<std::string> string_list(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) return {node.Scalar()};
  std::vector<std::string> out;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!item.IsScalar())
        throw YamlError(line_of(item), what + " must be a string or a list of strings");
      out.push_back(item.Scalar());
    }
    return out;
  }
  throw YamlError(line_of(node), what + " must be a string or a list of strings");
}

void for_each_map_entry(
    const std::string& path, const std::string& what,
    const std::function<void(const std::string&, std::vector<std::string>)>& entry) {
  try {
    const std::vector<YAML::Node> docs = load_all(read_text(path));
    if (docs.size() != 1 || !docs.front().IsMap())
      throw YamlError(docs.empty() ? 0 : line_of(docs.front()), "expected one YAML map: " + what);
    check_unique_keys(docs.front());
    for (const auto& item : docs.front()) {
      const std::string key = item.first.as<std::string>();
      try {
        entry(key, string_list(item.second, "the value of '" + key + "'"));
      } catch (const std::invalid_argument& e) {
        throw YamlError(line_of(item.first), e.what());
      }
    }
  } catch (const YamlError& e) {
    throw std::runtime_error(
        path + ": " + (e.line() > 0 ? "line " + std::to_string(e.line()) + ": " : "") + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace agentsweep::rules
