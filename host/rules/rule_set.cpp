/** @file
 * The loader: documents to rules or issues, then correlation references resolved across
 * everything loaded.
 */
#include "host/rules/rule_set.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "host/rules/correlation_parser.hpp"
#include "host/rules/correlation_resolver.hpp"
#include "host/rules/detection_compiler.hpp"
#include "host/rules/global_filter.hpp"
#include "host/rules/rule_error.hpp"
#include "host/rules/rule_files.hpp"
#include "host/rules/rule_parser.hpp"
#include "host/rules/yaml_documents.hpp"

namespace agentsweep::rules {
namespace {

class Loader {
 public:
  Loader(const LoadOptions& options, RuleSet& set) : options_(options), set_(set) {}

  void load(const std::string& file, const std::vector<RuleDocument>& documents) {
    for (const RuleDocument& doc : documents) {
      ++set_.documents;
      const RuleInfo known = identify(doc.node, file, doc.line);
      if (!doc.error.empty()) {
        issue(IssueKind::kRejected, known, doc.line, doc.error);
        continue;
      }
      try {
        add(doc, file);
      } catch (const RuleError& e) {
        issue(e.kind(), known, e.line(), e.what());
      } catch (const YAML::Exception& e) {  // a node of a shape no check above expected
        issue(IssueKind::kRejected, known, e.mark.is_null() ? doc.line : e.mark.line + 1,
              "unexpected YAML structure: " + e.msg);
      }
    }
  }

  void file_error(const std::string& file, int line, const std::string& message) {
    ++set_.documents;
    RuleInfo info;
    info.file = file;
    issue(IssueKind::kRejected, info, line, message + "; none of the file's rules were loaded");
  }

  /// Correlations and filters refer to rules by id or name, anywhere in the load.
  void resolve_references() {
    std::map<std::string, CompiledRule*> rules;
    std::set<std::string> correlations;
    for (CompiledRule& r : set_.rules) {
      if (!r.info.id.empty()) rules[r.info.id] = &r;
      if (!r.info.name.empty()) rules[r.info.name] = &r;
    }
    for (const CorrelationRule& c : set_.correlations) {
      if (!c.info.id.empty()) correlations.insert(c.info.id);
      if (!c.info.name.empty()) correlations.insert(c.info.name);
    }
    std::vector<CorrelationRule> kept;
    for (CorrelationRule& c : set_.correlations) {
      const std::string missing = first_missing(c.rules, rules, correlations);
      if (!missing.empty()) {
        issue(IssueKind::kRejected, c.info, c.info.line,
              "refers to rule '" + missing + "'" + missing_reason(missing));
        continue;
      }
      kept.push_back(std::move(c));
    }
    set_.correlations = std::move(kept);
    resolve_correlations(set_.correlations, rules, options_.fields);
    for (const CorrelationRule& c : set_.correlations)
      if (!c.unsupported.empty())
        issue(IssueKind::kNotYetSupported, c.info, c.info.line,
              "correlation rule (" + c.type + "): not yet supported: " + c.unsupported);
    std::vector<GlobalFilter> filters;
    for (GlobalFilter& f : set_.filters) {
      const std::string missing = first_missing(f.rules, rules, {});
      if (!missing.empty()) {
        issue(IssueKind::kRejected, f.info, f.info.line,
              "filters rule '" + missing + "'" + missing_reason(missing));
        continue;
      }
      std::set<CompiledRule*> filtered;  // a rule named by id and by name is filtered once
      for (const std::string& ref : f.rules)
        if (CompiledRule* rule = rules.at(ref); filtered.insert(rule).second)
          apply_filter(*rule, f.filter, f.info.id.empty() ? f.info.title : f.info.id);
      filters.push_back(std::move(f));
    }
    set_.filters = std::move(filters);
  }

 private:
  void add(const RuleDocument& doc, const std::string& file) {
    RuleInfo info = parse_rule_info(doc.node, file, doc.line);
    switch (kind_of(doc.node)) {
      case DocumentKind::kCorrelation:
        set_.correlations.push_back(parse_correlation(doc.node, std::move(info)));
        return;
      case DocumentKind::kFilter:
        set_.filters.push_back(parse_filter(doc.node, std::move(info), options_));
        return;
      case DocumentKind::kDetection:
        break;
    }
    claim("id", info.id, file, doc.line);
    claim("name", info.name, file, doc.line);
    CompiledRule rule;
    rule.info = std::move(info);
    compile_detection(doc.node["detection"], options_, rule);
    set_.rules.push_back(std::move(rule));
  }

  /// Rule ids and names must be unique, since correlations refer to rules by them; the
  /// rules of one Sigma 1.x collection (action: global) share theirs.
  void claim(const std::string& key, const std::string& value, const std::string& file, int line) {
    if (value.empty()) return;
    const auto [it, fresh] = seen_[key].emplace(value, std::pair{file, line});
    if (!fresh && it->second.first != file)
      throw RuleError(IssueKind::kRejected, line,
                      "its " + key + " '" + value + "' is also the " + key + " of the rule at " +
                          it->second.first + ":" + std::to_string(it->second.second) + "; rule " +
                          key + "s must be unique");
  }

  std::string first_missing(const std::vector<std::string>& refs,
                            const std::map<std::string, CompiledRule*>& rules,
                            const std::set<std::string>& correlations) const {
    for (const std::string& ref : refs)
      if (!rules.contains(ref) && !correlations.contains(ref)) return ref;
    return {};
  }

  std::string missing_reason(const std::string& ref) const {
    for (const RuleIssue& i : set_.issues)
      if (i.id == ref)
        return ", which did not load (" + i.file + ":" + std::to_string(i.line) + ")";
    return ", which is not among the loaded rules; load the file that defines it too";
  }

  void issue(IssueKind kind, const RuleInfo& info, int line, const std::string& reason) {
    set_.issues.push_back({kind, info.file, line, info.id, info.title, reason});
  }

  const LoadOptions& options_;
  RuleSet& set_;
  /// "id" and "name": each value's first file and line.
  std::map<std::string, std::map<std::string, std::pair<std::string, int>>> seen_;
};

/// Loads one file's documents; a file that cannot be read or parsed is one issue.
template <typename ReadDocuments>
void load_file(Loader& loader, const std::string& file, ReadDocuments read) {
  try {
    loader.load(file, read());
  } catch (const YamlError& e) {
    loader.file_error(file, e.line(), e.what());
  } catch (const std::runtime_error& e) {
    loader.file_error(file, 0, e.what());
  }
}

}  // namespace

std::size_t RuleSet::count(IssueKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      issues.begin(), issues.end(), [&](const RuleIssue& i) { return i.kind == kind; }));
}

RuleSet load_rules(const std::vector<std::string>& paths, const LoadOptions& options) {
  RuleSet set;
  Loader loader(options, set);
  for (const std::string& file : rule_files(paths))
    load_file(loader, file, [&] { return read_rule_documents(file); });
  loader.resolve_references();
  return set;
}

RuleSet load_rules_from_text(const std::string& text, const std::string& file,
                             const LoadOptions& options) {
  RuleSet set;
  Loader loader(options, set);
  load_file(loader, file, [&] { return parse_rule_documents(text); });
  loader.resolve_references();
  return set;
}

}  // namespace agentsweep::rules
