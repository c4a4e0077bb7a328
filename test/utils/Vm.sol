// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev The cheatcodes these suites use: a subset of Foundry's `Vm` interface (named `IVm` here, as
 * the linter wants), which Hardhat 3's Solidity test runner (EDR) implements. forge-std is not a
 * dependency of this repository, so only what is called is declared, with Foundry's signatures.
 */
interface IVm {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function warp(uint256 newTimestamp) external;
    function assume(bool condition) external pure;
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function label(address account, string calldata newLabel) external;
    function recordLogs() external;
    function getRecordedLogs() external returns (Log[] memory logs);
}

/// @dev Foundry's cheatcode address: `address(uint160(uint256(keccak256("hevm cheat code"))))`.
address constant VM_ADDRESS = 0x7109709ECfa91a80626fF3989D68f67F5b1DD12D;

/// @dev The cheatcode handle shared by every test and handler contract.
IVm constant vm = IVm(VM_ADDRESS);
