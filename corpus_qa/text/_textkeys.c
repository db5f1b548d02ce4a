/* corpus_qa.text._textkeys: content keys of Arrow string buffers in one pass per value.
 *
 * The keys are exactly those of corpus_qa.text.keys's Arrow path (pandas' SipHash-2-4
 * with its default key, then pandas' 64-bit mixing) of text whose ASCII whitespace
 * runs are collapsed to one space and trimmed, and, for paragraph keys, case folded
 * as Python's str.casefold does. That path scans each value five to eight times
 * (whitespace test, rewrite, trim, ASCII test, fold screen, fold, copy to bytes,
 * hash); here each byte is read once and nothing is copied. Paragraphs this module
 * cannot fold (a code point outside the fold table it is given) are reported back and
 * keyed by the Arrow path, so both give the same key for every value. It also hashes
 * words for MinHash as corpus_qa.text.minhash does.
 *
 * Buffers come through the buffer protocol (numpy views of Arrow buffers), and the GIL
 * is released while keying.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h> /* every x86-64 machine has SSE2 */
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "word reads assume a little-endian machine; corpus_qa falls back to its Arrow path"
#endif

/* ---- SipHash-2-4 fed one byte at a time (pandas/_libs/hashing.pyx's hash) ----
 *
 * The state lives in local variables of the keying loops (the macros below), so the
 * compiler keeps it in registers: behind a pointer, every output byte written through
 * a char pointer would force it back to memory. */

static uint64_t K0, K1;

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                \
    do {                                                                        \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);               \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                  \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                  \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);               \
    } while (0)

#define SIP_DECLARE                                                             \
    uint64_t v0 = 0x736f6d6570736575ULL ^ K0, v1 = 0x646f72616e646f6dULL ^ K1;  \
    uint64_t v2 = 0x6c7967656e657261ULL ^ K0, v3 = 0x7465646279746573ULL ^ K1;  \
    uint64_t word = 0, length = 0;                                              \
    unsigned shift = 0

#define SIP_WORD(m)                                                             \
    do {                                                                        \
        v3 ^= (m);                                                              \
        SIPROUND;                                                               \
        SIPROUND;                                                               \
        v0 ^= (m);                                                              \
    } while (0)

/* Append one byte to the message. */
#define SIP_PUSH(byte)                                                          \
    do {                                                                        \
        word |= (uint64_t)(uint8_t)(byte) << shift;                             \
        length++;                                                               \
        if ((shift += 8) == 64) {                                               \
            SIP_WORD(word);                                                     \
            word = 0;                                                           \
            shift = 0;                                                          \
        }                                                                       \
    } while (0)

/* Append eight bytes (a little-endian word) to the message. */
#define SIP_PUSH8(x)                                                            \
    do {                                                                        \
        uint64_t p8_ = (x);                                                     \
        if (shift == 0) {                                                       \
            SIP_WORD(p8_);                                                      \
        } else {                                                                \
            uint64_t m_ = word | (p8_ << shift);                                \
            SIP_WORD(m_);                                                       \
            word = p8_ >> (64 - shift);                                         \
        }                                                                       \
        length += 8;                                                            \
    } while (0)

/* Append the low k bytes (1 to 7) of a word to the message. */
#define SIP_PUSHN(x, k)                                                         \
    do {                                                                        \
        unsigned bits_ = 8u * (unsigned)(k);                                    \
        uint64_t pn_ = (x) & ((1ULL << bits_) - 1);                             \
        word |= pn_ << shift;                                                   \
        if (shift + bits_ >= 64) {                                              \
            SIP_WORD(word);                                                     \
            word = pn_ >> (64 - shift); /* shift > 0 here: bits_ < 64 */        \
            shift = shift + bits_ - 64;                                         \
        } else {                                                                \
            shift += bits_;                                                     \
        }                                                                       \
        length += (k);                                                          \
    } while (0)

/* ---- eight ASCII bytes at a time (SWAR) ---- */

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

static inline uint64_t load64(const uint8_t *p) {
    uint64_t x;
    memcpy(&x, p, 8); /* little endian, as pandas reads it (checked above) */
    return x;
}

/* High bit of each byte of an ASCII word that equals `byte`. */
static inline uint64_t bytes_equal(uint64_t x, uint8_t byte) {
    uint64_t y = x ^ (ONES * byte);
    return ~(((y & ~HIGH) + ~HIGH) | y | ~HIGH);
}

/* High bit of each byte of an ASCII word that is at least `low` (1 to 127). */
static inline uint64_t bytes_at_least(uint64_t x, uint8_t low) {
    return (x + ONES * (uint8_t)(0x80 - low)) & HIGH;
}

/* The bytes of a word (high bit of each) that the one-byte path must take: non-ASCII
 * bytes, \t-\r, a space followed by whitespace or last in the word (it may start a run
 * or trail the value), and a leading space when nothing was pushed yet. Every byte
 * before the first of them passes through collapsing unchanged. Bytes are tested with
 * their high bit cleared, so that sums never carry into the next byte; that misreads
 * only bytes that are non-ASCII anyway, and can only flag more, never fewer. */
static inline uint64_t slow_bytes(uint64_t x, int started) {
    uint64_t x7 = x & ~HIGH;
    uint64_t control = bytes_at_least(x7, 9) & ~bytes_at_least(x7, 14);
    uint64_t space = bytes_equal(x7, ' ');
    uint64_t slow = (x & HIGH) | control | (space & (((control | space) >> 8) | (HIGH << 56)));
    return started ? slow : slow | (space & 0x80);
}

/* slow_bytes for collapsing alone (no folding): a non-ASCII byte is never
 * whitespace, so it passes through unchanged and only ASCII bytes are flagged. Text
 * in other scripts then goes eight bytes at a time instead of one. */
static inline uint64_t collapse_slow_bytes(uint64_t x, int started) {
    uint64_t ascii = ~x & HIGH, x7 = x & ~HIGH;
    uint64_t control = bytes_at_least(x7, 9) & ~bytes_at_least(x7, 14) & ascii;
    uint64_t space = bytes_equal(x7, ' ') & ascii;
    uint64_t slow = control | (space & (((control | space) >> 8) | (HIGH << 56)));
    return started ? slow : slow | (space & 0x80);
}

/* ASCII upper case to lower (other bytes: see slow_bytes, they are never pushed). */
static inline uint64_t ascii_lower(uint64_t x) {
    uint64_t x7 = x & ~HIGH;
    uint64_t upper = bytes_at_least(x7, 'A') & ~bytes_at_least(x7, 'Z' + 1);
    return x | (upper >> 2);
}

/* The final SipHash round, then the mixing pandas' hash_array applies to every hash. */
#define SIP_FINISH(out)                                                         \
    do {                                                                        \
        uint64_t b_ = (length << 56) | word;                                    \
        SIP_WORD(b_);                                                           \
        v2 ^= 0xff;                                                             \
        SIPROUND;                                                               \
        SIPROUND;                                                               \
        SIPROUND;                                                               \
        SIPROUND;                                                               \
        uint64_t h_ = v0 ^ v1 ^ v2 ^ v3;                                        \
        h_ ^= h_ >> 30;                                                         \
        h_ *= 0xBF58476D1CE4E5B9ULL;                                            \
        h_ ^= h_ >> 27;                                                         \
        h_ *= 0x94D049BB133111EBULL;                                            \
        h_ ^= h_ >> 31;                                                         \
        (out) = h_;                                                             \
    } while (0)

/* ASCII whitespace as corpus_qa.text.keys collapses it: \t \n \v \f \r and space. */
static inline int is_space(uint8_t c) { return c == 32 || (c >= 9 && c <= 13); }

/* Push data[0:n] with its whitespace runs as one space and trimmed (collapse); sets
 * `any` when anything was pushed. */
#define PUSH_COLLAPSED(p, n, any)                                               \
    do {                                                                        \
        int pending_ = 0;                                                       \
        Py_ssize_t i_ = 0;                                                      \
        while (i_ < (n)) {                                                      \
            if (!pending_ && i_ + 8 <= (n)) {                                   \
                uint64_t x_ = load64((p) + i_);                                 \
                uint64_t slow_ = collapse_slow_bytes(x_, (any));                         \
                if (!slow_) {                                                   \
                    SIP_PUSH8(x_);                                              \
                    (any) = 1;                                                  \
                    i_ += 8;                                                    \
                    continue;                                                   \
                }                                                               \
                unsigned j_ = (unsigned)__builtin_ctzll(slow_) >> 3;            \
                if (j_) {                                                       \
                    SIP_PUSHN(x_, j_);                                          \
                    (any) = 1;                                                  \
                    i_ += j_;                                                   \
                }                                                               \
            }                                                                   \
            uint8_t c_ = (p)[i_++];                                             \
            if (is_space(c_)) {                                                 \
                pending_ = (any);                                               \
                continue;                                                       \
            }                                                                   \
            if (pending_) {                                                     \
                SIP_PUSH(' ');                                                  \
                pending_ = 0;                                                   \
            }                                                                   \
            SIP_PUSH(c_);                                                       \
            (any) = 1;                                                          \
        }                                                                       \
    } while (0)

/* ---- case folding ---- */

/* Fold table entries: the folded code point, or one of these. */
#define FOLD_DEFER 0xFFFFFFFFu /* not folded here: the Arrow path keys the value */
#define FOLD_SS 0xFFFFFFFEu    /* U+00DF and U+1E9E, folded to "ss" */

/* Outcome of keying one value. */
enum { DROPPED = 0, KEPT = 1, DEFERRED = 2 };

/* Collapse, fold and hash one value; KEPT when its folded text has at least min_chars
 * code points (counted into *folded_chars unless DEFERRED). Arrow strings are valid
 * UTF-8, so lead bytes are trusted; a code point the table does not cover (beyond its
 * size, or marked) defers the whole value. */
static int fold_one(const uint8_t *p, Py_ssize_t n, const uint32_t *table,
                    Py_ssize_t table_size, Py_ssize_t min_chars, uint64_t *key,
                    Py_ssize_t *folded_chars) {
    SIP_DECLARE;
    Py_ssize_t i = 0, chars = 0;
    int pending = 0;
    while (i < n) {
        if (!pending && i + 8 <= n) {
            uint64_t x = load64(p + i);
            uint64_t slow = slow_bytes(x, chars > 0);
            if (!slow) {
                SIP_PUSH8(ascii_lower(x));
                chars += 8;
                i += 8;
                continue;
            }
            unsigned j = (unsigned)__builtin_ctzll(slow) >> 3;
            if (j) {
                SIP_PUSHN(ascii_lower(x), j);
                chars += j;
                i += j;
            }
        }
        uint8_t c = p[i];
        if (c < 0x80) {
            i++;
            if (is_space(c)) {
                pending = chars > 0;
                continue;
            }
            if (pending) {
                SIP_PUSH(' ');
                chars++;
                pending = 0;
            }
            SIP_PUSH((c >= 'A' && c <= 'Z') ? c + 32 : c);
            chars++;
            continue;
        }
        uint32_t cp;
        int width;
        if (c >= 0xF0) {
            if (i + 4 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(p[i + 2] & 0x3F) << 6) | (uint32_t)(p[i + 3] & 0x3F);
            width = 4;
        } else if (c >= 0xE0) {
            if (i + 3 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) |
                 (uint32_t)(p[i + 2] & 0x3F);
            width = 3;
        } else if (c >= 0xC2) {
            if (i + 2 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(p[i + 1] & 0x3F);
            width = 2;
        } else {
            return DEFERRED; /* not UTF-8: let the Arrow path decide */
        }
        if ((Py_ssize_t)cp >= table_size) return DEFERRED;
        uint32_t folded = table[cp];
        if (folded == FOLD_DEFER) return DEFERRED;
        if (pending) {
            SIP_PUSH(' ');
            chars++;
            pending = 0;
        }
        if (folded == FOLD_SS) {
            SIP_PUSH('s');
            SIP_PUSH('s');
            chars += 2;
        } else if (folded == cp) {
            for (int k = 0; k < width; k++) SIP_PUSH(p[i + k]);
            chars++;
        } else {
            if (folded < 0x80) {
                SIP_PUSH(folded);
            } else if (folded < 0x800) {
                SIP_PUSH(0xC0 | (folded >> 6));
                SIP_PUSH(0x80 | (folded & 0x3F));
            } else if (folded < 0x10000) {
                SIP_PUSH(0xE0 | (folded >> 12));
                SIP_PUSH(0x80 | ((folded >> 6) & 0x3F));
                SIP_PUSH(0x80 | (folded & 0x3F));
            } else {
                SIP_PUSH(0xF0 | (folded >> 18));
                SIP_PUSH(0x80 | ((folded >> 12) & 0x3F));
                SIP_PUSH(0x80 | ((folded >> 6) & 0x3F));
                SIP_PUSH(0x80 | (folded & 0x3F));
            }
            chars++;
        }
        i += width;
    }
    *folded_chars = chars;
    if (chars < min_chars) return DROPPED;
    SIP_FINISH(*key);
    return KEPT;
}

/* The key of collapse(first) + NUL + collapse(second); whether collapse(second) is
 * not empty. */
static int joined_one(const uint8_t *p1, Py_ssize_t n1, const uint8_t *p2, Py_ssize_t n2,
                      uint64_t *key) {
    SIP_DECLARE;
    int any = 0;
    PUSH_COLLAPSED(p1, n1, any);
    SIP_PUSH(0);
    any = 0;
    PUSH_COLLAPSED(p2, n2, any);
    SIP_FINISH(*key);
    return any;
}

/* ---- Python API ---- */

static int check_sizes(Py_buffer *offsets, Py_ssize_t count, Py_buffer *data) {
    if (offsets->len != (count + 1) * (Py_ssize_t)sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "offsets must hold count + 1 int64 values");
        return -1;
    }
    const int64_t *off = (const int64_t *)offsets->buf;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (off[i] < 0 || off[i] > off[i + 1]) {
            PyErr_SetString(PyExc_ValueError, "offsets must be non-negative and sorted");
            return -1;
        }
    }
    if (count && off[count] > data->len) {
        PyErr_SetString(PyExc_ValueError, "offsets run past the data");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(joined_keys_doc,
"joined_keys(first_offsets, first_data, second_offsets, second_data, keys, nonempty)\n"
"\n"
"Per row: the key of collapse(first) + NUL + collapse(second) (uint64 into keys),\n"
"and whether collapse(second) is non-empty (uint8 into nonempty).");

static PyObject *py_joined_keys(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer off1, data1, off2, data2, keys, nonempty;
    if (!PyArg_ParseTuple(args, "y*y*y*y*w*w*", &off1, &data1, &off2, &data2, &keys,
                          &nonempty))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = nonempty.len;
    if (keys.len != count * (Py_ssize_t)sizeof(uint64_t)) {
        PyErr_SetString(PyExc_ValueError, "keys and nonempty sizes do not match");
        goto done;
    }
    if (check_sizes(&off1, count, &data1) < 0 || check_sizes(&off2, count, &data2) < 0)
        goto done;
    {
        const int64_t *o1 = (const int64_t *)off1.buf, *o2 = (const int64_t *)off2.buf;
        const uint8_t *d1 = (const uint8_t *)data1.buf, *d2 = (const uint8_t *)data2.buf;
        uint64_t *out_keys = (uint64_t *)keys.buf;
        uint8_t *out_nonempty = (uint8_t *)nonempty.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < count; i++) {
            out_nonempty[i] = (uint8_t)joined_one(d1 + o1[i], o1[i + 1] - o1[i], d2 + o2[i],
                                                  o2[i + 1] - o2[i], &out_keys[i]);
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&off1);
    PyBuffer_Release(&data1);
    PyBuffer_Release(&off2);
    PyBuffer_Release(&data2);
    PyBuffer_Release(&keys);
    PyBuffer_Release(&nonempty);
    return result;
}

/* ---- bodies split into paragraphs ---- */

/* Where the next "\n\n" starts in p[from:n], or n: pieces as Arrow's split_pattern
 * cuts them (non-overlapping separators, from the left). With `lines`, the next "\n". */
static inline Py_ssize_t next_break(const uint8_t *p, Py_ssize_t from, Py_ssize_t n, int lines) {
    if (lines) {
        if (from >= n) return n;
        const uint8_t *nl = memchr(p + from, '\n', (size_t)(n - from));
        return nl == NULL ? n : nl - p;
    }
    while (from + 1 < n) {
        const uint8_t *nl = memchr(p + from, '\n', (size_t)(n - 1 - from));
        if (nl == NULL) return n;
        from = nl - p;
        if (p[from + 1] == '\n') return from;
        from += 2; /* p[from + 1] is no newline: no separator starts there either */
    }
    return n;
}

/* How many bytes of a word have their high bit set, for a word of high bits only (a
 * multiply sums the bytes into the top one: builds without -mpopcnt would call a
 * library function for __builtin_popcountll). */
static inline unsigned count_high(uint64_t high_bits) { return (unsigned)(((high_bits >> 7) * ONES) >> 56); }

/* Code points in p[0:n]: the bytes that are not UTF-8 continuation bytes. */
static inline Py_ssize_t count_chars(const uint8_t *p, Py_ssize_t n) {
    Py_ssize_t count = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x = load64(p + i);
        /* continuation bytes are 10xxxxxx: bit 7 set and bit 6 clear */
        uint64_t continuation = x & ~(x << 1) & HIGH;
        count += 8 - count_high(continuation);
    }
    for (; i < n; i++) count += (p[i] & 0xC0) != 0x80;
    return count;
}

/* Bytes of the first `chars` code points of p[0:n]. */
static inline Py_ssize_t prefix_bytes(const uint8_t *p, Py_ssize_t n, Py_ssize_t chars) {
    if (n <= chars) return n; /* no more code points than bytes */
    Py_ssize_t i = 0;
    /* Whole words while they start fewer code points than are left to take. */
    for (; i + 8 <= n; i += 8) {
        uint64_t x = load64(p + i);
        Py_ssize_t starts = 8 - count_high(x & ~(x << 1) & HIGH);
        if (starts >= chars) break;
        chars -= starts;
    }
    while (i < n) {
        if ((p[i] & 0xC0) != 0x80 && chars-- == 0) break;
        i++;
    }
    return i;
}

PyDoc_STRVAR(count_paragraphs_doc,
"count_paragraphs(offsets, data, lines=0) -> int\n"
"\n"
"How many pieces splitting each value at \"\\n\\n\" (lines: at \"\\n\") gives, over all values.");

static PyObject *py_count_paragraphs(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data;
    int lines = 0;
    if (!PyArg_ParseTuple(args, "y*y*|p", &offsets, &data, &lines)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        Py_ssize_t pieces = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < count; i++) {
            const uint8_t *p = bytes + off[i];
            Py_ssize_t n = off[i + 1] - off[i], at = 0;
            pieces++;
            while ((at = next_break(p, at, n, lines)) < n) {
                pieces++;
                at += lines ? 1 : 2;
            }
        }
        Py_END_ALLOW_THREADS
        result = PyLong_FromSsize_t(pieces);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    return result;
}

PyDoc_STRVAR(paragraph_split_doc,
"paragraph_split(offsets, data, table, min_chars, evidence_chars, row, position, start,\n"
"                 state, keys, evidence_offsets, evidence_data, lines=0, chars=None) -> int\n"
"\n"
"Split each value at \"\\n\\n\" (count_paragraphs pieces in all) and key each piece as\n"
"fold_keys does (with lines, the line key of line_keys); with lines, at \"\\n\", and a\n"
"piece's position counts the empty pieces\n"
"before it in its value (its blank-line paragraph). Per piece: its value's index (row, int64), its index in the value\n"
"(position, int64), the code point where it starts in the value (start, int64),\n"
"state and key as fold_keys; and its first evidence_chars code points (none for a\n"
"dropped piece), as an Arrow\n"
"large_string array's offsets (int64, pieces + 1) and data (at least len(data) bytes);\n"
"given chars (int64 per piece), the code points of its folded text (-1 where deferred);\n"
"given ends (int64 per piece), the code point where it ends in the value.\n"
"With lines, dropped pieces are left out (the arrays' first pieces are those written).\n"
"Returns (the evidence bytes written, the pieces written).");

static int fold_line(const uint8_t *p, Py_ssize_t n, const uint32_t *table,
                     Py_ssize_t table_size, Py_ssize_t min_chars, uint64_t *key,
                     Py_ssize_t *folded_chars, Py_ssize_t *chars_written);

static PyObject *py_paragraph_split(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, table, row, position, start, state, keys, ev_offsets, ev_data;
    Py_buffer folded = {0}, ends = {0};
    Py_ssize_t min_chars, evidence_chars;
    int lines = 0;
    if (!PyArg_ParseTuple(args, "y*y*y*nnw*w*w*w*w*w*w*|pw*w*", &offsets, &data, &table,
                          &min_chars, &evidence_chars, &row, &position, &start, &state, &keys,
                          &ev_offsets, &ev_data, &lines, &folded, &ends))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t pieces = state.len;
    if (count < 0 || row.len != pieces * 8 || position.len != pieces * 8 ||
        start.len != pieces * 8 || keys.len != pieces * 8 || ev_offsets.len != (pieces + 1) * 8 ||
        ev_data.len < data.len || table.len % sizeof(uint32_t) ||
        (folded.buf != NULL && folded.len != pieces * 8) ||
        (ends.buf != NULL && ends.len != pieces * 8)) {
        PyErr_SetString(PyExc_ValueError, "paragraph_split: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        const uint32_t *fold = (const uint32_t *)table.buf;
        Py_ssize_t table_size = table.len / (Py_ssize_t)sizeof(uint32_t);
        int64_t *out_row = (int64_t *)row.buf, *out_position = (int64_t *)position.buf;
        int64_t *out_start = (int64_t *)start.buf, *out_ev = (int64_t *)ev_offsets.buf;
        uint8_t *out_state = (uint8_t *)state.buf, *ev = (uint8_t *)ev_data.buf;
        uint64_t *out_keys = (uint64_t *)keys.buf;
        int64_t *out_chars = (int64_t *)folded.buf, *out_ends = (int64_t *)ends.buf;
        Py_ssize_t k = 0, written = 0;
        int overflow = 0;
        Py_BEGIN_ALLOW_THREADS
        out_ev[0] = 0;
        for (Py_ssize_t i = 0; i < count && !overflow; i++) {
            const uint8_t *p = bytes + off[i];
            Py_ssize_t n = off[i + 1] - off[i], at = 0, chars = 0, blank = 0;
            Py_ssize_t sep = lines ? 1 : 2;
            for (Py_ssize_t j = 0;; j++) {
                if (k == pieces) {
                    overflow = 1;
                    break;
                }
                Py_ssize_t end = next_break(p, at, n, lines), size = end - at;
                uint64_t key = 0;
                out_row[k] = i;
                out_position[k] = lines ? blank : j;
                if (lines && size == 0) blank++;
                out_start[k] = chars;
                Py_ssize_t piece_chars = -1, written_chars = -1;
                if (lines) {
                    out_state[k] = (uint8_t)fold_line(p + at, size, fold, table_size, min_chars,
                                                      &key, &piece_chars, &written_chars);
                    if (out_state[k] == DEFERRED) written_chars = -1;
                } else {
                    out_state[k] = (uint8_t)fold_one(p + at, size, fold, table_size, min_chars,
                                                     &key, &piece_chars);
                }
                if (out_chars != NULL) out_chars[k] = piece_chars;
                out_keys[k] = key;
                /* A dropped piece's evidence is never read: none is written. */
                Py_ssize_t head =
                    out_state[k] == DROPPED ? 0 : prefix_bytes(p + at, size, evidence_chars);
                memcpy(ev + written, p + at, (size_t)head);
                written += head;
                out_ev[k + 1] = written;
                /* With lines, a dropped line (most are blank) is not written out, so
                 * the caller need not filter every array. */
                int dropped = lines && out_state[k] == DROPPED;
                if (!dropped) k++;
                if (end == n && out_ends == NULL) break;
                chars += written_chars >= 0 ? written_chars : count_chars(p + at, size);
                if (out_ends != NULL && !dropped) out_ends[k - 1] = chars;
                if (end == n) break;
                chars += sep;
                at = end + sep;
            }
        }
        Py_END_ALLOW_THREADS
        if (overflow || (lines ? k > pieces : k != pieces)) {
            PyErr_SetString(PyExc_ValueError, "paragraph_split: not count_paragraphs pieces");
            goto done;
        }
        result = Py_BuildValue("nn", written, k);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&table);
    PyBuffer_Release(&row);
    PyBuffer_Release(&position);
    PyBuffer_Release(&start);
    PyBuffer_Release(&state);
    PyBuffer_Release(&keys);
    PyBuffer_Release(&ev_offsets);
    PyBuffer_Release(&ev_data);
    if (folded.buf != NULL) PyBuffer_Release(&folded);
    if (ends.buf != NULL) PyBuffer_Release(&ends);
    return result;
}

PyDoc_STRVAR(prefixes_doc,
"prefixes(offsets, data, rows, chars, out_offsets, out_data) -> int\n"
"\n"
"The first chars code points of each value at rows (int64, in order; a value may\n"
"be taken more than once), as an Arrow large_string array's offsets (int64,\n"
"len(rows) + 1, into out_offsets) and data (into out_data: at least the taken\n"
"values' bytes). Returns the bytes written.");

static PyObject *py_prefixes(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, rows, out_offsets, out_data;
    Py_ssize_t chars;
    if (!PyArg_ParseTuple(args, "y*y*y*nw*w*", &offsets, &data, &rows, &chars, &out_offsets,
                          &out_data))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t many = rows.len / (Py_ssize_t)sizeof(int64_t);
    if (count < 0 || rows.len % (Py_ssize_t)sizeof(int64_t) ||
        out_offsets.len != (many + 1) * (Py_ssize_t)sizeof(int64_t) || chars < 0) {
        PyErr_SetString(PyExc_ValueError, "prefixes: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf, *at = (const int64_t *)rows.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int64_t *out_off = (int64_t *)out_offsets.buf;
        uint8_t *out = (uint8_t *)out_data.buf;
        Py_ssize_t written = 0, capacity = out_data.len;
        for (Py_ssize_t k = 0; k < many; k++) {
            if (at[k] < 0 || at[k] >= count) {
                PyErr_SetString(PyExc_IndexError, "prefixes: row out of range");
                goto done;
            }
        }
        int overflow = 0;
        Py_BEGIN_ALLOW_THREADS
        out_off[0] = 0;
        for (Py_ssize_t k = 0; k < many; k++) {
            const uint8_t *p = bytes + off[at[k]];
            Py_ssize_t head = prefix_bytes(p, off[at[k] + 1] - off[at[k]], chars);
            if (written + head > capacity) {
                overflow = 1;
                break;
            }
            memcpy(out + written, p, (size_t)head);
            written += head;
            out_off[k + 1] = written;
        }
        Py_END_ALLOW_THREADS
        if (overflow) {
            PyErr_SetString(PyExc_ValueError, "prefixes: out_data is too small");
            goto done;
        }
        result = PyLong_FromSsize_t(written);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&out_offsets);
    PyBuffer_Release(&out_data);
    return result;
}

/* ---- word hashes for MinHash (corpus_qa.text.minhash.word_hashes) ---- */

#define WORD_PRIME 0x100000001B3ULL
#define READ_WHOLE 24

static inline uint64_t splitmix(uint64_t h) {
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return h;
}

/* The first n (0 to 8) bytes of p as a little-endian word; never reads past p + n.
 * Fixed-size loads, overlapping where n is not a power of two: a memcpy of a variable
 * size is a library call, and this runs for every word of every body. */
static inline uint64_t load_upto8(const uint8_t *p, Py_ssize_t n) {
    if (n >= 8) return load64(p);
    if (n >= 4) {
        uint32_t low, high;
        memcpy(&low, p, 4);
        memcpy(&high, p + n - 4, 4);
        return (uint64_t)low | ((uint64_t)high << (8 * (n - 4)));
    }
    if (n <= 0) return 0;
    return (uint64_t)p[0] | ((uint64_t)p[n / 2] << (8 * (n / 2))) | ((uint64_t)p[n - 1] << (8 * (n - 1)));
}

/* minhash.string_hashes of one word: up to 24 bytes read whole and mixed, longer
 * words pandas' SipHash (with its mixing). */
static inline uint64_t word_hash(const uint8_t *p, Py_ssize_t n) {
    if (n > READ_WHOLE) {
        SIP_DECLARE;
        for (Py_ssize_t i = 0; i + 8 <= n; i += 8) SIP_PUSH8(load64(p + i));
        for (Py_ssize_t i = n & ~(Py_ssize_t)7; i < n; i++) SIP_PUSH(p[i]);
        uint64_t h;
        SIP_FINISH(h);
        return h;
    }
    uint64_t h = load_upto8(p, n) ^ ((uint64_t)n << 56);
    if (n > 8) {
        uint64_t tail = load_upto8(p + 8, n - 8);
        if (n > 16) tail ^= load64(p + n - 8) * WORD_PRIME;
        h = splitmix(h) ^ tail;
    }
    return splitmix(h);
}

/* High bit of each byte of a word that is ASCII whitespace (is_space). Bytes are
 * tested with their high bit cleared (no carries between bytes), and non-ASCII bytes,
 * which that could misread as whitespace, are dropped at the end. */
static inline uint64_t space_bytes(uint64_t x) {
    uint64_t x7 = x & ~HIGH;
    uint64_t control = bytes_at_least(x7, 9) & ~bytes_at_least(x7, 14);
    return (control | bytes_equal(x7, ' ')) & ~x & HIGH;
}

/* Bit i: byte i of p[0:64] is whitespace; p[n:64] (n < 64: the value's last block)
 * reads as none, from a zeroed copy. Eight independent loads, each byte's high bit
 * gathered into one byte by a multiply. */
static inline uint64_t block_spaces(const uint8_t *p, Py_ssize_t n) {
    uint8_t tail[64];
    if (n < 64) {
        memset(tail, 0, sizeof tail);
        memcpy(tail, p, (size_t)n);
        p = tail;
    }
    uint64_t bits = 0;
#if defined(__SSE2__)
    /* The same test sixteen bytes at a time: a space, or \t-\r (the byte minus 9,
     * unsigned, at most 4: bytes below 9 wrap past it, non-ASCII bytes stay past it). */
    const __m128i space = _mm_set1_epi8(' '), nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4);
    for (int k = 0; k < 4; k++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i t = _mm_sub_epi8(x, nine);
        __m128i spaces = _mm_or_si128(_mm_cmpeq_epi8(x, space), _mm_cmpeq_epi8(_mm_min_epu8(t, four), t));
        bits |= (uint64_t)(uint16_t)_mm_movemask_epi8(spaces) << (16 * k);
    }
#else
    for (int k = 0; k < 8; k++) {
        uint64_t high = space_bytes(load64(p + 8 * k));
        bits |= (((high >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
    }
#endif
    return bits;
}

/* Words of p[0:n] as Arrow's ascii_split_whitespace cuts them: runs of ASCII
 * whitespace separate words, and a run at either end leaves an empty word there (an
 * empty value is one empty word). Calls EACH(start, end) per word.
 *
 * A byte loop takes a branch per byte (and mispredicts at every word's end); this
 * reads 64 bytes into a bit mask of whitespace and visits only the edges of its runs:
 * a run's first byte ends a word, the first byte after it starts the next. */
#define FOR_EACH_WORD(p, n, EACH)                                               \
    do {                                                                        \
        Py_ssize_t w0_ = 0;                                                     \
        uint64_t in_run_ = 0; /* the byte before the block is whitespace */     \
        for (Py_ssize_t b_ = 0; b_ < (n); b_ += 64) {                           \
            Py_ssize_t len_ = (n) - b_ < 64 ? (n) - b_ : 64;                    \
            uint64_t m_ = block_spaces((p) + b_, len_);                         \
            uint64_t before_ = (m_ << 1) | in_run_;                             \
            uint64_t firsts_ = m_ & ~before_;                                   \
            /* past a short block's end: an edge at n after a run, as below */  \
            uint64_t edges_ = firsts_ | (~m_ & before_);                        \
            while (edges_) {                                                    \
                unsigned e_ = (unsigned)__builtin_ctzll(edges_);                \
                edges_ &= edges_ - 1;                                           \
                if ((firsts_ >> e_) & 1) {                                      \
                    EACH(w0_, b_ + (Py_ssize_t)e_);                             \
                } else {                                                        \
                    w0_ = b_ + (Py_ssize_t)e_;                                  \
                }                                                               \
            }                                                                   \
            in_run_ = (m_ >> (len_ - 1)) & 1;                                   \
        }                                                                       \
        /* The last word, empty after a closing run of whitespace. */           \
        if (in_run_) w0_ = (n);                                                 \
        EACH(w0_, (n));                                                         \
    } while (0)

PyDoc_STRVAR(count_words_doc,
"count_words(offsets, data, counts) -> int\n"
"\n"
"Words per value (int64 into counts) as Arrow's ascii_split_whitespace cuts them;\n"
"returns the total.");

static PyObject *py_count_words(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, counts;
    if (!PyArg_ParseTuple(args, "y*y*w*", &offsets, &data, &counts)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = counts.len / (Py_ssize_t)sizeof(int64_t);
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int64_t *out = (int64_t *)counts.buf;
        Py_ssize_t total = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r], words = 0;
#define COUNT_WORD(a, b) ((void)(a), (void)(b), words++)
            FOR_EACH_WORD(p, n, COUNT_WORD);
#undef COUNT_WORD
            out[r] = words;
            total += words;
        }
        Py_END_ALLOW_THREADS
        result = PyLong_FromSsize_t(total);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&counts);
    return result;
}

PyDoc_STRVAR(word_hashes_doc,
"word_hashes(offsets, data, hashes)\n"
"\n"
"The hash of every word of every value, in order (uint64 into hashes, sized by\n"
"count_words), as corpus_qa.text.minhash.string_hashes hashes a word.");

static PyObject *py_word_hashes(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, hashes;
    if (!PyArg_ParseTuple(args, "y*y*w*", &offsets, &data, &hashes)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t capacity = hashes.len / (Py_ssize_t)sizeof(uint64_t);
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint64_t *out = (uint64_t *)hashes.buf;
        Py_ssize_t k = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count && k <= capacity; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r];
#define HASH_WORD(a, b)                                                         \
    do {                                                                        \
        if (k < capacity) out[k] = word_hash(p + (a), (b) - (a));               \
        k++;                                                                    \
    } while (0)
            FOR_EACH_WORD(p, n, HASH_WORD);
#undef HASH_WORD
        }
        Py_END_ALLOW_THREADS
        if (k != capacity) {
            PyErr_SetString(PyExc_ValueError, "word_hashes: not count_words words");
            goto done;
        }
        result = Py_None;
        Py_INCREF(result);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&hashes);
    return result;
}

PyDoc_STRVAR(string_hashes_doc,
"string_hashes(offsets, data, hashes)\n"
"\n"
"The hash of each whole value (uint64 into hashes, one per value), as\n"
"corpus_qa.text.minhash.string_hashes hashes it, whitespace and all.");

static PyObject *py_string_hashes(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, hashes;
    if (!PyArg_ParseTuple(args, "y*y*w*", &offsets, &data, &hashes)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = hashes.len / (Py_ssize_t)sizeof(uint64_t);
    if (hashes.len != count * (Py_ssize_t)sizeof(uint64_t) ||
        check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "hashes must be uint64");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint64_t *out = (uint64_t *)hashes.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++)
            out[r] = word_hash(bytes + off[r], off[r + 1] - off[r]);
        Py_END_ALLOW_THREADS
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&hashes);
    return result;
}

/* ---- MinHash signatures in one pass (corpus_qa.text.minhash.minhash_signatures) ---- */

#define MINHASH_EMPTY (1ULL << 63)
#define MINHASH_MAX_SHINGLE 64

PyDoc_STRVAR(minhash_doc,
"minhash(offsets, data, shingle, num_perm, counts, signatures)\n"
"\n"
"Per value: its words (int64 into counts, as count_words counts them) and the\n"
"compact one-permutation MinHash of its word shingle-grams (num_perm uint32 into\n"
"signatures, a row per value), as corpus_qa.text.minhash's signatures then compact\n"
"give them from word_hashes. One pass over the bytes: no word or gram hash is kept.\n"
"shingle is 1 to 64.");

static PyObject *py_minhash(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, counts, sig;
    int shingle, num_perm;
    if (!PyArg_ParseTuple(args, "y*y*iiw*w*", &offsets, &data, &shingle, &num_perm, &counts, &sig))
        return NULL;
    PyObject *result = NULL;
    uint64_t *bins = NULL;
    int64_t *following = NULL;
    Py_ssize_t count = counts.len / (Py_ssize_t)sizeof(int64_t);
    if (shingle < 1 || shingle > MINHASH_MAX_SHINGLE || num_perm < 1) {
        PyErr_SetString(PyExc_ValueError, "shingle must be 1 to 64 and num_perm positive");
        goto done;
    }
    if (counts.len != count * (Py_ssize_t)sizeof(int64_t) ||
        sig.len != count * (Py_ssize_t)num_perm * (Py_ssize_t)sizeof(uint32_t)) {
        PyErr_SetString(PyExc_ValueError, "counts must be int64 and signatures count x num_perm uint32");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    bins = (uint64_t *)malloc((size_t)num_perm * sizeof(uint64_t));
    following = (int64_t *)malloc((size_t)num_perm * sizeof(int64_t));
    if (bins == NULL || following == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int64_t *words_out = (int64_t *)counts.buf;
        uint32_t *out = (uint32_t *)sig.buf;
        const uint64_t perms = (uint64_t)num_perm;
        const uint32_t empty = (uint32_t)(splitmix(MINHASH_EMPTY) >> 32);
        uint64_t top = 1; /* WORD_PRIME ** shingle, modulo 2**64 */
        for (int j = 0; j < shingle; j++) top *= WORD_PRIME;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r];
            uint64_t window[MINHASH_MAX_SHINGLE] = {0}; /* the last words' hashes, a ring */
            uint64_t acc = 0;
            int64_t words = 0;
            int filled = 0, oldest = 0;
            for (int c = 0; c < num_perm; c++) bins[c] = MINHASH_EMPTY;
            /* The gram ending at each word: the polynomial of the last `shingle` word
             * hashes, oldest first (minhash._grams' wrapping arithmetic), rolled: the
             * word `shingle` back leaves with its power of the prime (a ring modulo
             * 2**64, so exactly). Its high half picks the bin, its low half competes
             * there, without a branch (half the comparisons go either way). */
#define MINHASH_WORD(a, b)                                                      \
    do {                                                                        \
        uint64_t h_ = word_hash(p + (a), (b) - (a));                            \
        acc = acc * WORD_PRIME + h_ - window[oldest] * top;                     \
        window[oldest] = h_;                                                    \
        if (++oldest == shingle) oldest = 0;                                    \
        if (++words >= shingle) {                                               \
            uint64_t bin_ = ((acc >> 32) * perms) >> 32;                        \
            uint64_t low_ = acc & 0xFFFFFFFFULL, old_ = bins[bin_];             \
            bins[bin_] = low_ < old_ ? low_ : old_;                             \
            filled = 1;                                                         \
        }                                                                       \
    } while (0)
            FOR_EACH_WORD(p, n, MINHASH_WORD);
#undef MINHASH_WORD
            words_out[r] = words;
            uint32_t *row = out + (size_t)r * (size_t)num_perm;
            if (!filled) {
                for (int c = 0; c < num_perm; c++) row[c] = empty;
                continue;
            }
            /* Densified by rotation: an empty bin takes the next filled bin to its
             * right (circularly) plus its distance in the high half. */
            int64_t next = -1, first = -1;
            for (int c = num_perm - 1; c >= 0; c--) {
                if (bins[c] != MINHASH_EMPTY) next = c;
                following[c] = next;
            }
            first = following[0];
            for (int c = 0; c < num_perm; c++) {
                int64_t at = following[c] >= 0 ? following[c] : first + num_perm;
                uint64_t dense = bins[at % num_perm] + ((uint64_t)(at - c) << 32);
                row[c] = (uint32_t)(splitmix(dense) >> 32);
            }
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_None;
    Py_INCREF(result);
done:
    free(bins);
    free(following);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&counts);
    PyBuffer_Release(&sig);
    return result;
}

PyDoc_STRVAR(common_counts_doc,
"common_counts(values, bounds, pairs, common)\n"
"\n"
"Per pair (a, b) of rows (int64, two a pair): how many values the two rows share\n"
"(int64 into common). Row r is values[bounds[r]:bounds[r + 1]] (uint64, each row\n"
"sorted and distinct; bounds int64, one more than the rows). One merge per pair.");

static PyObject *py_common_counts(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer values, bounds, pairs, common;
    if (!PyArg_ParseTuple(args, "y*y*y*w*", &values, &bounds, &pairs, &common)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = common.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t rows = bounds.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t size = values.len / (Py_ssize_t)sizeof(uint64_t);
    if (common.len != count * (Py_ssize_t)sizeof(int64_t) ||
        pairs.len != 2 * count * (Py_ssize_t)sizeof(int64_t) || rows < 0 ||
        bounds.len != (rows + 1) * (Py_ssize_t)sizeof(int64_t) ||
        values.len != size * (Py_ssize_t)sizeof(uint64_t)) {
        PyErr_SetString(PyExc_ValueError, "pairs must be (n, 2) int64, common n int64, values uint64");
        goto done;
    }
    {
        const uint64_t *v = (const uint64_t *)values.buf;
        const int64_t *at = (const int64_t *)bounds.buf;
        const int64_t *pair = (const int64_t *)pairs.buf;
        int64_t *out = (int64_t *)common.buf;
        for (Py_ssize_t r = 0; r < rows; r++) {
            if (at[r] < 0 || at[r] > at[r + 1] || at[r + 1] > size) {
                PyErr_SetString(PyExc_ValueError, "bounds must be sorted and inside the values");
                goto done;
            }
        }
        for (Py_ssize_t k = 0; k < 2 * count; k++) {
            if (pair[k] < 0 || pair[k] >= rows) {
                PyErr_SetString(PyExc_IndexError, "a pair names a row that is not there");
                goto done;
            }
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t k = 0; k < count; k++) {
            const uint64_t *a = v + at[pair[2 * k]], *a_end = v + at[pair[2 * k] + 1];
            const uint64_t *b = v + at[pair[2 * k + 1]], *b_end = v + at[pair[2 * k + 1] + 1];
            int64_t shared = 0;
            while (a < a_end && b < b_end) {
                uint64_t x = *a, y = *b;
                shared += x == y;
                a += x <= y;
                b += y <= x;
            }
            out[k] = shared;
        }
        Py_END_ALLOW_THREADS
    }
    result = Py_None;
    Py_INCREF(result);
done:
    PyBuffer_Release(&values);
    PyBuffer_Release(&bounds);
    PyBuffer_Release(&pairs);
    PyBuffer_Release(&common);
    return result;
}

typedef struct {
    int64_t *rows;
    uint64_t *keys;
    Py_ssize_t size, capacity;
} Found;

static int found_add(Found *f, int64_t row, uint64_t key) {
    if (f->size == f->capacity) {
        Py_ssize_t capacity = f->capacity ? 2 * f->capacity : 1024;
        int64_t *rows = (int64_t *)realloc(f->rows, (size_t)capacity * sizeof(int64_t));
        if (rows == NULL) return -1;
        f->rows = rows;
        uint64_t *keys = (uint64_t *)realloc(f->keys, (size_t)capacity * sizeof(uint64_t));
        if (keys == NULL) return -1;
        f->keys = keys;
        f->capacity = capacity;
    }
    f->rows[f->size] = row;
    f->keys[f->size] = key;
    f->size++;
    return 0;
}

static PyObject *found_bytes(const Found *words, const Found *pairs, int keys) {
    size_t item = keys ? sizeof(uint64_t) : sizeof(int64_t);
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)item * (words->size + pairs->size));
    if (out == NULL) return NULL;
    char *at = PyBytes_AS_STRING(out);
    if (words->size) memcpy(at, keys ? (void *)words->keys : (void *)words->rows, item * (size_t)words->size);
    if (pairs->size)
        memcpy(at + item * (size_t)words->size, keys ? (void *)pairs->keys : (void *)pairs->rows,
               item * (size_t)pairs->size);
    return out;
}

/* Top bits of a key that index a bitmap of `len` bytes, as a shift (64 - bits); -1
 * when `len` is not a power of two of at least two bytes. */
static int bitmap_shift(Py_ssize_t len) {
    if (len < 2 || (len & (len - 1))) return -1;
    int bits = 3;
    while (((Py_ssize_t)1 << (bits - 3)) < len) bits++;
    return 64 - bits;
}

/* ---- the site-text screen: long words anywhere, a line's first and last words ---- */

/* Bytes of the punctuation character at p[0:n]'s start, 0 if none: ASCII punctuation,
 * U+00A0-U+00BF (« » © ·), U+2000-U+206F (dashes, quotes, bullets, …) and U+2190-U+21FF
 * (arrows). A word's core is the word without these at either end
 * (corpus_qa.text.anchors.core). */
static inline Py_ssize_t punct_ahead(const uint8_t *p, Py_ssize_t n) {
    uint8_t c = p[0];
    if (c < 0x80) {
        uint8_t low = c | 0x20;
        return c > 32 && c < 127 && !(low >= 'a' && low <= 'z') && !(c >= '0' && c <= '9');
    }
    if (c == 0xC2) return n >= 2 && p[1] >= 0xA0 && p[1] <= 0xBF ? 2 : 0;
    if (c == 0xE2 && n >= 3 && (p[1] == 0x80 || p[1] == 0x81 || p[1] == 0x86 || p[1] == 0x87) &&
        (p[2] & 0xC0) == 0x80)
        return 3;
    return 0;
}

/* The same for the character ending at p[n - 1]. */
static inline Py_ssize_t punct_behind(const uint8_t *p, Py_ssize_t n) {
    uint8_t c = p[n - 1];
    if (c < 0x80) return punct_ahead(p + n - 1, 1);
    if (n >= 2 && p[n - 2] == 0xC2 && c >= 0xA0 && c <= 0xBF) return 2;
    if (n >= 3 && p[n - 3] == 0xE2 && (c & 0xC0) == 0x80 &&
        (p[n - 2] == 0x80 || p[n - 2] == 0x81 || p[n - 2] == 0x86 || p[n - 2] == 0x87))
        return 3;
    return 0;
}

/* The core of the word p[*a:*b] (see punct_ahead), in place; empty if all punctuation. */
static inline void word_core(const uint8_t *p, Py_ssize_t *a, Py_ssize_t *b) {
    Py_ssize_t s = *a, e = *b, k;
    while (s < e && (k = punct_ahead(p + s, e - s)) > 0) s += k;
    while (e > s && (k = punct_behind(p + s, e - s)) > 0) e -= k;
    *a = s;
    *b = e;
}

/* The end of a screen pass: (rows, keys) as bytes from `found` unless an error is set or
 * `failed` (out of memory); then `found` is freed and the `count` buffers released. */
static PyObject *screen_result(Found *found, int failed, Py_buffer *buffers[], int count) {
    PyObject *result = NULL;
    if (failed) {
        PyErr_NoMemory();
    } else if (!PyErr_Occurred()) {
        Found none = {NULL, NULL, 0, 0};
        PyObject *rows = found_bytes(found, &none, 0);
        PyObject *keys = rows ? found_bytes(found, &none, 1) : NULL;
        if (keys != NULL) result = PyTuple_Pack(2, rows, keys);
        Py_XDECREF(rows);
        Py_XDECREF(keys);
    }
    free(found->rows);
    free(found->keys);
    for (int k = 0; k < count; k++) PyBuffer_Release(buffers[k]);
    return result;
}

#define SCREEN_SET(bits, shift, k) (((bits)[(k) >> ((shift) + 3)] >> (((k) >> (shift)) & 7)) & 1)

/* The screen's key of the word p[0:n]: its first and last four bytes (overlapping
 * in a shorter word; a word under four bytes whole) and its length, mixed. Words that
 * differ only between their first and last four bytes share a key: the phrase search
 * after the screen tells them apart. The mix (screen_mix) folds the high half into
 * the low one, multiplies once and folds again: a bijection, as SplitMix's finalizer
 * is, so two words share a key exactly when they would under it, with one multiply
 * in the chain instead of two (every long word of a chunk is keyed). */
static inline uint64_t screen_mix(uint64_t x) {
    uint64_t h = (x ^ (x >> 32)) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

static inline uint64_t screen_key(const uint8_t *p, Py_ssize_t n) {
    uint64_t x;
    if (n >= 4) {
        uint32_t head, tail;
        memcpy(&head, p, 4);
        memcpy(&tail, p + n - 4, 4);
        x = (uint64_t)head | ((uint64_t)tail << 32);
    } else {
        x = load_upto8(p, n);
    }
    return screen_mix(x ^ ((uint64_t)n * 0x9E3779B97F4A7C15ULL));
}

/* Test the key of p[a:b] against a bitmap; record (row, key) when it passes, once a
 * row where a small table of the keys recorded last remembers it (a common word
 * recurs in a body: its repeats are dropped here, not in numpy). */
#define SEEN_SLOTS 1024
#define SCREEN_WORD(p, a, b, bits, shift, found, row, failed)                   \
    do {                                                                        \
        uint64_t h_ = screen_key((p) + (a), (b) - (a));                         \
        if (SCREEN_SET(bits, shift, h_)) {                                      \
            unsigned s_ = (unsigned)(h_ & (SEEN_SLOTS - 1));                    \
            if (seen_row[s_] != (row) || seen_key[s_] != h_) {                  \
                seen_row[s_] = (row);                                           \
                seen_key[s_] = h_;                                              \
                if (found_add(&(found), (row), h_) < 0) (failed) = 1;           \
            }                                                                   \
        }                                                                       \
    } while (0)

PyDoc_STRVAR(long_word_hits_doc,
"long_word_hits(offsets, data, bitmap, min_bytes) -> (rows: bytes, keys: bytes)\n"
"\n"
"Every word of at least min_bytes bytes (1 to 16; cut at ASCII whitespace) whose\n"
"screen_key (its first and last four bytes and its length, mixed) passes bitmap\n"
"(packed, little bit order, indexed by the key's top bits): the value\n"
"(int64) and key (uint64) of each, in order, a key once a value (a repeat may be\n"
"reported again after other keys). Shorter words are not visited: a bit mask of each\n"
"64 bytes' whitespace gives the ends of the long words directly.");

static PyObject *py_long_word_hits(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, bitmap;
    int min_bytes;
    if (!PyArg_ParseTuple(args, "y*y*y*i", &offsets, &data, &bitmap, &min_bytes)) return NULL;
    Py_buffer *held_buffers[] = {&offsets, &data, &bitmap};
    Found found = {NULL, NULL, 0, 0};
    int failed = 0;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    int shift = bitmap_shift(bitmap.len);
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    if (shift < 0 || min_bytes < 1 || min_bytes > 16) {
        PyErr_SetString(PyExc_ValueError,
                        "long_word_hits: a bitmap of a power of two bytes, min_bytes 1 to 16");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf, *bits = (const uint8_t *)bitmap.buf;
        int64_t seen_row[SEEN_SLOTS];
        uint64_t seen_key[SEEN_SLOTS];
        for (int k = 0; k < SEEN_SLOTS; k++) seen_row[k] = -1, seen_key[k] = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count && !failed; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r], last_space = -1;
            /* The previous block's non-whitespace and runs (none before the value). */
            uint64_t prev_ns = 0, prev_run = 0;
            for (Py_ssize_t b = 0; b < n; b += 64) {
                Py_ssize_t len = n - b < 64 ? n - b : 64;
                uint64_t m = block_spaces(p + b, len);
                if (len < 64) m |= ~0ULL << len; /* a word ends at n */
                uint64_t ns = ~m, run = ns;
                /* Bit i: bytes i - min_bytes + 1 .. i are all non-whitespace. */
                for (int k = 1; k < min_bytes; k++) run &= (ns << k) | (prev_ns >> (64 - k));
                /* A long word ends where whitespace follows such a run. */
                uint64_t ends = m & ((run << 1) | (prev_run >> 63));
                while (ends) {
                    unsigned e = (unsigned)__builtin_ctzll(ends);
                    ends &= ends - 1;
                    uint64_t below = m & ((1ULL << e) - 1);
                    Py_ssize_t start = below ? b + 64 - __builtin_clzll(below) : last_space + 1;
                    SCREEN_WORD(p, start, b + (Py_ssize_t)e, bits, shift, found, (int64_t)r, failed);
                }
                uint64_t seen = len < 64 ? m & ((1ULL << len) - 1) : m;
                if (seen) last_space = b + 63 - __builtin_clzll(seen);
                prev_ns = ns;
                prev_run = run;
            }
            /* A word running to the end of a last block of 64 bytes. */
            if (n && !(n & 63) && !is_space(p[n - 1]) && n - last_space - 1 >= min_bytes)
                SCREEN_WORD(p, last_space + 1, n, bits, shift, found, (int64_t)r, failed);
        }
        Py_END_ALLOW_THREADS
    }
done:
    return screen_result(&found, failed, held_buffers, 3);
}

PyDoc_STRVAR(line_edge_hits_doc,
"line_edge_hits(offsets, data, heads, tails) -> (rows: bytes, keys: bytes)\n"
"\n"
"Per line (cut at \\n) of every value: the key of the core of its first word with a\n"
"core (see long_word_hits) and of that word with the next one's (screen_pair) where\n"
"they pass heads, then of its last word and of the one before with it where they pass\n"
"tails: the value (int64) and key (uint64) of each, in order.");

/* The key of two words in order from their keys (corpus_qa.text.anchors.pair_key). */
static inline uint64_t screen_pair(uint64_t first, uint64_t second) {
    return splitmix(first * WORD_PRIME + second);
}

/* Record a line edge's word key (keys[0]) and its pair's (with keys[1]; the pair in
 * reading order) where they pass the bitmap. */
#define EDGE_KEYS(keys, held, bits, shift, backwards)                           \
    do {                                                                        \
        if ((held) >= 1 && SCREEN_SET(bits, shift, (keys)[0]) &&                \
            found_add(&found, (int64_t)r, (keys)[0]) < 0)                       \
            failed = 1;                                                         \
        if ((held) == 2) {                                                      \
            uint64_t pk_ = (backwards) ? screen_pair((keys)[1], (keys)[0])      \
                                       : screen_pair((keys)[0], (keys)[1]);     \
            if (SCREEN_SET(bits, shift, pk_) && found_add(&found, (int64_t)r, pk_) < 0) \
                failed = 1;                                                     \
        }                                                                       \
    } while (0)

static PyObject *py_line_edge_hits(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, heads, tails;
    if (!PyArg_ParseTuple(args, "y*y*y*y*", &offsets, &data, &heads, &tails)) return NULL;
    Py_buffer *held_buffers[] = {&offsets, &data, &heads, &tails};
    Found found = {NULL, NULL, 0, 0};
    int failed = 0;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    int h_shift = bitmap_shift(heads.len), t_shift = bitmap_shift(tails.len);
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    if (h_shift < 0 || t_shift < 0) {
        PyErr_SetString(PyExc_ValueError, "line_edge_hits: a bitmap's size is not a power of two");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        const uint8_t *h_bits = (const uint8_t *)heads.buf, *t_bits = (const uint8_t *)tails.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count && !failed; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r], at = 0;
            while (at <= n && !failed) {
                const uint8_t *nl = at < n ? memchr(p + at, '\n', (size_t)(n - at)) : NULL;
                Py_ssize_t end = nl ? nl - p : n, i = at;
                /* The first two words with a core, then the last two: each word's
                 * key, and the key of the pair. */
                uint64_t keys[2];
                int held = 0;
                while (i < end && held < 2) {
                    while (i < end && is_space(p[i])) i++;
                    Py_ssize_t j = i;
                    while (j < end && !is_space(p[j])) j++;
                    Py_ssize_t a = i, z = j;
                    word_core(p, &a, &z);
                    if (z > a) keys[held++] = screen_key(p + a, z - a);
                    i = j;
                }
                EDGE_KEYS(keys, held, h_bits, h_shift, 0);
                held = 0;
                for (Py_ssize_t j = end; j > at && held < 2;) {
                    while (j > at && is_space(p[j - 1])) j--;
                    Py_ssize_t k = j;
                    while (k > at && !is_space(p[k - 1])) k--;
                    Py_ssize_t a = k, z = j;
                    word_core(p, &a, &z);
                    if (z > a) keys[held++] = screen_key(p + a, z - a);
                    j = k;
                }
                EDGE_KEYS(keys, held, t_bits, t_shift, 1);
                at = end + 1;
            }
        }
        Py_END_ALLOW_THREADS
    }
done:
    return screen_result(&found, failed, held_buffers, 4);
}

#undef SCREEN_WORD
#undef SEEN_SLOTS
#undef EDGE_KEYS
#undef SCREEN_SET

/* ---- values holding a byte of a set (corpus_qa.text.screens.rows_with_any_byte) ---- */

PyDoc_STRVAR(rows_with_any_byte_doc,
"rows_with_any_byte(offsets, data, wanted) -> bytes\n"
"\n"
"The values (int64, ascending) holding a byte whose entry in wanted (256 bytes) is\n"
"non-zero; every such byte must be at least 0x80, or there must be at most four.");

static PyObject *py_rows_with_any_byte(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, wanted;
    if (!PyArg_ParseTuple(args, "y*y*y*", &offsets, &data, &wanted)) return NULL;
    PyObject *result = NULL;
    Found rows = {NULL, NULL, 0, 0}, none = {NULL, NULL, 0, 0};
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    const uint8_t *table = (const uint8_t *)wanted.buf;
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    if (wanted.len != 256) {
        PyErr_SetString(PyExc_ValueError, "rows_with_any_byte: wanted must be 256 bytes");
        goto done;
    }
    int low = 256, few = 0;
    uint8_t seek[4] = {0, 0, 0, 0};
    for (int b = 255; b >= 0; b--)
        if (table[b]) {
            low = b;
            if (few < 4) seek[few] = (uint8_t)b;
            few++;
        }
    if (low < 0x80 && few > 4) {
        PyErr_SetString(PyExc_ValueError,
                        "rows_with_any_byte: wanted bytes must be non-ASCII or at most four");
        goto done;
    }
    if (low < 0x80) {
        /* A few bytes, ASCII among them (punctuation: rare in most values, while the
         * table test below would look up every letter): one memchr a byte. */
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int failed = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++) {
            const uint8_t *p = bytes + off[r];
            size_t n = (size_t)(off[r + 1] - off[r]);
            int held = 0;
            for (int k = 0; k < few && !held; k++) held = memchr(p, seek[k], n) != NULL;
            if (held && found_add(&rows, (int64_t)r, 0) < 0) {
                failed = 1;
                break;
            }
        }
        Py_END_ALLOW_THREADS
        if (failed) {
            PyErr_NoMemory();
            goto done;
        }
        result = found_bytes(&rows, &none, 0);
        goto done;
    }
    /* The next wanted byte above the lowest (0xFF when there is none: only 0xFF itself
     * is then looked up twice, harmlessly). */
    int next = 255; /* read by the SSE2 path only */
    for (int b = 255; b > low; b--)
        if (table[b]) next = b;
    (void)next;
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int failed = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count && low < 256; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r], i = 0;
            int held = 0;
#if defined(__SSE2__)
            /* Sixteen bytes a test, four at once: only bytes equal to `low` or of at
             * least `next` are looked up (a lone low lead such as 0xC2 then lets the
             * other Latin letters' leads through untested); a block with none is
             * skipped whole. */
            const __m128i first = _mm_set1_epi8((char)low), floor = _mm_set1_epi8((char)next);
            for (; i + 64 <= n && !held; i += 64) {
                unsigned mask[4];
                int any = 0;
                for (int k = 0; k < 4; k++) {
                    __m128i x = _mm_loadu_si128((const __m128i *)(p + i + 16 * k));
                    __m128i may = _mm_or_si128(_mm_cmpeq_epi8(x, first),
                                               _mm_cmpeq_epi8(_mm_max_epu8(x, floor), x));
                    mask[k] = (unsigned)_mm_movemask_epi8(may);
                    any |= mask[k] != 0;
                }
                for (int k = 0; k < 4 && any && !held; k++)
                    while (mask[k] && !held) {
                        unsigned at = (unsigned)__builtin_ctz(mask[k]);
                        held = table[p[i + 16 * k + at]] != 0;
                        mask[k] &= mask[k] - 1;
                    }
            }
#endif
            /* Eight bytes a test: those of at least `low` (high bit set, and the low
             * seven bits at least low - 0x80) are looked up, the rest skipped. */
            for (; i + 8 <= n && !held; i += 8) {
                uint64_t x = load64(p + i);
                uint64_t may = x & HIGH & bytes_at_least(x & ~HIGH, (uint8_t)(low - 0x80));
                while (may && !held) {
                    unsigned at = (unsigned)__builtin_ctzll(may) >> 3;
                    held = table[p[i + at]] != 0;
                    may &= may - 1;
                }
            }
            for (; i < n && !held; i++) held = table[p[i]] != 0;
            if (held && found_add(&rows, (int64_t)r, 0) < 0) {
                failed = 1;
                break;
            }
        }
        Py_END_ALLOW_THREADS
        if (failed) {
            PyErr_NoMemory();
            goto done;
        }
        result = found_bytes(&rows, &none, 0);
    }
done:
    free(rows.rows);
    free(rows.keys);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&wanted);
    return result;
}

/* ---- values with a line closing on a byte (corpus_qa.text.screens.rows_closing_a_line) ---- */

PyDoc_STRVAR(rows_closing_a_line_doc,
"rows_closing_a_line(offsets, data, byte) -> bytes\n"
"\n"
"The values (int64, ascending) where byte (ASCII, not a space, tab or newline) is\n"
"followed by nothing but spaces and tabs up to a newline or the value's end: RE2's\n"
"\"<byte>[ \\t]*(?:\\n|$)\".");

static PyObject *py_rows_closing_a_line(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data;
    int byte;
    if (!PyArg_ParseTuple(args, "y*y*i", &offsets, &data, &byte)) return NULL;
    PyObject *result = NULL;
    Found rows = {NULL, NULL, 0, 0}, none = {NULL, NULL, 0, 0};
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (count < 0 || check_sizes(&offsets, count, &data) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "offsets must not be empty");
        goto done;
    }
    if (byte <= 0 || byte >= 0x80 || byte == ' ' || byte == '\t' || byte == '\n') {
        PyErr_SetString(PyExc_ValueError, "rows_closing_a_line: byte must be ASCII, not blank");
        goto done;
    }
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int failed = 0;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++) {
            /* Each line's end (a newline or the value's end) looked back from, over
             * spaces and tabs: newlines are rarer than most bytes asked for (")"). */
            const uint8_t *start = bytes + off[r], *end = bytes + off[r + 1], *p = start;
            int held = 0;
            while (!held) {
                const uint8_t *stop = memchr(p, '\n', (size_t)(end - p));
                const uint8_t *q = stop == NULL ? end : stop;
                while (q > p && (q[-1] == ' ' || q[-1] == '\t')) q--;
                held = q > p && q[-1] == byte;
                if (stop == NULL) break;
                p = stop + 1;
            }
            if (held && found_add(&rows, (int64_t)r, 0) < 0) {
                failed = 1;
                break;
            }
        }
        Py_END_ALLOW_THREADS
        if (failed) {
            PyErr_NoMemory();
            goto done;
        }
        result = found_bytes(&rows, &none, 0);
    }
done:
    free(rows.rows);
    free(rows.keys);
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    return result;
}

/* ---- a value's closing lines (corpus_qa.text.lines.closing_starts) ---- */

/* Bytes of the whitespace code point at p[0:n], as str.isspace has it; 0 if none. */
static inline Py_ssize_t space_width(const uint8_t *p, Py_ssize_t n) {
    uint8_t c = p[0];
    if (c < 0x80) return (is_space(c) || (c >= 0x1C && c <= 0x1F)) ? 1 : 0;
    if (c == 0xC2 && n >= 2) return (p[1] == 0x85 || p[1] == 0xA0) ? 2 : 0;
    if (n < 3) return 0;
    if (c == 0xE1) return (p[1] == 0x9A && p[2] == 0x80) ? 3 : 0;
    if (c == 0xE3) return (p[1] == 0x80 && p[2] == 0x80) ? 3 : 0;
    if (c != 0xE2) return 0;
    if (p[1] == 0x80) return (p[2] <= 0x8A || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF) ? 3 : 0;
    return (p[1] == 0x81 && p[2] == 0x9F) ? 3 : 0;
}

/* Whether p[0:n] (whole code points) is all whitespace, as str.isspace has it, or empty. */
static inline int blank(const uint8_t *p, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t width = space_width(p + i, n - i);
        if (!width) return 0;
        i += width;
    }
    return 1;
}

/* The last \n of p[0:n], -1 if none: memrchr where the C library has it. */
static inline Py_ssize_t last_newline(const uint8_t *p, Py_ssize_t n) {
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    const uint8_t *at = n > 0 ? (const uint8_t *)memrchr(p, '\n', (size_t)n) : NULL;
    return at ? at - p : -1;
#else
    Py_ssize_t i = n - 1;
    while (i >= 0 && p[i] != '\n') i--;
    return i;
#endif
}

PyDoc_STRVAR(closing_starts_doc,
"closing_starts(offsets, data, rows, count, starts)\n"
"\n"
"Per value at rows (int64): the byte (from the value's start) where the line of its\n"
"count-th last non-blank line starts, lines split at \"\\n\" and blank as str.isspace\n"
"has it; 0 when it has no more non-blank lines than that (int64 into starts).");

static PyObject *py_closing_starts(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, rows, starts;
    Py_ssize_t wanted;
    if (!PyArg_ParseTuple(args, "y*y*y*nw*", &offsets, &data, &rows, &wanted, &starts)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t many = rows.len / (Py_ssize_t)sizeof(int64_t);
    if (count < 0 || starts.len != rows.len || rows.len % sizeof(int64_t)) {
        PyErr_SetString(PyExc_ValueError, "closing_starts: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf, *at = (const int64_t *)rows.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        int64_t *out = (int64_t *)starts.buf;
        for (Py_ssize_t k = 0; k < many; k++) {
            if (at[k] < 0 || at[k] >= count) {
                PyErr_SetString(PyExc_IndexError, "closing_starts: row out of range");
                goto done;
            }
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t k = 0; k < many; k++) {
            const uint8_t *p = bytes + off[at[k]];
            Py_ssize_t pos = off[at[k] + 1] - off[at[k]], seen = 0, cut = 0;
            for (;;) {
                Py_ssize_t newline = last_newline(p, pos);
                if (!blank(p + newline + 1, pos - newline - 1) && ++seen >= wanted) {
                    cut = newline + 1;
                    break;
                }
                if (newline < 0) break;
                pos = newline;
            }
            /* Fewer non-blank lines than wanted: the whole value. */
            out[k] = seen >= wanted ? cut : 0;
        }
        Py_END_ALLOW_THREADS
        result = Py_None;
        Py_INCREF(result);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&starts);
    return result;
}

/* ---- whether a value's tail holds one of its own needles (boilerplate.bio) ---- */

PyDoc_STRVAR(tails_holding_doc,
"tails_holding(offsets, data, rows, starts, codes, needle_starts, needle_offsets,\n"
"              needle_data, held)\n"
"\n"
"Per position k: 1 (uint8 into held) when the value at rows[k], from its byte\n"
"starts[k] to its end, holds one of the needles needle_starts[codes[k]] to\n"
"needle_starts[codes[k] + 1] (needle j: needle_data[needle_offsets[j]:\n"
"needle_offsets[j + 1]], an empty one held everywhere); codes[k] < 0: none. As\n"
"`any(n in tail for n in needles)` on the bytes.");

/* Whether hay[0:n] holds needle[0:m]: memchr to each occurrence of its first byte. */
static int holds(const uint8_t *hay, Py_ssize_t n, const uint8_t *needle, Py_ssize_t m) {
    if (m == 0) return 1;
    const uint8_t *at = hay, *last = hay + n - m;
    while (at <= last) {
        const uint8_t *first = (const uint8_t *)memchr(at, needle[0], (size_t)(last - at + 1));
        if (first == NULL) return 0;
        if (memcmp(first + 1, needle + 1, (size_t)(m - 1)) == 0) return 1;
        at = first + 1;
    }
    return 0;
}

static PyObject *py_tails_holding(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, rows, starts, codes, nstarts, noffsets, ndata, held;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*y*y*w*", &offsets, &data, &rows, &starts, &codes,
                          &nstarts, &noffsets, &ndata, &held))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t many = rows.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t groups = nstarts.len / (Py_ssize_t)sizeof(int64_t) - 1;
    Py_ssize_t needles = noffsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (count < 0 || groups < 0 || needles < 0 || rows.len % sizeof(int64_t) ||
        starts.len != rows.len || codes.len != rows.len || held.len != many) {
        PyErr_SetString(PyExc_ValueError, "tails_holding: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0 || check_sizes(&noffsets, needles, &ndata) < 0)
        goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf, *at = (const int64_t *)rows.buf;
        const int64_t *from = (const int64_t *)starts.buf, *code = (const int64_t *)codes.buf;
        const int64_t *ns = (const int64_t *)nstarts.buf, *no = (const int64_t *)noffsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf, *nd = (const uint8_t *)ndata.buf;
        uint8_t *out = (uint8_t *)held.buf;
        for (Py_ssize_t g = 0; g < groups; g++) {
            if (ns[g] < 0 || ns[g] > ns[g + 1] || ns[g + 1] > needles) {
                PyErr_SetString(PyExc_ValueError, "tails_holding: needle_starts out of range");
                goto done;
            }
        }
        for (Py_ssize_t k = 0; k < many; k++) {
            if (at[k] < 0 || at[k] >= count || code[k] >= groups || from[k] < 0 ||
                from[k] > off[at[k] + 1] - off[at[k]]) {
                PyErr_SetString(PyExc_IndexError, "tails_holding: row, start or code out of range");
                goto done;
            }
        }
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t k = 0; k < many; k++) {
            out[k] = 0;
            if (code[k] < 0) continue;
            const uint8_t *hay = bytes + off[at[k]] + from[k];
            Py_ssize_t n = off[at[k] + 1] - off[at[k]] - from[k];
            for (int64_t j = ns[code[k]]; j < ns[code[k] + 1] && !out[k]; j++) {
                Py_ssize_t m = no[j + 1] - no[j];
                if (m <= n) out[k] = (uint8_t)holds(hay, n, nd + no[j], m);
            }
        }
        Py_END_ALLOW_THREADS
        result = Py_None;
        Py_INCREF(result);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&starts);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&nstarts);
    PyBuffer_Release(&noffsets);
    PyBuffer_Release(&ndata);
    PyBuffer_Release(&held);
    return result;
}

/* ---- line keys: a cheaper 64-bit key over the same normalized bytes ----
 *
 * Body lines (and the titles they are matched with) are keyed many times a chunk,
 * so they get a key cheaper than SipHash that numpy reproduces bit for bit
 * (corpus_qa.text.keys.mixed_keys): the normalized UTF-8 bytes are read as
 * little-endian 8-byte words w_1..w_m (the last zero-padded), and
 *     key = mix(sum_j mix(w_j ^ j * LK_P) ^ n * LK_Q)      (mod 2^64, n bytes)
 * with mix MurmurHash3's 64-bit finalizer, a bijection that spreads every input bit
 * over the whole word. The word's index enters each term, so moved words change the
 * key; the length enters the end, so zero padding does not collide with NUL bytes.
 * The terms are independent, so the words are mixed in parallel rather than through
 * SipHash's chain of rounds. Not built to resist inputs crafted to collide, as the
 * SipHash keys with their public key were not either; see keys.py on why 64 bits
 * suffice. */

#define LK_P 0x9E3779B97F4A7C15ULL
#define LK_Q 0xD6E8FEB86659FD93ULL

static inline uint64_t lk_mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}

#define LK_DECLARE                                                              \
    uint64_t acc = 0, word = 0, length = 0, index = 0;                          \
    unsigned shift = 0

#define LK_WORD(m)                                                              \
    do {                                                                        \
        index++;                                                                \
        acc += lk_mix((m) ^ (index * LK_P));                                    \
    } while (0)

#define LK_PUSH(byte)                                                           \
    do {                                                                        \
        word |= (uint64_t)(uint8_t)(byte) << shift;                             \
        length++;                                                               \
        if ((shift += 8) == 64) {                                               \
            LK_WORD(word);                                                      \
            word = 0;                                                           \
            shift = 0;                                                          \
        }                                                                       \
    } while (0)

#define LK_PUSH8(x)                                                             \
    do {                                                                        \
        uint64_t p8_ = (x);                                                     \
        if (shift == 0) {                                                       \
            LK_WORD(p8_);                                                       \
        } else {                                                                \
            uint64_t m_ = word | (p8_ << shift);                                \
            LK_WORD(m_);                                                        \
            word = p8_ >> (64 - shift);                                         \
        }                                                                       \
        length += 8;                                                            \
    } while (0)

#define LK_PUSHN(x, k)                                                          \
    do {                                                                        \
        unsigned bits_ = 8u * (unsigned)(k);                                    \
        uint64_t pn_ = (x) & ((1ULL << bits_) - 1);                             \
        word |= pn_ << shift;                                                   \
        if (shift + bits_ >= 64) {                                              \
            LK_WORD(word);                                                      \
            word = pn_ >> (64 - shift);                                         \
            shift = shift + bits_ - 64;                                         \
        } else {                                                                \
            shift += bits_;                                                     \
        }                                                                       \
        length += (k);                                                          \
    } while (0)

#define LK_FINISH(out)                                                          \
    do {                                                                        \
        if (shift) LK_WORD(word);                                               \
        (out) = lk_mix(acc ^ (length * LK_Q));                                  \
    } while (0)

/* The UTF-8 bytes of a code point below 0x10000 as a little-endian word; *width. */
static inline uint64_t utf8_word(uint32_t cp, int *width) {
    if (cp < 0x80) {
        *width = 1;
        return cp;
    }
    if (cp < 0x800) {
        *width = 2;
        return (uint64_t)(0xC0 | (cp >> 6)) | ((uint64_t)(0x80 | (cp & 0x3F)) << 8);
    }
    *width = 3;
    return (uint64_t)(0xE0 | (cp >> 12)) | ((uint64_t)(0x80 | ((cp >> 6) & 0x3F)) << 8) |
           ((uint64_t)(0x80 | (cp & 0x3F)) << 16);
}

/* A plain line: no \t-\r, no two spaces in a row, no space first or last, and every
 * code point beyond ASCII one that case folding maps to the same number of UTF-8
 * bytes (most non-ASCII characters of news text: quotes, dashes, accented and
 * Cyrillic or Greek letters; "ß" to "ss"). Collapsing leaves it as it is and
 * folding changes bytes in place, so its words are keyed where they lie, eight bytes
 * at a time; only a word holding a lead byte looks its code points up, and a folded
 * one is patched into the word (and the next, where it straddles them). Returns 0
 * (and keys nothing) for any other line, which fold_line then reads byte by byte
 * where it must; else *chars is its code points and *folded those of its fold. */
/* The fold of the lead bytes of a word of a plain line (x, the bytes at p + i, some
 * with their high bit set): into *delta the bits its folded code points change (and
 * into *carry those that fall in the next word), the continuation bytes counted and
 * the "ss" folds. 0 where the line is not plain (see plain_line_key). */
static inline int plain_word_folds(const uint8_t *p, Py_ssize_t n, Py_ssize_t i, uint64_t x,
                                   const uint32_t *table, Py_ssize_t table_size,
                                   uint64_t *delta, uint64_t *carry, Py_ssize_t *continuation,
                                   Py_ssize_t *doubled) {
    uint64_t high = x & HIGH;
    uint64_t lead = high & (x << 1); /* 11xxxxxx */
    *continuation += count_high(high & ~(x << 1));
    while (lead) {
        unsigned shift = (unsigned)__builtin_ctzll(lead) & ~7u;
        Py_ssize_t at = i + (shift >> 3);
        uint8_t c = p[at];
        uint32_t cp;
        if (c >= 0xF0) {
            return 0; /* beyond the table's planes, or not UTF-8 */
        } else if (c >= 0xE0) {
            if (at + 3 > n) return 0;
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[at + 1] & 0x3F) << 6) |
                 (uint32_t)(p[at + 2] & 0x3F);
        } else if (c >= 0xC2) {
            if (at + 2 > n) return 0;
            cp = ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(p[at + 1] & 0x3F);
        } else {
            return 0;
        }
        lead &= lead - 1;
        if ((Py_ssize_t)cp >= table_size) return 0;
        uint32_t fold = table[cp];
        if (fold == cp) continue;
        int width, folded_width;
        uint64_t written = utf8_word(cp, &width), change;
        if (fold == FOLD_SS) {
            change = written ^ 0x7373; /* "ss" */
            folded_width = 2;
            (*doubled)++;
        } else if (fold < 0x10000) {
            change = written ^ utf8_word(fold, &folded_width);
        } else {
            return 0; /* deferred, or beyond the plane */
        }
        if (folded_width != width) return 0;
        *delta ^= change << shift;
        if (shift + 8u * (unsigned)width > 64) *carry ^= change >> (64 - shift);
    }
    return 1;
}

/* A plain line: no \t-\r, no two spaces in a row, no space first or last, and every
 * code point beyond ASCII one that case folding maps to the same number of UTF-8
 * bytes (most non-ASCII characters of news text: quotes, dashes, accented and
 * Cyrillic or Greek letters; "ß" to "ss"). Collapsing leaves it as it is and
 * folding changes bytes in place, so its words are keyed where they lie, eight bytes
 * at a time; only a word holding a lead byte looks its code points up, and a folded
 * one is patched into the word (and the next, where it straddles them). Returns 0
 * (and keys nothing) for any other line, which fold_line then reads byte by byte
 * where it must; else *chars is its code points and *folded those of its fold.
 * With SSE2 the byte tests (whitespace, capitals) run sixteen bytes at a time; the
 * words keyed are the same. */
static inline int plain_line_key(const uint8_t *p, Py_ssize_t n, const uint32_t *table,
                                 Py_ssize_t table_size, uint64_t *key, Py_ssize_t *chars,
                                 Py_ssize_t *folded) {
    if (n == 0 || p[0] == ' ' || p[n - 1] == ' ') return 0;
    uint64_t acc = 0, bad = 0, prev = 0, index = 0, carry = 0;
    Py_ssize_t continuation = 0, doubled = 0, i = 0;
#if defined(__SSE2__)
    {
        const __m128i below_nine = _mm_set1_epi8(8), past_cr = _mm_set1_epi8(14);
        const __m128i space_byte = _mm_set1_epi8(' '), before_a = _mm_set1_epi8('A' - 1);
        const __m128i past_z = _mm_set1_epi8('Z' + 1), case_bit = _mm_set1_epi8(0x20);
        unsigned last_space = 0;
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            /* Signed compares: bytes from 0x80 on are negative, never in these ranges. */
            __m128i control = _mm_and_si128(_mm_cmpgt_epi8(v, below_nine), _mm_cmpgt_epi8(past_cr, v));
            __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, before_a), _mm_cmpgt_epi8(past_z, v));
            unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, space_byte));
            bad |= (unsigned)_mm_movemask_epi8(control) | (spaces & ((spaces << 1) | last_space));
            last_space = spaces >> 15;
            __m128i lowered = _mm_or_si128(v, _mm_and_si128(upper, case_bit));
            uint64_t words[2], raw[2];
            _mm_storeu_si128((__m128i *)words, lowered);
            _mm_storeu_si128((__m128i *)raw, v);
            int highs = _mm_movemask_epi8(v);
            for (int h = 0; h < 2; h++) {
                uint64_t delta = carry;
                carry = 0;
                if ((highs >> (8 * h)) & 0xFF) {
                    if (!plain_word_folds(p, n, i + 8 * h, raw[h], table, table_size, &delta,
                                          &carry, &continuation, &doubled))
                        return 0;
                }
                index++;
                acc += lk_mix((words[h] ^ delta) ^ (index * LK_P));
            }
        }
        /* The last byte's space flag, where the word loop below keeps it. */
        prev = last_space ? 0x80 : 0;
    }
#endif
    for (; i < n; i += 8) {
        /* Zero bytes past the end: no flags. */
        uint64_t x = i + 8 <= n ? load64(p + i) : load_upto8(p + i, n - i);
        uint64_t ascii = ~x & HIGH, x7 = x & ~HIGH;
        uint64_t delta = carry;
        carry = 0;
        if ((x & HIGH) && !plain_word_folds(p, n, i, x, table, table_size, &delta, &carry,
                                            &continuation, &doubled))
            return 0;
        uint64_t control = bytes_at_least(x7, 9) & ~bytes_at_least(x7, 14) & ascii;
        uint64_t space = bytes_equal(x7, ' ') & ascii;
        uint64_t upper = bytes_at_least(x7, 'A') & ~bytes_at_least(x7, 'Z' + 1) & ascii;
        bad |= control | (space & ((space << 8) | prev));
        prev = space >> 56; /* the last byte's flag, moved to the first byte's */
        index++;
        acc += lk_mix(((x ^ delta) | (upper >> 2)) ^ (index * LK_P));
    }
    if (bad) return 0;
    *key = lk_mix(acc ^ ((uint64_t)n * LK_Q));
    *chars = n - continuation;
    *folded = *chars + doubled;
    return 1;
}

/* fold_one with the line key, and the value's code points as written into *chars
 * (unless DEFERRED). */
static int fold_line(const uint8_t *p, Py_ssize_t n, const uint32_t *table,
                     Py_ssize_t table_size, Py_ssize_t min_chars, uint64_t *key,
                     Py_ssize_t *folded_chars, Py_ssize_t *chars_written) {
    Py_ssize_t plain_chars, plain_folded;
    if (plain_line_key(p, n, table, table_size, key, &plain_chars, &plain_folded)) {
        *chars_written = plain_chars;
        *folded_chars = plain_folded;
        return plain_folded < min_chars ? DROPPED : KEPT;
    }
    LK_DECLARE;
    Py_ssize_t i = 0, chars = 0, written = 0;
    int pending = 0;
    while (i < n) {
        if (!pending && i + 8 <= n) {
            uint64_t x = load64(p + i);
            uint64_t slow = slow_bytes(x, chars > 0);
            if (!slow) {
                LK_PUSH8(ascii_lower(x));
                chars += 8;
                written += 8;
                i += 8;
                continue;
            }
            unsigned j = (unsigned)__builtin_ctzll(slow) >> 3;
            if (j) {
                LK_PUSHN(ascii_lower(x), j);
                chars += j;
                written += j;
                i += j;
            }
        }
        uint8_t c = p[i];
        written++;
        if (c < 0x80) {
            i++;
            if (is_space(c)) {
                pending = chars > 0;
                continue;
            }
            if (pending) {
                LK_PUSH(' ');
                chars++;
                pending = 0;
            }
            LK_PUSH((c >= 'A' && c <= 'Z') ? c + 32 : c);
            chars++;
            continue;
        }
        uint32_t cp;
        int width;
        if (c >= 0xF0) {
            if (i + 4 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[i + 1] & 0x3F) << 12) |
                 ((uint32_t)(p[i + 2] & 0x3F) << 6) | (uint32_t)(p[i + 3] & 0x3F);
            width = 4;
        } else if (c >= 0xE0) {
            if (i + 3 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) |
                 (uint32_t)(p[i + 2] & 0x3F);
            width = 3;
        } else if (c >= 0xC2) {
            if (i + 2 > n) return DEFERRED;
            cp = ((uint32_t)(c & 0x1F) << 6) | (uint32_t)(p[i + 1] & 0x3F);
            width = 2;
        } else {
            return DEFERRED;
        }
        if ((Py_ssize_t)cp >= table_size) return DEFERRED;
        uint32_t folded = table[cp];
        if (folded == FOLD_DEFER) return DEFERRED;
        if (pending) {
            LK_PUSH(' ');
            chars++;
            pending = 0;
        }
        if (folded == FOLD_SS) {
            LK_PUSH('s');
            LK_PUSH('s');
            chars += 2;
        } else if (folded == cp) {
            for (int k = 0; k < width; k++) LK_PUSH(p[i + k]);
            chars++;
        } else {
            if (folded < 0x80) {
                LK_PUSH(folded);
            } else if (folded < 0x800) {
                LK_PUSH(0xC0 | (folded >> 6));
                LK_PUSH(0x80 | (folded & 0x3F));
            } else if (folded < 0x10000) {
                LK_PUSH(0xE0 | (folded >> 12));
                LK_PUSH(0x80 | ((folded >> 6) & 0x3F));
                LK_PUSH(0x80 | (folded & 0x3F));
            } else {
                LK_PUSH(0xF0 | (folded >> 18));
                LK_PUSH(0x80 | ((folded >> 12) & 0x3F));
                LK_PUSH(0x80 | ((folded >> 6) & 0x3F));
                LK_PUSH(0x80 | (folded & 0x3F));
            }
            chars++;
        }
        i += width;
    }
    *folded_chars = chars;
    *chars_written = written;
    if (chars < min_chars) return DROPPED;
    LK_FINISH(*key);
    return KEPT;
}

PyDoc_STRVAR(line_keys_doc,
"line_keys(offsets, data, table, min_chars, state, keys) -> None\n"
"\n"
"Per value: state and key as fold_keys gives them with corpus_qa.text.keys.mixed_keys\n"
"as the hash (the line key), the value's whitespace collapsed and case folded.");

static PyObject *py_line_keys(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, table, state, keys;
    Py_ssize_t min_chars;
    if (!PyArg_ParseTuple(args, "y*y*y*nw*w*", &offsets, &data, &table, &min_chars, &state,
                          &keys))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (count < 0 || state.len != count || keys.len != count * 8 ||
        table.len % sizeof(uint32_t)) {
        PyErr_SetString(PyExc_ValueError, "line_keys: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        const uint32_t *fold = (const uint32_t *)table.buf;
        Py_ssize_t table_size = table.len / (Py_ssize_t)sizeof(uint32_t);
        uint8_t *out_state = (uint8_t *)state.buf;
        uint64_t *out_keys = (uint64_t *)keys.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t i = 0; i < count; i++) {
            Py_ssize_t folded_chars = 0, written = 0;
            uint64_t key = 0;
            out_state[i] = (uint8_t)fold_line(bytes + off[i], off[i + 1] - off[i], fold,
                                              table_size, min_chars, &key, &folded_chars,
                                              &written);
            out_keys[i] = out_state[i] == KEPT ? key : 0;
        }
        Py_END_ALLOW_THREADS
        Py_INCREF(Py_None);
        result = Py_None;
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&table);
    PyBuffer_Release(&state);
    PyBuffer_Release(&keys);
    return result;
}

/* ---- the JSONL nesting screen's pass (corpus_qa.ingest.depth.line_openings) ---- */

PyDoc_STRVAR(line_openings_doc,
"line_openings(data) -> (bytes, bytes)\n"
"\n"
"The positions of data's newlines and, per line split at them (one more than the\n"
"newlines), how many opening brackets (\"{\" or \"[\") it holds; both int64.");

/* One line ends at byte `at` holding `count` openings: recorded in `lines`. */
#define LINE_END(at, count)                                                      \
    do {                                                                         \
        if (found_add(&lines, (int64_t)(at), (uint64_t)(count)) < 0) failed = 1; \
    } while (0)

static PyObject *py_line_openings(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
    PyObject *result = NULL;
    Found lines = {NULL, NULL, 0, 0};
    const uint8_t *p = (const uint8_t *)data.buf;
    Py_ssize_t n = data.len, i = 0;
    uint64_t count = 0; /* openings of the line so far */
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
#if defined(__SSE2__)
    /* Sixteen bytes a compare: "[" is 0x5B and "{" 0x7B, and with bit 0x20 set both
     * (and only they) are 0x7B. Openings before each newline go to its line. */
    const __m128i newline = _mm_set1_epi8(0x0A), open = _mm_set1_epi8(0x7B);
    const __m128i bit = _mm_set1_epi8(0x20);
    for (; i + 16 <= n && !failed; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        unsigned ends = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline));
        unsigned opens = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(v, bit), open));
        while (ends) {
            unsigned at = (unsigned)__builtin_ctz(ends);
            unsigned before = (1u << at) - 1u;
            count += (uint64_t)__builtin_popcount(opens & before);
            opens &= ~before;
            LINE_END(i + at, count);
            count = 0;
            ends &= ends - 1u;
        }
        count += (uint64_t)__builtin_popcount(opens);
    }
#endif
    for (; i < n && !failed; i++) {
        if (p[i] == 0x0A) {
            LINE_END(i, count);
            count = 0;
        } else if ((p[i] | 0x20) == 0x7B) {
            count++;
        }
    }
    Py_END_ALLOW_THREADS
    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    {
        Py_ssize_t size = lines.size;
        PyObject *ends = PyBytes_FromStringAndSize(NULL, size * (Py_ssize_t)sizeof(int64_t));
        PyObject *counts = PyBytes_FromStringAndSize(NULL, (size + 1) * (Py_ssize_t)sizeof(int64_t));
        if (ends != NULL && counts != NULL) {
            if (size) {
                memcpy(PyBytes_AS_STRING(ends), lines.rows, (size_t)size * sizeof(int64_t));
                memcpy(PyBytes_AS_STRING(counts), lines.keys, (size_t)size * sizeof(uint64_t));
            }
            /* The last line (after the last newline, maybe empty) has no newline. */
            int64_t last = (int64_t)count;
            memcpy(PyBytes_AS_STRING(counts) + (size_t)size * sizeof(int64_t), &last, sizeof(int64_t));
            result = PyTuple_Pack(2, ends, counts);
        }
        Py_XDECREF(ends);
        Py_XDECREF(counts);
    }
done:
    free(lines.rows);
    free(lines.keys);
    PyBuffer_Release(&data);
    return result;
}

#undef LINE_END

/* ---- lines that may open a dated card (corpus_qa.checks.builtin._cards) ---- */

/* Bytes of a lead character at p[0:n] ([ \t*•·>-]: space, tab, *, -, >, U+2022,
 * U+00B7), 0 if none. */
static inline Py_ssize_t card_lead(const uint8_t *p, Py_ssize_t n) {
    uint8_t c = p[0];
    if (c == ' ' || c == '\t' || c == '*' || c == '-' || c == '>') return 1;
    if (c == 0xC2 && n >= 2 && p[1] == 0xB7) return 2;
    if (c == 0xE2 && n >= 3 && p[1] == 0x80 && p[2] == 0xA2) return 3;
    return 0;
}

/* Bytes of the UTF-8 character at p[0:n] (a stray byte counts as one). */
static inline Py_ssize_t char_width(const uint8_t *p, Py_ssize_t n) {
    uint8_t c = p[0];
    Py_ssize_t w = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return w <= n ? w : n;
}

static inline int ascii_digit(uint8_t c) { return c >= '0' && c <= '9'; }

PyDoc_STRVAR(card_starts_doc,
"card_starts(offsets, data, held)\n"
"\n"
"Per value: 1 (uint8 into held) where RE2's ^[ \\t*•·>-]*(?:[0-9]|[^0-9\\n]{1,12}[ \\t][0-9])\n"
"matches it: after its lead characters, a digit, or up to twelve characters\n"
"without a digit or newline, then a space or tab and a digit.");

static PyObject *py_card_starts(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer offsets, data, held;
    if (!PyArg_ParseTuple(args, "y*y*w*", &offsets, &data, &held)) return NULL;
    PyObject *result = NULL;
    Py_ssize_t count = offsets.len / (Py_ssize_t)sizeof(int64_t) - 1;
    if (count < 0 || held.len != count) {
        PyErr_SetString(PyExc_ValueError, "card_starts: buffer sizes do not match");
        goto done;
    }
    if (check_sizes(&offsets, count, &data) < 0) goto done;
    {
        const int64_t *off = (const int64_t *)offsets.buf;
        const uint8_t *bytes = (const uint8_t *)data.buf;
        uint8_t *out = (uint8_t *)held.buf;
        Py_BEGIN_ALLOW_THREADS
        for (Py_ssize_t r = 0; r < count; r++) {
            const uint8_t *p = bytes + off[r];
            Py_ssize_t n = off[r + 1] - off[r], at = 0, w;
            while (at < n && (w = card_lead(p + at, n - at)) > 0) at += w;
            /* The lead characters hold no digit, so the twelve characters before the
             * space may start anywhere among them: start them at the first other one
             * (the fewest characters to test), which must not be a digit. */
            int found = at < n && ascii_digit(p[at]);
            for (int taken = 0; !found && taken < 12 && at < n;) {
                if (ascii_digit(p[at]) || p[at] == '\n') break;
                at += char_width(p + at, n - at);
                taken++;
                found = at + 1 < n && (p[at] == ' ' || p[at] == '\t') && ascii_digit(p[at + 1]);
            }
            out[r] = (uint8_t)found;
        }
        Py_END_ALLOW_THREADS
        result = Py_None;
        Py_INCREF(result);
    }
done:
    PyBuffer_Release(&offsets);
    PyBuffer_Release(&data);
    PyBuffer_Release(&held);
    return result;
}

static PyMethodDef methods[] = {
    {"joined_keys", py_joined_keys, METH_VARARGS, joined_keys_doc},
    {"card_starts", py_card_starts, METH_VARARGS, card_starts_doc},
    {"count_paragraphs", py_count_paragraphs, METH_VARARGS, count_paragraphs_doc},
    {"paragraph_split", py_paragraph_split, METH_VARARGS, paragraph_split_doc},
    {"count_words", py_count_words, METH_VARARGS, count_words_doc},
    {"minhash", py_minhash, METH_VARARGS, minhash_doc},
    {"common_counts", py_common_counts, METH_VARARGS, common_counts_doc},
    {"word_hashes", py_word_hashes, METH_VARARGS, word_hashes_doc},
    {"string_hashes", py_string_hashes, METH_VARARGS, string_hashes_doc},
    {"long_word_hits", py_long_word_hits, METH_VARARGS, long_word_hits_doc},
    {"line_edge_hits", py_line_edge_hits, METH_VARARGS, line_edge_hits_doc},
    {"closing_starts", py_closing_starts, METH_VARARGS, closing_starts_doc},
    {"rows_with_any_byte", py_rows_with_any_byte, METH_VARARGS, rows_with_any_byte_doc},
    {"rows_closing_a_line", py_rows_closing_a_line, METH_VARARGS, rows_closing_a_line_doc},
    {"prefixes", py_prefixes, METH_VARARGS, prefixes_doc},
    {"tails_holding", py_tails_holding, METH_VARARGS, tails_holding_doc},
    {"line_keys", py_line_keys, METH_VARARGS, line_keys_doc},
    {"line_openings", py_line_openings, METH_VARARGS, line_openings_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_textkeys",
    "Content keys of Arrow string buffers in one pass (see corpus_qa.text.keys).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__textkeys(void) {
    /* pandas' default hash key, "0123456789123456", read as two little-endian words. */
    static const char key[] = "0123456789123456";
    memcpy(&K0, key, 8);
    memcpy(&K1, key + 8, 8);
    return PyModule_Create(&module);
}
