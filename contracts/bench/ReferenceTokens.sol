// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @dev Plain OpenZeppelin 5 tokens, deployed only by `npm run bench:gas` to measure the reference
 * operations that the receivable lifecycle is compared with. Not part of the sandbox.
 */
contract ReferenceERC1155 is ERC1155 {
    constructor() ERC1155("") {}

    /// @notice Mints `amount` of token `id` to `to` (open to anyone: benchmark only).
    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }
}

/// @dev Plain OpenZeppelin 5 ERC-20 for the benchmark.
contract ReferenceERC20 is ERC20 {
    constructor() ERC20("Reference", "REF") {}

    /// @notice Mints `amount` to `to` (open to anyone: benchmark only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
