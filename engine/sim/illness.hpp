// Serious illness among the personnel of sites — docs/model.md §2.8.
#pragma once

namespace pk::sim {

struct World;

// Draws each site's serious cases over the horizon and the deaths among them,
// into the tally. Nothing else in a replication depends on them (they use no
// MEDEVAC and hold no movement), so they are drawn at once, before the events.
void draw_illness(World& w);

}  // namespace pk::sim
