// Paths into a scenario (docs/model.md §5), used by arms, sweeps and overrides:
//   movements[gao-kidal].vehicles[soft_skin].count
// dots between keys; [x] selects the list elements identified as x (by the first
// of id, type, name they have), else index x when x is digits; `*` selects all.
#pragma once

#include <string>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/yaml_tree.hpp"

namespace pk {

struct PathStep {
  std::string key;                     // mapping key
  std::vector<std::string> selectors;  // [x] after the key, in order
};

// Parses a path; on a syntax error returns false with `error` set.
bool parse_path(const std::string& text, std::vector<PathStep>& steps, std::string& error);

// Whether an override may never change the top-level key `first_key`: arms,
// sweep, pkrisk and scenario say how the scenario is run, not what it is (an arm
// with its own horizon or seed would be no paired comparison), and
// vehicle_catalogue is read before any override.
bool is_protected(const std::string& first_key);
// The error for an override of such a key, with what to do instead.
std::string protected_message(const std::string& first_key);

// Sets every node that `path` selects in `root` to `value` (docs/model.md §8.21:
// a missing last key is created only where the format declares it optional).
// A path that selects nothing is an error naming the nearest valid path.
// Errors are reported at `where` with path `context` (e.g. "arms[uav_x4]").
// No override reaches `arms`, `sweep` or `pkrisk`, except that a sweep point
// (`arm_costs`) may set an arm's cost: arms[NAME].cost..., .cost_usd, .cost_basis.
bool apply_override(Node& root, const std::string& path, const Node& value, Mark where,
                    const std::string& context, Diagnostics& diags, bool arm_costs = false);

// A path into one arm's own overrides (docs/model.md §5.4):
//   arms[NAME].overrides.PATH
// where PATH is a scenario path that the arm's overrides set, either one of
// their keys (movements[gao-kidal-log].vehicles[1].count) or a key inside one
// of their values (movements[*].jammer.p_defeat, where the arm overrides
// movements[*].jammer with {p_defeat: 0.8}). A sweep point or a draw sets it
// for that arm alone.
struct ArmOverridePath {
  std::string arm;   // NAME
  std::string path;  // PATH
};
// Splits `path` when it has that form (false otherwise: an ordinary path).
bool split_arm_override_path(const std::string& path, ArmOverridePath& out);

// Sets PATH to `value` in an arm's `overrides` map (the longest key that PATH
// starts with; a key inside its value must exist). False with the error
// reported at `where`, naming the overrides the arm has.
bool set_arm_override(Node& overrides, const ArmOverridePath& p, const Node& value, Mark where,
                      const std::string& context, Diagnostics& diags);

struct FieldInfo;
// The declaration of the key a path ends at (selectors ignored), or null.
const FieldInfo* field_for_path(const std::string& path);
// The path (or the PATH of an arm-override path) ends at a key the format
// declares an integer (a count such as uav.aircraft): values drawn or swept
// for it are rounded to whole numbers.
bool is_integer_path(const std::string& path);

// A number as YAML text: a whole number in full, else the fewest significant
// digits (at most `max_digits`) that give `v` back exactly, or `v` rounded to
// `max_digits`. number_node with `whole` rounds `v` to a whole number first.
std::string yaml_number(double v, int max_digits = 17);
// The same as a scalar node written at `mark` (an override's value).
Node number_node(double v, bool whole, Mark mark, int max_digits = 17);

// The one number `path` selects in `root`, as calibration needs it (docs/model.md
// §5.7): selectors resolve as for overrides (§5.2, identifier before index);
// `[*]`, several nodes, nothing, or anything but a plain number written in the
// file is an error (in `error`, null returned). Nothing is created.
const Node* resolve_number(const Node& root, const std::string& path, std::string& error);

// Warns of each id (or arm name) in `root` that no path can name (docs/model.md
// §5.1): one holding ']', which ends a selector, or one that is `*`, which
// selects every element; and an arm name holding '[', which the arm's own
// overrides path (arms[NAME].overrides.PATH) cannot hold. Such ids load (files
// that have them keep working): the warning asks for a rename.
void warn_unaddressable_ids(const Node& root, Diagnostics& diags);

// Every path that selects an existing node of `root`, ids in brackets where the
// list elements have them (for "did you mean").
std::vector<std::string> all_paths(const Node& root);

}  // namespace pk
