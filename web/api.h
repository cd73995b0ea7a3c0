// The browser instance's state and the C functions behind the JavaScript API
// (web/embed.js wraps them as get / set / program / setProgram / cellRect ...).
#pragma once

#include "ui/state.h"

namespace gs::web {

ui::AppState& state();
// Called once per frame after drawing: fires JS "change" and "ready" notifications.
void after_frame();
// Before a frame: true when an SVG is due from it; that frame is then drawn without
// anti-aliasing (an SVG viewer smooths shapes itself), the others with it.
bool svg_frame();
// After ImGui::Render() of that frame: writes the graph viewport as SVG for the page.
void take_svg();

}  // namespace gs::web
