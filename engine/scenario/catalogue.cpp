#include "scenario/catalogue.hpp"

#include <fstream>
#include <iterator>

#include "scenario/object_reader.hpp"

namespace pk {

std::optional<std::string> merge_catalogue(Node& tree, Diagnostics& diags) {
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
  std::string path = entry->value.scalar;
  const std::string& self = diags.file();
  if (!path.empty() && path[0] != '/' && self.find('/') != std::string::npos)
    path = self.substr(0, self.rfind('/') + 1) + path;
  Diagnostics cat_diags(path);
  Node cat;
  std::string bytes;
  if (parse_yaml_file(path, cat, cat_diags)) {
    const Ctx ctx{cat_diags, ""};
    if (!cat.is_map()) {
      ctx.error(cat.mark, "", "a vehicle catalogue must be a mapping with vehicle_types");
    } else {
      const Obj top(&cat, catalogue_spec(), "", ctx, cat.mark);
      IdTable ids("vehicle type");
      for (const Obj& v : top.list("vehicle_types")) {
        ids.add(v);
        (void)v.integer("seats"), (void)v.num("ambush_exposure"), (void)v.num("cost_usd");
        const Obj b = v.object("blast");
        if (b.num("p_kill") + b.num("p_wound") > 1 + 1e-12)
          b.error_here("p_wound", "p_kill + p_wound must be <= 1");
      }
    }
    std::ifstream f(path, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
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
