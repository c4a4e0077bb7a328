// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev Normalization of invoice numbers, so that spelling variants of one number share one key:
 * ASCII letters are upper-cased, digits kept, and space, `-`, `_`, `/` and `.` dropped. Any other
 * byte is rejected, which also rules out look-alike Unicode characters.
 */
library InvoiceNumber {
    /// @dev Longest invoice number accepted, in bytes as submitted (separators included).
    uint256 internal constant MAX_LENGTH = 64;

    error InvoiceNumberLength(uint256 length, uint256 maxLength);
    error InvoiceNumberCharacter(uint256 position);

    /// @dev The normalized form of `raw`; reverts if it is empty, too long or has a foreign byte.
    function normalize(string calldata raw) internal pure returns (bytes memory out) {
        bytes calldata b = bytes(raw);
        uint256 n = b.length;
        if (n > MAX_LENGTH) revert InvoiceNumberLength(n, MAX_LENGTH);
        out = new bytes(n);
        uint256 len;
        for (uint256 i = 0; i < n; ++i) {
            uint8 c = uint8(b[i]);
            if (c >= 0x61 && c <= 0x7a) {
                out[len++] = bytes1(c - 0x20); // a-z -> A-Z
            } else if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a)) {
                out[len++] = bytes1(c); // 0-9, A-Z
            } else if (c != 0x20 && c != 0x2d && c != 0x5f && c != 0x2f && c != 0x2e) {
                revert InvoiceNumberCharacter(i);
            }
        }
        if (len == 0) revert InvoiceNumberLength(0, MAX_LENGTH);
        assembly ("memory-safe") {
            // Shrink to the bytes written: len <= n, the allocated length.
            mstore(out, len)
        }
    }

    /// @dev The invoice key: one id per (seller, buyer, normalized number).
    function key(address seller, address buyer, string calldata raw) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(seller, buyer, normalize(raw)));
    }
}
