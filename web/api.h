// The browser instance's state and the C functions behind the JavaScript API
// (web/embed.js wraps them as get / set / program / setProgram / cellRect ...).
#pragma once

#include "ui/state.h"

namespace gs::web {

ui::AppState& state();
// Called once per frame after drawing: fires JS "change" and "ready" notifications.
void after_frame();

}  // namespace gs::web
