// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ISandboxController} from "../sandbox/ISandboxController.sol";
import {ISandboxErrors} from "../sandbox/ISandboxErrors.sol";
import {Role} from "../sandbox/SandboxTypes.sol";

/// @dev The one view of the receivable ledger the token needs: the controller it obeys.
interface ISettlementAgent {
    function controller() external view returns (address);
}

/**
 * @dev The sandbox's simulated digital currency (DESIGN.md section 3): one unit is one fen
 * (2 decimals, so 100 units are one yuan).
 *
 * The token obeys the sandbox controller of its settlement agent (the receivable ledger):
 * - minting follows the controller's current operator: an active, unfrozen, unexpired operator
 *   mints while the sandbox is not paused; a removed or frozen one cannot, one admitted later can;
 * - outside a lifecycle step, tokens move (transfer, transferFrom, burn) only while the sandbox is
 *   not paused and neither account is frozen, so a frozen party keeps what a recourse may claim;
 *   a removed participant's balance moves freely (removal ends acting, not owning);
 * - inside a lifecycle step the ledger moves funds the step itself authorises (a buyer paying its
 *   own payable, a bank paying out the financing it approves, a recourse the financed party agreed
 *   to when it asked for financing); the step has already run the sandbox's checks.
 *
 * The deployer binds the agent once; it cannot be replaced. The token's ABI carries the sandbox's
 * errors ({ISandboxErrors}), which its mints and transfers bubble up from the controller.
 */
contract SettlementToken is ERC20, ERC20Burnable, ISandboxErrors {
    address private immutable _deployer;
    address private _agent;
    ISandboxController private _controller;

    /// @dev `account` may not perform an operation reserved to the operator, the deployer or the agent.
    error SettlementTokenUnauthorized(address account);
    /// @dev The settlement agent is bound once; it is already `agent`.
    error SettlementAgentAlreadyBound(address agent);

    event SettlementAgentBound(address indexed agent, address indexed controller);

    constructor(address deployer_) ERC20("Sandbox Digital Yuan", "sdCNY") {
        if (deployer_ == address(0)) revert SettlementTokenUnauthorized(address(0));
        _deployer = deployer_;
    }

    /**
     * @notice Mints `amount` fen to `to`.
     * @dev Requirements: the agent is bound; the caller is an active operator of the sandbox
     * controller; the sandbox is not paused.
     *
     * Emits a {Transfer} event from the zero address.
     */
    function mint(address to, uint256 amount) external {
        ISandboxController sandbox = _controller;
        if (address(sandbox) == address(0)) revert SettlementTokenUnauthorized(msg.sender);
        sandbox.checkActor(msg.sender, Role.Operator);
        _mint(to, amount);
    }

    /**
     * @notice Binds the settlement agent (the receivable ledger) and, through it, the sandbox
     * controller the token obeys.
     * @dev Requirements: the caller is the deployer; no agent is bound yet; `agent` is not zero.
     *
     * Emits a {SettlementAgentBound} event.
     */
    function bindSettlementAgent(address agent) external {
        if (msg.sender != _deployer) revert SettlementTokenUnauthorized(msg.sender);
        if (_agent != address(0)) revert SettlementAgentAlreadyBound(_agent);
        if (agent == address(0)) revert SettlementTokenUnauthorized(address(0));
        _agent = agent;
        ISandboxController sandbox = ISandboxController(ISettlementAgent(agent).controller());
        _controller = sandbox;
        emit SettlementAgentBound(agent, address(sandbox));
    }

    /**
     * @notice Moves `amount` fen from `from` to `to` as part of a lifecycle step.
     * @dev Requirements: the caller is the settlement agent; `from` holds at least `amount`.
     *
     * Emits a {Transfer} event.
     */
    function settle(address from, address to, uint256 amount) external {
        if (msg.sender != _agent) revert SettlementTokenUnauthorized(msg.sender);
        _settle(from, to, amount);
    }

    /// @notice The account that binds the settlement agent.
    function deployer() external view returns (address) {
        return _deployer;
    }

    /// @notice The receivable ledger, allowed to settle lifecycle payments.
    function settlementAgent() external view returns (address) {
        return _agent;
    }

    /// @notice The sandbox controller whose operator mints and whose pause and freezes bind holders.
    function controller() external view returns (address) {
        return address(_controller);
    }

    /// @notice Amounts are in fen: 2 decimals.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @dev A lifecycle step's move: {ERC20-_transfer}'s checks, without the holder checks of {_update}.
    function _settle(address from, address to, uint256 amount) private {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        super._update(from, to, amount);
    }

    /// @dev Every move but a mint and a lifecycle step's own obeys the sandbox's pause and freezes.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0)) _controller.checkHolderTransfer(from, to);
        super._update(from, to, value);
    }
}
