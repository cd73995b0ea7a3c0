// The C functions web/api.cpp exports to the page, as fuzz_api calls them. CMake force-includes
// this header into web/api.cpp for fuzz_api, so a changed signature there fails the build
// instead of being called wrongly.
#pragma once

extern "C" {
const char* gs_get(const char* name);
const char* gs_set(const char* name, const char* matrix_json);
const char* gs_program();
const char* gs_program_with_values();
const char* gs_set_program(const char* text);
const char* gs_errors();
int gs_load_example(const char* name);
const char* gs_graph_json();
const char* gs_cell_rect(const char* name, int row, int col);
const char* gs_set_options(const char* options_json);
const char* gs_text_view_json();
const char* gs_exercise_json();
const char* gs_answer(int q, const char* matrix_json);
const char* gs_reveal(int q);
unsigned gs_revision();
}
