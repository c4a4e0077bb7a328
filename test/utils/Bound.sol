// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// The helpers keep forge-std's `bound`, which tests written for Foundry already use.
// solhint-disable private-vars-leading-underscore

/**
 * @dev Maps a fuzzed `x` into `[min, max]` without discarding the input (forge-std's `bound`
 * semantics: values already in range are kept, so the fuzzer's boundary values stay boundaries).
 */
function bound(uint256 x, uint256 min, uint256 max) pure returns (uint256) {
    // A reversed range is a bug in the calling test, not an input to discard.
    assert(min <= max);
    if (x >= min && x <= max) return x;
    uint256 size = max - min;
    if (size == type(uint256).max) return x;
    unchecked {
        // size + 1 cannot overflow: size < type(uint256).max.
        return min + (x % (size + 1));
    }
}
