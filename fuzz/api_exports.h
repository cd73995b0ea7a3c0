// The C functions web/api.cpp exports to the page, as fuzz_api calls them. CMake force-includes
// this header into web/api.cpp for fuzz_api, so a changed signature there fails the build
// instead of being called wrongly. Strings come in as (bytes, count): they may hold NULs.
#pragma once

#include <cstddef>

extern "C" {
size_t gs_out_size();
const char* gs_get(const char* name, int name_bytes);
const char* gs_set(const char* name, int name_bytes, const char* json, int json_bytes);
const char* gs_program();
const char* gs_program_with_values();
const char* gs_set_program(const char* text, int bytes);
const char* gs_errors();
int gs_load_example(const char* name, int bytes);
const char* gs_graph_json();
const char* gs_cell_rect(const char* name, int name_bytes, int row, int col);
const char* gs_set_options(const char* json, int json_bytes);
const char* gs_text_view_json(int page_rows, int page_cols, const char* pages, int pages_bytes);
const char* gs_exercise_json();
const char* gs_answer(int q, const char* json, int json_bytes);
const char* gs_reveal(int q);
unsigned gs_revision();
int gs_entry_at(float x, float y);
int gs_undo();
int gs_redo();
const char* gs_derivation_json();
}
