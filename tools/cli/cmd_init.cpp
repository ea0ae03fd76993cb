// `pkrisk init [FILE] [--template NAME]`: writes a small, commented, valid
// scenario to start from; `--list` names the templates.
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "console.hpp"
#include "scenario/suggest.hpp"
#include "templates.hpp"

namespace pk::cli {

namespace {

struct InitOptions {
  std::string file = "scenario.yaml";
  std::string name = "convoy";
  bool list = false;
  bool force = false;
};

const ScenarioTemplate* find_template(const std::string& name) {
  for (const auto& t : scenario_templates())
    if (t.name == name) return &t;
  return nullptr;
}

int unknown_template(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& t : scenario_templates()) names.push_back(t.name);
  const std::string near = closest_match(name, names);
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return fail(kExitBadInput, "unknown template '" + name + "'" +
                                 (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                                 "; the templates are " + list + " (pkrisk init --list)");
}

int init(const InitOptions& o) {
  if (o.list) {
    for (const auto& t : scenario_templates())
      std::cout << "  " << t.name << std::string(10 - std::min<size_t>(t.name.size(), 9), ' ')
                << t.summary << "\n";
    return kExitOk;
  }
  const ScenarioTemplate* t = find_template(o.name);
  if (!t) return unknown_template(o.name);
  std::error_code ec;
  if (!o.force &&
      std::filesystem::symlink_status(o.file, ec).type() != std::filesystem::file_type::not_found)
    return fail(kExitBadInput,
                o.file +
                    " already exists: nothing written (choose another name, or --force to "
                    "replace it)");
  if (const int code = write_or_fail(o.file, t->text); code != kExitOk) return code;
  std::cout << "wrote " << o.file << " (template " << t->name << ")\n"
            << "next:  pkrisk validate " << o.file << "\n"
            << "       pkrisk run " << o.file << " --report report.html\n";
  return kExitOk;
}

}  // namespace

Action add_init(CLI::App& app) {
  auto* cmd = app.add_subcommand("init", "Write a starter scenario to edit (a template)");
  auto o = std::make_shared<InitOptions>();
  cmd->add_option("file", o->file, "file to write (default scenario.yaml)");
  cmd->add_option("-t,--template", o->name, "template to start from (default convoy)");
  cmd->add_flag("--list", o->list, "list the templates and exit");
  cmd->add_flag("--force", o->force, "replace FILE if it exists");
  return [o] { return init(*o); };
}

}  // namespace pk::cli
