/** @file
 * Required-factor analysis. Each node yields one of:
 *   exact     the node matches only the strings of a small set;
 *   required  every match of the node contains one string of a set;
 *   any       nothing is known.
 * Exact sets grow by cross product along concatenations and by union across
 * alternations while they stay small; past that they become required sets,
 * of which a concatenation keeps the best one (all are required, one
 * suffices). Every step may lose precision, never a match.
 */
#include "host/engine/patterns/required_factors.hpp"

#include <algorithm>
#include <set>

#include "host/engine/patterns/utf8_sequences.hpp"

namespace agentsweep::engine {

namespace {

using regex::RegexNode;
using Strings = std::set<std::string>;

struct Info {
  enum class Kind { kExact, kRequired, kAny };
  Kind kind = Kind::kAny;
  Strings strings;
};

Info exact(Strings strings) {
  return {Info::Kind::kExact, std::move(strings)};
}
Info any() {
  return {};
}

class Analysis {
 public:
  explicit Analysis(const FactorLimits& limits) : limits_(limits) {}

  Info of(const RegexNode& node) const {
    switch (node.kind) {
      case RegexNode::Kind::kEmpty:
      case RegexNode::Kind::kAssert:
        return exact({""});
      case RegexNode::Kind::kChars:
        return chars(node);
      case RegexNode::Kind::kConcat: {
        std::vector<Info> parts;
        for (const RegexNode& child : node.children) parts.push_back(of(child));
        return concatenation(parts);
      }
      case RegexNode::Kind::kAlternate:
        return alternation(node);
      case RegexNode::Kind::kRepeat:
        return repetition(node);
    }
    return any();
  }

  /// The factors an Info promises, if they are worth a prefilter.
  std::optional<Strings> required(const Info& info) const {
    if (info.kind == Info::Kind::kAny || !worth_it(info.strings)) return std::nullopt;
    return info.strings;
  }

 private:
  /// A class of few code points is the exact set of their encodings; an
  /// empty class (matches nothing) is left as "any", which is always safe.
  Info chars(const RegexNode& node) const {
    std::size_t count = 0;
    for (const regex::CodepointRange& r : node.chars) count += r.hi - r.lo + 1;
    if (count == 0 || count > 4 * limits_.max_exact) return any();
    Strings strings;
    for (const regex::CodepointRange& r : node.chars)
      for (char32_t c = r.lo; c <= r.hi; ++c) {
        std::string encoded;
        append_utf8(c, encoded);
        strings.insert(fold_ascii(std::move(encoded)));
      }
    if (strings.size() > limits_.max_exact) return any();
    return exact(std::move(strings));
  }

  Info concatenation(const std::vector<Info>& parts) const {
    Strings run{""};  // exact set of the parts since the last break
    bool all_exact = true;
    std::optional<Strings> best;
    const auto consider = [&](const std::optional<Strings>& candidate) {
      if (candidate && (!best || better(*candidate, *best))) best = candidate;
    };
    for (const Info& part : parts) {
      if (part.kind == Info::Kind::kExact) {
        if (run.size() * part.strings.size() <= limits_.max_exact) {
          run = cross(run, part.strings);
          continue;
        }
        consider(required(exact(run)));
        run = part.strings;
        all_exact = false;
        continue;
      }
      consider(required(exact(run)));
      consider(required(part));
      run = {""};
      all_exact = false;
    }
    if (all_exact) return exact(std::move(run));
    consider(required(exact(run)));
    if (!best) return any();
    return {Info::Kind::kRequired, std::move(*best)};
  }

  Info alternation(const RegexNode& node) const {
    std::vector<Info> parts;
    bool all_exact = true;
    std::size_t union_size = 0;
    for (const RegexNode& child : node.children) {
      parts.push_back(of(child));
      all_exact = all_exact && parts.back().kind == Info::Kind::kExact;
      union_size += parts.back().strings.size();
    }
    Strings all;
    if (all_exact && union_size <= limits_.max_exact) {
      for (const Info& part : parts) all.insert(part.strings.begin(), part.strings.end());
      return exact(std::move(all));
    }
    for (const Info& part : parts) {
      const std::optional<Strings> strings = required(part);
      if (!strings) return any();
      all.insert(strings->begin(), strings->end());
    }
    return {Info::Kind::kRequired, std::move(all)};
  }

  /// x{n,m} is n copies of x, then more (unknown) unless m == n; x{0,m} may
  /// match nothing at all.
  Info repetition(const RegexNode& node) const {
    if (node.min <= 0) return any();
    const Info child = of(node.children.front());
    if (child.kind != Info::Kind::kExact)
      return child.kind == Info::Kind::kRequired ? Info{Info::Kind::kRequired, child.strings}
                                                 : any();
    // Copies past a few add nothing a prefilter can use.
    constexpr int kMostCopies = 16;
    std::vector<Info> parts(static_cast<std::size_t>(std::min(node.min, kMostCopies)), child);
    if (node.max != node.min || node.min > kMostCopies) parts.push_back(any());
    return concatenation(parts);
  }

  static Strings cross(const Strings& a, const Strings& b) {
    Strings out;
    for (const std::string& x : a)
      for (const std::string& y : b) out.insert(x + y);
    return out;
  }

  static std::size_t shortest(const Strings& strings) {
    std::size_t n = std::string::npos;
    for (const std::string& s : strings) n = std::min(n, s.size());
    return n;
  }

  bool worth_it(const Strings& strings) const {
    return !strings.empty() && shortest(strings) >= limits_.min_length;
  }

  /// Longer shortest factor first (rarer in text), then fewer factors.
  static bool better(const Strings& a, const Strings& b) {
    const std::size_t la = shortest(a);
    const std::size_t lb = shortest(b);
    if (la != lb) return la > lb;
    return a.size() < b.size();
  }

  FactorLimits limits_;
};

}  // namespace

std::string fold_ascii(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

std::optional<std::vector<std::string>> required_factors(const regex::RegexNode& regex,
                                                         const FactorLimits& limits) {
  const Analysis analysis(limits);
  const std::optional<Strings> strings = analysis.required(analysis.of(regex));
  if (!strings) return std::nullopt;
  return std::vector<std::string>(strings->begin(), strings->end());
}

}  // namespace agentsweep::engine
