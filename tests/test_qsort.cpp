// web/qsort.h: the browser build's qsort sorts as std::sort does, for any element size.
#include <doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include "web/qsort.h"

namespace {

struct Box {  // 12 bytes, as the atlas packer's boxes: sorted by height, then by width
  int w, h, id;
};

int by_height_then_width(const void* a, const void* b) {
  const Box& p = *static_cast<const Box*>(a);
  const Box& q = *static_cast<const Box*>(b);
  if (p.h != q.h) return p.h > q.h ? -1 : 1;
  return p.w > q.w ? -1 : p.w < q.w;
}

int by_value(const void* a, const void* b) {
  const char x = *static_cast<const char*>(a), y = *static_cast<const char*>(b);
  return (x > y) - (x < y);
}

}  // namespace

TEST_CASE("qsort: the browser build's sorts as std::sort") {
  std::mt19937 rng(7);
  for (int n : {0, 1, 2, 3, 7, 64, 200, 1000}) {
    CAPTURE(n);
    std::vector<Box> boxes(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) boxes[size_t(i)] = {int(rng() % 20), int(rng() % 20), i};
    std::vector<Box> expected = boxes;
    gs_qsort(boxes.data(), boxes.size(), sizeof(Box), by_height_then_width);
    std::stable_sort(expected.begin(), expected.end(), [](const Box& p, const Box& q) {
      return by_height_then_width(&p, &q) < 0;
    });
    for (size_t i = 0; i < boxes.size(); ++i) {  // equal boxes may come in any order
      CHECK(boxes[i].w == expected[i].w);
      CHECK(boxes[i].h == expected[i].h);
    }
    std::vector<int> ids;  // and every box is still there once
    for (const Box& b : boxes) ids.push_back(b.id);
    std::sort(ids.begin(), ids.end());
    for (int i = 0; i < n; ++i) CHECK(ids[size_t(i)] == i);

    std::vector<char> bytes(static_cast<size_t>(n));
    for (char& c : bytes) c = char(rng() % 256);
    std::vector<char> sorted = bytes;
    std::sort(sorted.begin(), sorted.end());
    gs_qsort(bytes.data(), bytes.size(), 1, by_value);
    CHECK(bytes == sorted);
  }
}
