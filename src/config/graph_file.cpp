// parse_graph() and graph_to_json(): the graph file format of docs/GRAPHS.md, read into and written
// from config/graph.hpp's structs. A described struct is read and written through its description
// (one generic reader and writer); by hand only the shapes that are not a struct's members: latency
// distributions, steps as one-key objects, resources keyed by name. The rules beyond syntax live
// in graph_validate.cpp.
#include "config/graph_file.hpp"

#include <algorithm>
#include <array>
#include <boost/describe/enum_to_string.hpp>
#include <boost/mp11/algorithm.hpp>
#include <concepts>
#include <span>
#include <type_traits>
#include <utility>

#include "config/config_loader.hpp"
#include "config/described_json.hpp"
#include "config/json_reader.hpp"
#include "config/json_text.hpp"
#include "core/json_writer.hpp"

namespace latencylab::config {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using detail::DescribedStruct;

// ---- the shapes that are not a struct's members ----

// The key naming each alternative of Step::action, in the variant's order.
constexpr std::array<std::string_view, std::variant_size_v<decltype(Step::action)>> kStepKinds{
    "delay", "cache", "db", "call", "parallel", "fail", "cpu", "business"};

// The steps whose body in the file is their one member ({"delay": {"fixed": ...}},
// {"parallel": [...]}, {"business": "store_order"}); every other step's body is its members.
template <class S>
constexpr auto kBodyMember = nullptr;
template <>
constexpr auto kBodyMember<DelayStep> = &DelayStep::latency;
template <>
constexpr auto kBodyMember<ParallelStep> = &ParallelStep::steps;
template <>
constexpr auto kBodyMember<BusinessStep> = &BusinessStep::action;

// What a step reads from and writes to the one key naming its kind.
template <class S>
auto& body_of(S& step) {
  if constexpr (kBodyMember<std::remove_const_t<S>> == nullptr) {
    return step;
  } else {
    return step.*kBodyMember<std::remove_const_t<S>>;
  }
}

// The names of the latency distributions, in the enum's order.
constexpr auto kDistributionNames =
    []<class... D>(boost::mp11::mp_list<D...>) {
      return std::array<std::string_view, sizeof...(D)>{D::name...};
    }(boost::mp11::mp_rename<boost::describe::describe_enumerators<sim::Distribution>,
                             boost::mp11::mp_list>{});

// One field of a latency distribution in the file; an optional one is written when not zero.
struct LatencyField {
  std::string_view key;
  double sim::LatencySpec::*member;
  bool required;
};

// The fields each distribution uses, in the order the file lists them.
std::span<const LatencyField> latency_fields(sim::Distribution distribution) {
  using sim::LatencySpec;
  static constexpr std::array<LatencyField, 1> kFixed{{{"value_ms", &LatencySpec::value_ms, true}}};
  static constexpr std::array<LatencyField, 2> kUniform{
      {{"min_ms", &LatencySpec::min_ms, true}, {"max_ms", &LatencySpec::max_ms, true}}};
  static constexpr std::array<LatencyField, 4> kPercentiles{
      {{"p50_ms", &LatencySpec::p50_ms, true},
       {"p99_ms", &LatencySpec::p99_ms, true},
       {"min_ms", &LatencySpec::min_ms, false},
       {"max_ms", &LatencySpec::max_ms, false}}};
  switch (distribution) {
    case sim::Distribution::fixed:
      return kFixed;
    case sim::Distribution::uniform:
      return kUniform;
    case sim::Distribution::normal:
    case sim::Distribution::lognormal:
      return kPercentiles;
  }
  return {};
}

// What the file calls the elements of an array of T, for "expected an array of steps".
template <class T>
constexpr std::string_view kArrayOf{};
template <>
constexpr std::string_view kArrayOf<Step> = "steps";
template <>
constexpr std::string_view kArrayOf<Route> = "routes";

template <class T>
concept ArrayElement = !kArrayOf<T>.empty();

template <DescribedStruct T>
constexpr bool describes_name() {
  bool found = false;
  boost::mp11::mp_for_each<detail::PublicMembers<T>>(
      [&](auto member) { found = found || std::string_view(member.name) == "name"; });
  return found;
}

// Services and resources: their `name` is their key in the enclosing object, not a member of
// their own ({"databases": {"main": {...}}}).
template <class T>
concept KeyedByName = DescribedStruct<T> && requires(T& t) {
  t.name;
} && !describes_name<T>();

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

std::string listed(std::span<const std::string_view> names) {
  std::string text;
  for (const auto name : names) {
    if (!text.empty()) text += ", ";
    text += name;
  }
  return text;
}

// ---- reading: each overload reads one kind of field, collecting problems with their paths ----

template <class T>
void read_field(const value& in, T& out, const std::string& path, JsonProblems& problems);
template <DescribedStruct T>
void read_field(const value& in, T& out, const std::string& path, JsonProblems& problems);
template <class T>
void read_field(const value& in, std::optional<T>& out, const std::string& path,
                JsonProblems& problems);
template <ArrayElement T>
void read_field(const value& in, std::vector<T>& out, const std::string& path,
                JsonProblems& problems);
template <KeyedByName T>
void read_field(const value& in, std::vector<T>& out, const std::string& path,
                JsonProblems& problems);
void read_field(const value& in, sim::LatencySpec& out, const std::string& path,
                JsonProblems& problems);
void read_field(const value& in, Step& out, const std::string& path, JsonProblems& problems);

// Numbers, strings, lists of strings, enums: config/json_reader.hpp.
template <class T>
void read_field(const value& in, T& out, const std::string& path, JsonProblems& problems) {
  read_json(in, out, path, problems);
}

// Each described member from its key; an unknown key is a problem.
template <DescribedStruct T>
void read_field(const value& in, T& out, const std::string& path, JsonProblems& problems) {
  JsonObjectReader reader(in, path, problems);
  boost::mp11::mp_for_each<detail::PublicMembers<T>>([&](auto member) {
    using Member = decltype(member);
    const value* field = kRequiredKey<Member::pointer> ? reader.find_required(member.name)
                                                       : reader.find(member.name);
    if (field == nullptr) return;
    if constexpr (kJsonTextKey<Member::pointer>) {
      out.*Member::pointer = core::json::serialize(*field);
    } else {
      read_field(*field, out.*Member::pointer, reader.path_of(member.name), problems);
    }
  });
  reader.finish();
}

// A value that does not read leaves the optional empty.
template <class T>
void read_field(const value& in, std::optional<T>& out, const std::string& path,
                JsonProblems& problems) {
  T read{};
  const std::size_t problems_before = problems.lines().size();
  read_field(in, read, path, problems);
  if (problems.lines().size() == problems_before) out = std::move(read);
}

// An element that does not read is kept as a default one, so the indices in later paths stay
// those of the file.
template <ArrayElement T>
void read_field(const value& in, std::vector<T>& out, const std::string& path,
                JsonProblems& problems) {
  const auto* items = in.if_array();
  if (items == nullptr) {
    problems.add(path,
                 "expected an array of " + std::string(kArrayOf<T>) + ", got " + detail::show(in));
    return;
  }
  out.resize(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    read_field((*items)[i], out[i], index_path(path, i), problems);
  }
}

// {"main": {...}, "replica": {...}}: keyed by name, in file order.
template <KeyedByName T>
void read_field(const value& in, std::vector<T>& out, const std::string& path,
                JsonProblems& problems) {
  const auto* items = in.if_object();
  if (items == nullptr) {
    problems.add(path, "expected an object keyed by name, got " + detail::show(in));
    return;
  }
  for (const auto& [name, body] : *items) {
    T& item = out.emplace_back();
    item.name = name;
    read_field(body, item, child_path(path, name), problems);
  }
}

// {"uniform": {"min_ms": 50, "max_ms": 200}}: one key naming the distribution, holding the fields
// that distribution uses.
void read_field(const value& in, sim::LatencySpec& out, const std::string& path,
                JsonProblems& problems) {
  const auto* wrapper = in.if_object();
  if (wrapper == nullptr || wrapper->size() != 1) {
    problems.add(path, "expected an object with one key naming the distribution (" +
                           listed(kDistributionNames) +
                           "), as {\"uniform\": {\"min_ms\": 50, \"max_ms\": "
                           "200}}, got " +
                           detail::show(in));
    return;
  }
  const auto& [name, fields] = *wrapper->begin();
  const std::string fields_path = child_path(path, name);
  const auto distribution = detail::enumerator_named<sim::Distribution>(std::string_view(name));
  if (!distribution) {
    problems.add(fields_path,
                 "unknown distribution (distributions: " + listed(kDistributionNames) + ")");
    return;
  }
  out.distribution = *distribution;
  JsonObjectReader reader(fields, fields_path, problems);
  for (const auto& field : latency_fields(out.distribution)) {
    if (field.required) {
      reader.required(field.key, out.*field.member);
    } else {
      reader.optional(field.key, out.*field.member);
    }
  }
  reader.finish();
}

// {"delay": {...}}: the one key names the step's kind and holds what it reads as.
void read_field(const value& in, Step& out, const std::string& path, JsonProblems& problems) {
  const auto* wrapper = in.if_object();
  if (wrapper == nullptr || wrapper->size() != 1) {
    problems.add(path, "a step is an object with one key naming its kind (" + listed(kStepKinds) +
                           "), got " + detail::show(in));
    return;
  }
  const auto& [kind, body] = *wrapper->begin();
  const std::string body_path = child_path(path, kind);
  const auto* found = std::find(kStepKinds.begin(), kStepKinds.end(), std::string_view(kind));
  if (found == kStepKinds.end()) {
    problems.add(body_path, "unknown step kind (kinds: " + listed(kStepKinds) + ")");
    return;
  }
  boost::mp11::mp_with_index<kStepKinds.size()>(found - kStepKinds.begin(), [&](auto index) {
    read_field(body, body_of(out.action.emplace<decltype(index)::value>()), body_path, problems);
  });
}

// ---- writing: every field (defaults included), in the order of the descriptions ----

template <class T>
value write_field(const T& in);
template <DescribedStruct T>
value write_field(const T& in);
template <ArrayElement T>
value write_field(const std::vector<T>& in);
template <KeyedByName T>
value write_field(const std::vector<T>& in);
value write_field(const sim::LatencySpec& in);
value write_field(const Step& in);

template <class T>
value write_field(const T& in) {
  return detail::write_value(in);
}

// An empty optional member is left out.
template <DescribedStruct T>
value write_field(const T& in) {
  object out;
  boost::mp11::mp_for_each<detail::PublicMembers<T>>([&](auto member) {
    using Member = decltype(member);
    const auto& field = in.*Member::pointer;
    if constexpr (kJsonTextKey<Member::pointer>) {
      if (field) out[member.name] = parse_json_text(*field, "response json");
    } else if constexpr (IsOptional<std::remove_cvref_t<decltype(field)>>::value) {
      if (field) out[member.name] = write_field(*field);
    } else {
      out[member.name] = write_field(field);
    }
  });
  return out;
}

template <ArrayElement T>
value write_field(const std::vector<T>& in) {
  array out;
  for (const auto& element : in) out.push_back(write_field(element));
  return out;
}

template <KeyedByName T>
value write_field(const std::vector<T>& in) {
  object out;
  for (const auto& item : in) out[item.name] = write_field(item);
  return out;
}

value write_field(const sim::LatencySpec& in) {
  object fields;
  for (const auto& field : latency_fields(in.distribution)) {
    const double written = in.*field.member;
    if (field.required || written != 0.0) fields[field.key] = written;
  }
  object out;
  out[boost::describe::enum_to_string(in.distribution, "")] = std::move(fields);
  return out;
}

value write_field(const Step& in) {
  object out;
  out[kStepKinds[in.action.index()]] =
      std::visit([](const auto& step) { return write_field(body_of(step)); }, in.action);
  return out;
}

}  // namespace

Graph parse_graph(std::string_view json_text, std::string_view origin) {
  return parse_graph(parse_json_text(json_text, origin), origin);
}

Graph parse_graph(const boost::json::value& json, std::string_view origin) {
  Graph graph;
  JsonProblems problems;
  read_field(json, graph, "", problems);
  problems.throw_if_any(origin);
  validate_graph(graph, origin);
  return graph;
}

Graph load_graph_file(const std::string& path) {
  const std::string origin = "graph file \"" + path + "\"";
  return parse_graph(read_text_file(path, origin), origin);
}

const Graph& default_graph() {
  static const Graph graph =
      parse_graph(default_graph_text(), "built-in graph " + std::string(kDefaultGraphFile));
  return graph;
}

boost::json::value graph_to_json(const Graph& graph) {
  return write_field(graph);
}

const Service& Graph::service(std::string_view name) const {
  for (const auto& candidate : services) {
    if (candidate.name == name) return candidate;
  }
  std::string names;
  for (const auto& candidate : services) {
    if (!names.empty()) names += ", ";
    names += candidate.name;
  }
  throw ConfigError("the graph has no service \"" + std::string(name) + "\" (services: " + names +
                    ")");
}

}  // namespace latencylab::config
