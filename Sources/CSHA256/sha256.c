// SHA-256 (FIPS 180-4): a portable block function, and on x86-64 one using the SHA extensions
// (Intel's SHA-NI, also in AMD Zen), chosen at run time so the build needs no CPU flags.
#include "CSHA256.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotate_right(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/// Compresses `blocks` 64-byte blocks into `state`, one round at a time.
static void compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    for (; blocks > 0; blocks--, data += 64) {
        for (int t = 0; t < 16; t++) {
            w[t] = (uint32_t)data[4 * t] << 24 | (uint32_t)data[4 * t + 1] << 16 | (uint32_t)data[4 * t + 2] << 8
                | (uint32_t)data[4 * t + 3];
        }
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotate_right(w[t - 15], 7) ^ rotate_right(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = rotate_right(w[t - 2], 17) ^ rotate_right(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
            uint32_t choose = (e & f) ^ (~e & g);
            uint32_t t1 = h + s1 + choose + round_constants[t] + w[t];
            uint32_t s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
            uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = s0 + majority;
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#if defined(__x86_64__)
/// Compresses `blocks` 64-byte blocks with the SHA extensions: four rounds per group, sixteen
/// groups per block. The state lives in two registers as ABEF and CDGH (what
/// `sha256rnds2` takes); message words four at a time, the schedule extended by
/// `sha256msg1`/`sha256msg2` (W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16]).
__attribute__((target("sha,ssse3,sse4.1")))
static void compress_accelerated(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i badc = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, badc, 0xF0);
    for (; blocks > 0; blocks--, data += 64) {
        const __m128i abef_before = abef, cdgh_before = cdgh;
        __m128i words[4];
        // Unrolled, so `words` lives in registers and each group's schedule is known at compile time.
#pragma clang loop unroll(full)
        for (int group = 0; group < 16; group++) {
            __m128i next;
            if (group < 4) {
                next = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byte_swap);
            } else {
                __m128i oldest = words[group & 3], older = words[(group + 1) & 3];
                __m128i previous = words[(group + 3) & 3], before_previous = words[(group + 2) & 3];
                next = _mm_sha256msg1_epu32(oldest, older);
                next = _mm_add_epi32(next, _mm_alignr_epi8(previous, before_previous, 4));
                next = _mm_sha256msg2_epu32(next, previous);
            }
            words[group & 3] = next;
            __m128i message = _mm_add_epi32(next, _mm_loadu_si128((const __m128i *)&round_constants[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
        }
        abef = _mm_add_epi32(abef, abef_before);
        cdgh = _mm_add_epi32(cdgh, cdgh_before);
    }
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#endif

// Asked once per process: `cpuid` traps to the hypervisor in a virtual machine (tens of
// microseconds), and a digest is started for every checkpoint.
int pbt_sha256_accelerated_available(void) {
#if defined(__x86_64__)
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value >= 0) return value;
    unsigned int eax, ebx, ecx, edx;
    value = 0;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
        if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) value = ssse3 && sse41 && ((ebx >> 29) & 1);
    }
    __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    return value;
#else
    return 0;
#endif
}

static void compress(pbt_sha256 *context, const uint8_t *data, size_t blocks) {
#if defined(__x86_64__)
    if (context->accelerated) {
        compress_accelerated(context->state, data, blocks);
        return;
    }
#endif
    compress_portable(context->state, data, blocks);
}

void pbt_sha256_init(pbt_sha256 *context, int accelerated) {
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(context->state, initial, sizeof initial);
    context->length = 0;
    context->buffered = 0;
    context->accelerated = accelerated && pbt_sha256_accelerated_available();
}

void pbt_sha256_update(pbt_sha256 *context, const void *bytes, size_t count) {
    const uint8_t *data = bytes;
    context->length += count;
    if (context->buffered > 0) {
        size_t taken = 64 - context->buffered < count ? 64 - context->buffered : count;
        memcpy(context->buffer + context->buffered, data, taken);
        context->buffered += (uint32_t)taken;
        data += taken;
        count -= taken;
        if (context->buffered < 64) return;
        compress(context, context->buffer, 1);
        context->buffered = 0;
    }
    if (count >= 64) {
        compress(context, data, count / 64);
        data += count / 64 * 64;
        count %= 64;
    }
    memcpy(context->buffer, data, count);
    context->buffered = (uint32_t)count;
}

void pbt_sha256_final(pbt_sha256 *context, uint8_t digest[32]) {
    uint64_t bits = context->length * 8;
    uint8_t padding[72] = {0x80};
    size_t padded = context->buffered < 56 ? 56 - context->buffered : 120 - context->buffered;
    for (int i = 0; i < 8; i++) padding[padded + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t length = context->length;
    pbt_sha256_update(context, padding, padded + 8);
    context->length = length;
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(context->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(context->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(context->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)context->state[i];
    }
}
