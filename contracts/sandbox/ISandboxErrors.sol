// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Role} from "./SandboxTypes.sol";

/**
 * @dev Errors raised by the sandbox controls. Every blocked action names the rule that blocked it
 * and carries the numbers behind the decision. The receivable ledger inherits this interface so
 * that its ABI decodes the errors that bubble up from the controller.
 */
interface ISandboxErrors {
    // ---- Admission -------------------------------------------------------------------------
    /// @dev `account` is not an admitted participant.
    error ParticipantNotAdmitted(address account);
    /// @dev `account` is admitted with role `actual`, but the action needs role `expected`.
    error ParticipantRoleMismatch(address account, Role expected, Role actual);
    /// @dev `account`'s admission ended at `admittedUntil`; the chain time is `now_`.
    error ParticipantAdmissionExpired(address account, uint256 admittedUntil, uint256 now_);
    /// @dev `account` is frozen by the regulator.
    error ParticipantIsFrozen(address account);
    /// @dev `account` is already admitted with role `role`: one role per participant.
    error ParticipantAlreadyAdmitted(address account, Role role);
    /// @dev Admitting one more participant would exceed the cap of `cap` (now `admitted`).
    error ParticipantCapReached(uint256 cap, uint256 admitted);
    /// @dev The admission must end after the current chain time.
    error InvalidAdmissionExpiry(uint256 admittedUntil, uint256 now_);
    /// @dev Role `None` cannot be granted and the zero address cannot be admitted.
    error InvalidParticipant(address account, Role role);
    /// @dev `account` still has `outstanding` fen of exposure from its former role `exposureRole`: it
    /// can only be re-admitted in that role until the exposure is settled.
    error ParticipantExposureOutstanding(address account, Role exposureRole, uint256 outstanding);
    /// @dev A regulator cannot remove, freeze or renew itself (the sandbox would lose its supervisor).
    error RegulatorSelfAction(address regulator);
    /// @dev The step would leave no standing regulator (admitted without expiry, not frozen), so
    /// nobody could lift a pause for good; `regulator` is the last one.
    error LastStandingRegulator(address regulator);

    // ---- Sandbox state ---------------------------------------------------------------------
    /// @dev The regulator paused the sandbox.
    error SandboxIsPaused();
    /// @dev The regulator started the wind-down: nothing new is issued or financed.
    error SandboxWindingDown();
    /// @dev Issuance and financing happen only between `start` and `end`; the chain time is `now_`.
    error OutsidePilotWindow(uint256 start, uint256 end, uint256 now_);

    // ---- Caps ------------------------------------------------------------------------------
    /// @dev Financing `requested` for `supplier` would take its outstanding financing past `cap`.
    error SupplierFinancingCapExceeded(address supplier, uint256 cap, uint256 outstanding, uint256 requested);
    /// @dev Financing `requested` by `bank` would take its exposure past `cap`.
    error BankExposureCapExceeded(address bank, uint256 cap, uint256 exposure, uint256 requested);
    /// @dev Confirming `requested` would take `buyer`'s confirmed outstanding past `cap`.
    error BuyerOutstandingCapExceeded(address buyer, uint256 cap, uint256 outstanding, uint256 requested);
    /// @dev Financing `requested` would take the pilot's total financed volume past `cap`.
    error PilotFinancingCapExceeded(uint256 cap, uint256 financed, uint256 requested);

    // ---- Terms -----------------------------------------------------------------------------
    /// @dev The invoice's tenor of `tenorDays` (due date minus issue date, whole days rounded up)
    /// exceeds the maximum of `maxTenorDays`.
    error TenorExceedsMaximum(uint256 maxTenorDays, uint256 tenorDays);
    /// @dev The annual discount rate `rateBps` is above the ceiling `ceilingBps` (basis points).
    error RateAboveCeiling(uint256 ceilingBps, uint256 rateBps);
    /// @dev A piece of `amount` fen would be smaller than the minimum piece of `minimum` fen.
    error PieceBelowMinimum(uint256 minimum, uint256 amount);
    /// @dev A transfer would place a piece at tier `tier`, deeper than `maxTierDepth`.
    error TierDepthExceeded(uint256 maxTierDepth, uint256 tier);

    // ---- Governance ------------------------------------------------------------------------
    /// @dev Every policy change needs a reason.
    error ReasonRequired();
    /// @dev `value` is outside the range [`min`, `max`] allowed for `limit`.
    error LimitOutOfRange(uint8 limit, uint256 value, uint256 min, uint256 max);
    /// @dev The pilot window must start before it ends.
    error InvalidPilotWindow(uint256 start, uint256 end);
    /// @dev Only the bound receivable ledger may record exposure; `caller` is not it.
    error UnauthorizedLedger(address caller);
    /// @dev The ledger is bound once; it is already `ledger`.
    error LedgerAlreadyBound(address ledger);
    /// @dev The sandbox is already in the requested pause state.
    error PauseStateUnchanged(bool paused);
    /// @dev The wind-down has already started.
    error WindDownAlreadyStarted();
    /// @dev The participant is already in the requested freeze state.
    error FreezeStateUnchanged(address account, bool frozen);
}
