#include "scenario/catalogue.hpp"

#include <filesystem>
#include <system_error>

#include "scenario/object_reader.hpp"
#include "util/input_file.hpp"

namespace pk {

namespace fs = std::filesystem;

std::string resolve_include(const std::string& scenario, const std::string& name,
                            const IncludePolicy& policy, std::string& why) {
  if (name.empty()) {
    why = "expected a file name";
    return {};
  }
  const fs::path given(name);
  const fs::path folder = fs::path(scenario).parent_path();
  const fs::path path = given.is_absolute() ? given : folder / given;
  if (policy.allow_outside) return path.string();
  const std::string how =
      ": a scenario may only name files in its own folder or below it (pass "
      "--allow-outside-files to allow it)";
  if (given.is_absolute()) {
    why = "an absolute path is refused" + how;
    return {};
  }
  const fs::path normal = given.lexically_normal();
  if (!normal.empty() && *normal.begin() == "..") {
    why = "a path that leaves the scenario's folder is refused" + how;
    return {};
  }
  // A symbolic link inside the folder may still lead out of it.
  std::error_code e1, e2;
  const fs::path real_folder = fs::weakly_canonical(folder.empty() ? fs::path(".") : folder, e1);
  const fs::path real = fs::weakly_canonical(path, e2);
  if (!e1 && !e2) {
    const fs::path rel = real.lexically_relative(real_folder);
    if (rel.empty() || *rel.begin() == "..") {
      why = "the path leads out of the scenario's folder (through a symbolic link)" + how;
      return {};
    }
  }
  return path.string();
}

std::optional<std::string> merge_catalogue(Node& tree, Diagnostics& diags,
                                           const IncludePolicy& policy) {
  if (!tree.is_map()) return std::string();
  const MapEntry* entry = tree.find_entry("vehicle_catalogue");
  if (!entry || entry->value.is_null()) {
    if (!tree.find("vehicle_types") || tree.find("vehicle_types")->is_null())
      diags.error(
          tree.mark, "vehicle_types",
          "missing required key 'vehicle_types' (or a vehicle_catalogue that provides them)");
    return std::string();
  }
  if (!entry->value.is_scalar()) {
    diags.error(entry->value.mark, "vehicle_catalogue", "expected a file name");
    return std::nullopt;
  }
  std::string why;
  const std::string path = resolve_include(diags.file(), entry->value.scalar, policy, why);
  if (path.empty()) {
    diags.error(entry->value.mark, "vehicle_catalogue", why);
    return std::nullopt;
  }
  std::string bytes;
  if (const ReadResult r = read_input_file(path, bytes, YamlLimits{}.max_bytes); !r) {
    diags.error(entry->value.mark, "vehicle_catalogue", path + ": " + r.error);
    return std::nullopt;
  }
  // Until the file has the shape of a catalogue, nothing of its content may
  // appear in a message: a scenario must not turn pkrisk into a file printer.
  Diagnostics cat_diags(path);
  Node cat;
  const Node* types = nullptr;
  if (parse_yaml(bytes, cat, cat_diags) && cat.is_map()) types = cat.find("vehicle_types");
  if (!types || !types->is_seq()) {
    const Mark where = cat_diags.all().empty() ? Mark{} : cat_diags.all().front().mark;
    diags.error(
        entry->value.mark, "vehicle_catalogue",
        path + " is not a vehicle catalogue (expected a YAML mapping with a " +
            "vehicle_types list" +
            (where.line > 0 ? "; it is not valid YAML from line " + std::to_string(where.line)
                            : std::string()) +
            "); its content is not shown");
    return std::nullopt;
  }
  {
    const Ctx ctx{cat_diags, ""};
    const Obj top(&cat, catalogue_spec(), "", ctx, cat.mark);
    IdTable ids("vehicle type");
    for (const Obj& v : top.list("vehicle_types")) {
      ids.add(v);
      (void)v.integer("seats"), (void)v.num("ambush_exposure"), (void)v.num("cost_usd");
      (void)v.num("accident_factor");
      const Obj b = v.object("blast");
      (void)b.num("p_wound_adjacent");
      if (b.num("p_kill") + b.num("p_wound") > 1 + 1e-12)
        b.error_here("p_wound", "p_kill + p_wound must be <= 1");
    }
  }
  if (cat_diags.has_errors()) {
    diags.append(cat_diags);
    diags.error(entry->value.mark, "vehicle_catalogue",
                "the catalogue " + path + " has errors (above)");
    return std::nullopt;
  }
  Node merged = *cat.find("vehicle_types");
  if (Node* own = tree.find("vehicle_types"); own && own->is_seq()) {
    for (Node& e : own->seq) {
      const Node* id = e.is_map() ? e.find("id") : nullptr;
      bool replaced = false;
      for (Node& c : merged.seq) {
        const Node* cid = c.find("id");
        if (id && cid && id->scalar == cid->scalar) c = e, replaced = true;
      }
      if (!replaced) merged.seq.push_back(e);
    }
    *own = std::move(merged);
  } else if (own) {
    return std::string();  // not a list: build_scenario reports it
  } else {
    tree.map.push_back(MapEntry{"vehicle_types", entry->key_mark, std::move(merged)});
  }
  return bytes;
}

}  // namespace pk
