// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReceivableLedger} from "../../contracts/receivables/ReceivableLedger.sol";
import {SandboxController} from "../../contracts/sandbox/SandboxController.sol";
import {Limit, Role} from "../../contracts/sandbox/SandboxTypes.sol";
import {SettlementToken} from "../../contracts/token/SettlementToken.sol";
import {vm} from "./Vm.sol";

address constant REGULATOR = address(0x5E6);
address constant OPERATOR = address(0x0BE);
/// @dev A fixed start date: 2026-01-01T00:00:00Z.
uint256 constant START = 1_767_225_600;
bytes32 constant DOC_HASH = keccak256("invoice document");

/**
 * @dev The sandbox deployed the way the Ignition module deploys it: token, controller, ledger,
 * then the operator binds the ledger to both. Accounts are fixed addresses acting through
 * `vm.prank`, so any contract (a test or an invariant handler) can drive the lifecycle.
 */
abstract contract SandboxFixture {
    SettlementToken internal _token;
    SandboxController internal _controller;
    ReceivableLedger internal _ledger;

    function _deploySandbox() internal {
        vm.warp(START);
        _token = new SettlementToken(OPERATOR);
        _controller = new SandboxController(REGULATOR, OPERATOR);
        _ledger = new ReceivableLedger(_controller, _token);
        vm.startPrank(OPERATOR);
        _controller.bindLedger(address(_ledger));
        _token.bindSettlementAgent(address(_ledger));
        vm.stopPrank();
        vm.label(address(_token), "SettlementToken");
        vm.label(address(_controller), "SandboxController");
        vm.label(address(_ledger), "ReceivableLedger");
    }

    function _admit(address account, Role role, string memory name) internal {
        vm.prank(REGULATOR);
        _controller.admit(account, role, type(uint32).max);
        vm.label(account, name);
    }

    function _setLimit(Limit limit, uint256 value) internal {
        vm.prank(REGULATOR);
        _controller.setLimit(limit, value, "test policy");
    }

    function _mint(address to, uint256 amount) internal {
        vm.prank(OPERATOR);
        _token.mint(to, amount);
    }

    /// @dev An actor address derived from a label, distinct from every fixed account here.
    function _actor(string memory name) internal pure returns (address) {
        return address(uint160(uint256(keccak256(bytes(name)))));
    }
}
