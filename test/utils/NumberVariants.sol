// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev Spelling variants of invoice numbers: the same number with letters in another case and
 * separators (space, `-`, `_`, `/`, `.`) dropped, swapped or inserted. {InvoiceNumber} maps every
 * variant of a number to one normal form, so all of them must share one invoice key.
 */
library NumberVariants {
    uint256 internal constant MAX_LENGTH = 64;
    bytes internal constant SEPARATORS = " -_/.";

    /**
     * @dev A variant of `raw` (made of letters, digits and separators) chosen by `seed`: each
     * letter's case may flip, each separator may be dropped or swapped, and separators may be
     * inserted before any byte, within `MAX_LENGTH` bytes in all.
     */
    function variant(bytes memory raw, uint256 seed) internal pure returns (bytes memory out) {
        out = new bytes(MAX_LENGTH);
        uint256 len;
        uint256 kept;
        for (uint256 i = 0; i < raw.length; ++i) if (!isSeparator(raw[i])) ++kept;
        // Room for separators once every letter and digit is placed.
        uint256 room = MAX_LENGTH - kept;
        for (uint256 i = 0; i < raw.length; ++i) {
            uint256 rnd = uint256(keccak256(abi.encode(seed, i)));
            bytes1 c = raw[i];
            if (room > 0 && rnd % 4 == 0) {
                out[len++] = SEPARATORS[(rnd >> 8) % SEPARATORS.length];
                --room;
            }
            if (isSeparator(c)) {
                // Drop it (its room is freed), keep it, or swap it for another separator.
                uint256 choice = (rnd >> 16) % 3;
                if (choice == 0) {
                    ++room;
                    continue;
                }
                if (room == 0) continue;
                out[len++] = choice == 1 ? c : SEPARATORS[(rnd >> 24) % SEPARATORS.length];
                --room;
                continue;
            }
            if ((rnd >> 32) % 2 == 0) c = flipCase(c);
            out[len++] = c;
        }
        if (room > 0 && seed % 2 == 0) out[len++] = SEPARATORS[(seed >> 8) % SEPARATORS.length];
        assembly ("memory-safe") {
            // Shrink to the bytes written: len <= MAX_LENGTH, the allocated length.
            mstore(out, len)
        }
    }

    function isSeparator(bytes1 c) internal pure returns (bool) {
        return c == 0x20 || c == 0x2d || c == 0x5f || c == 0x2f || c == 0x2e;
    }

    /// @dev Swaps an ASCII letter's case; any other byte is returned as is.
    function flipCase(bytes1 c) internal pure returns (bytes1) {
        if (c >= 0x41 && c <= 0x5a) return bytes1(uint8(c) + 0x20);
        if (c >= 0x61 && c <= 0x7a) return bytes1(uint8(c) - 0x20);
        return c;
    }
}
