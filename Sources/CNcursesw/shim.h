#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift cannot import function-like or cast macros, nor (in Swift 6 mode) curses' global variables.
   These wrappers expose what VigilTerminal's curses backend needs. */

static inline WINDOW *vigil_stdscr(void) { return stdscr; }
static inline int vigil_colors(void) { return COLORS; }
static inline int vigil_color_pairs(void) { return COLOR_PAIRS; }
static inline int vigil_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int vigil_getmaxx(WINDOW *w) { return getmaxx(w); }

static inline attr_t vigil_a_normal(void) { return A_NORMAL; }
static inline attr_t vigil_a_bold(void) { return A_BOLD; }
static inline attr_t vigil_a_dim(void) { return A_DIM; }
static inline attr_t vigil_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vigil_a_reverse(void) { return A_REVERSE; }
static inline attr_t vigil_a_italic(void) { return A_ITALIC; }

static inline int vigil_key_code_yes(void) { return KEY_CODE_YES; }
static inline int vigil_key_f(int n) { return KEY_F(n); }

static inline mmask_t vigil_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t vigil_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t vigil_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t vigil_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t vigil_button5_pressed(void) { return BUTTON5_PRESSED; }

/* Sets a cchar_t from up to CCHARW_MAX-1 wide characters; the pair goes through the extended `opts`
   argument so pair numbers above 32767 (from alloc_pair on 256-colour terminals) survive. */
static inline int vigil_setcchar(cchar_t *cell, const wchar_t *text, attr_t attrs, int pair) {
    int extended = pair;
    return setcchar(cell, text, attrs, (short)(pair > 32767 ? 0 : pair), &extended);
}

static inline int vigil_ccharw_max(void) { return CCHARW_MAX; }

/* glibc declares wcwidth only under _XOPEN_SOURCE; the backend uses it to check the C library agrees with
   Vigil's own width table before drawing a cell. */
extern int wcwidth(wchar_t c);
static inline int vigil_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
