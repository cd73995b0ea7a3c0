// Key state for ImGui 1.86, which samples keys once per frame: a key pressed and released
// between two frames would never be seen down, so such a release is held over to the next
// frame. Both platforms feed their key events here and copy the state into io.KeysDown.
#pragma once

namespace gs::ui {

class KeyHold {
 public:
  static constexpr int kCount = 512;  // the size of ImGuiIO::KeysDown

  // A key went down or up (index in the platform's KeysDown numbering; others are ignored).
  void key(int index, bool down) {
    if (index < 0 || index >= kCount) return;
    if (down) {
      down_[index] = pressed_this_frame_[index] = true;
      release_pending_[index] = false;
    } else if (pressed_this_frame_[index]) {
      release_pending_[index] = true;  // down for this frame, up in the next
    } else {
      down_[index] = false;
    }
  }
  bool down(int index) const { return index >= 0 && index < kCount && down_[index]; }

  // Once per frame, before ImGui::NewFrame(): this frame's keys into `keys_down` (kCount entries).
  void apply(bool* keys_down) {
    for (int k = 0; k < kCount; ++k) {
      keys_down[k] = down_[k];
      if (release_pending_[k] && !pressed_this_frame_[k]) down_[k] = keys_down[k] = release_pending_[k] = false;
      pressed_this_frame_[k] = false;
    }
  }

 private:
  bool down_[kCount] = {};
  bool pressed_this_frame_[kCount] = {};
  bool release_pending_[kCount] = {};
};

}  // namespace gs::ui
