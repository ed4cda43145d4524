#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 (FIPS 180-4) of bytes that arrive in pieces.
typedef struct pbt_sha256 {
    uint32_t state[8];
    uint64_t length;     ///< bytes added so far
    uint8_t buffer[64];  ///< the unfinished block
    uint32_t buffered;   ///< bytes in `buffer`
    int accelerated;     ///< whether blocks are compressed with the CPU's SHA instructions
} pbt_sha256;

/// Whether this CPU has the SHA instructions (x86-64: SHA, SSSE3 and SSE4.1).
int pbt_sha256_accelerated_available(void);

/// Starts an empty digest; `accelerated` nonzero uses the CPU's SHA instructions when it has
/// them (the digest is the same either way).
void pbt_sha256_init(pbt_sha256 *context, int accelerated);

/// Adds `count` bytes.
void pbt_sha256_update(pbt_sha256 *context, const void *bytes, size_t count);

/// Writes the digest of everything added to `digest` (32 bytes); `context` is left finished.
void pbt_sha256_final(pbt_sha256 *context, uint8_t digest[32]);

#endif
