// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/**
 * @dev The sandbox's simulated digital currency (DESIGN.md section 3): one unit is one fen
 * (2 decimals, so 100 units are one yuan). Only the operator mints; any holder may burn its own.
 *
 * The receivable ledger is the token's settlement agent: inside a lifecycle step it moves funds
 * the step itself authorises (a buyer paying its own payable, a bank paying out the financing it
 * approves, a recourse the financed party agreed to when it asked for financing). The agent is
 * bound once and cannot be replaced.
 */
contract SettlementToken is ERC20, ERC20Burnable {
    address private immutable _operator;
    address private _agent;

    /// @dev `account` may not perform an operation reserved to the operator or the agent.
    error SettlementTokenUnauthorized(address account);
    /// @dev The settlement agent is bound once; it is already `agent`.
    error SettlementAgentAlreadyBound(address agent);

    event SettlementAgentBound(address indexed agent);

    constructor(address operator_) ERC20("Sandbox Digital Yuan", "sdCNY") {
        if (operator_ == address(0)) revert SettlementTokenUnauthorized(address(0));
        _operator = operator_;
    }

    /**
     * @notice Mints `amount` fen to `to`.
     * @dev Requirements: the caller is the operator.
     *
     * Emits a {Transfer} event from the zero address.
     */
    function mint(address to, uint256 amount) external {
        if (msg.sender != _operator) revert SettlementTokenUnauthorized(msg.sender);
        _mint(to, amount);
    }

    /**
     * @notice Binds the settlement agent (the receivable ledger).
     * @dev Requirements: the caller is the operator; no agent is bound yet; `agent` is not zero.
     *
     * Emits a {SettlementAgentBound} event.
     */
    function bindSettlementAgent(address agent) external {
        if (msg.sender != _operator) revert SettlementTokenUnauthorized(msg.sender);
        if (_agent != address(0)) revert SettlementAgentAlreadyBound(_agent);
        if (agent == address(0)) revert SettlementTokenUnauthorized(address(0));
        _agent = agent;
        emit SettlementAgentBound(agent);
    }

    /**
     * @notice Moves `amount` fen from `from` to `to` as part of a lifecycle step.
     * @dev Requirements: the caller is the settlement agent; `from` holds at least `amount`.
     *
     * Emits a {Transfer} event.
     */
    function settle(address from, address to, uint256 amount) external {
        if (msg.sender != _agent) revert SettlementTokenUnauthorized(msg.sender);
        _transfer(from, to, amount);
    }

    /// @notice The account allowed to mint.
    function operator() external view returns (address) {
        return _operator;
    }

    /// @notice The receivable ledger, allowed to settle lifecycle payments.
    function settlementAgent() external view returns (address) {
        return _agent;
    }

    /// @notice Amounts are in fen: 2 decimals.
    function decimals() public pure override returns (uint8) {
        return 2;
    }
}
