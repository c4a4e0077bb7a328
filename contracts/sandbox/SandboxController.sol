// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ExposureLimits} from "./ExposureLimits.sol";
import {ISandboxController} from "./ISandboxController.sol";
import {ParticipantRegistry} from "./ParticipantRegistry.sol";
import {ExposureRelease, Participant, Policy, Role} from "./SandboxTypes.sol";

/**
 * @dev The deployed sandbox controls: admission ({ParticipantRegistry}), policy ({SandboxPolicy})
 * and caps ({ExposureLimits}), plus the checks the receivable ledger runs before each lifecycle
 * step. Each check is one call that reverts with the rule that blocks the step; each `record*`
 * function also updates the exposure it checked, and only the bound ledger may call those.
 */
contract SandboxController is ExposureLimits {
    /// @dev Admits `regulator` and `operator` (see {ParticipantRegistry}).
    constructor(address regulator, address operator) ParticipantRegistry(regulator, operator) {}

    /// @dev The ledger lives in the terms slot, which the recorded step reads anyway.
    modifier onlyLedger() {
        if (msg.sender != _currentTerms().ledger) revert UnauthorizedLedger(msg.sender);
        _;
    }

    /**
     * @notice Binds the receivable ledger, the only contract allowed to record exposure.
     * @dev Requirements:
     * - the caller is an active operator;
     * - no ledger is bound yet.
     *
     * Emits a {LedgerBound} event.
     */
    function bindLedger(address ledger_) external {
        _requireActive(msg.sender, Role.Operator);
        address bound = _currentTerms().ledger;
        if (bound != address(0)) revert LedgerAlreadyBound(bound);
        if (ledger_ == address(0)) revert UnauthorizedLedger(address(0));
        _setLedger(ledger_);
        emit LedgerBound(ledger_, msg.sender);
    }

    /// @inheritdoc ISandboxController
    function ledger() external view returns (address) {
        return _currentTerms().ledger;
    }

    /// @inheritdoc ISandboxController
    function policy() external view returns (Policy memory) {
        Terms memory t = _currentTerms();
        Rules memory r = _currentRules();
        Caps memory c = _currentCaps();
        return
            Policy({
                paused: t.paused,
                windingDown: t.windingDown,
                pilotStart: t.pilotStart,
                pilotEnd: t.pilotEnd,
                maxTenorDays: t.maxTenorDays,
                rateCeilingBps: r.rateCeilingBps,
                maxTierDepth: r.maxTierDepth,
                gracePeriodDays: r.gracePeriodDays,
                defaultThresholdDays: r.defaultThresholdDays,
                minPieceAmount: r.minPieceAmount,
                supplierFinancingCap: c.supplierFinancing,
                bankExposureCap: c.bankExposure,
                buyerOutstandingCap: r.buyerOutstandingCap,
                pilotFinancingCap: c.pilotFinancing,
                pilotFinanced: uint128(_totalFinanced()),
                maxParticipants: uint32(_maxParticipants()),
                admittedCount: uint32(_admitted())
            });
    }

    // ---- Checks --------------------------------------------------------------------------------

    /// @inheritdoc ISandboxController
    function checkSubmission(address seller, address buyer, uint256 issueDate, uint256 dueDate) external view {
        Terms memory t = _currentTerms();
        _requireIssuanceOpen(t);
        _requireActive(seller, Role.Supplier);
        _requireActive(buyer, Role.CoreEnterprise);
        // The ledger guarantees dueDate > issueDate; the tenor is counted in whole days, rounded up.
        uint256 tenorDays = (dueDate - issueDate + 1 days - 1) / 1 days;
        if (tenorDays > t.maxTenorDays) revert TenorExceedsMaximum(t.maxTenorDays, tenorDays);
    }

    /// @inheritdoc ISandboxController
    function checkDispute(address buyer) external view {
        _requireNotPaused(_currentTerms());
        _requireActive(buyer, Role.CoreEnterprise);
    }

    /// @inheritdoc ISandboxController
    function checkTransfer(address from, address to, uint256 amount, uint256 remainder, uint256 tier) external view {
        Rules memory t = _currentRules();
        _requireRunning(t);
        _requireActive(from, Role.Supplier);
        if (to != from) _requireActive(to, Role.Supplier);
        if (remainder != 0) {
            // A split: both the new piece and what stays behind must reach the minimum.
            if (amount < t.minPieceAmount) revert PieceBelowMinimum(t.minPieceAmount, amount);
            if (remainder < t.minPieceAmount) revert PieceBelowMinimum(t.minPieceAmount, remainder);
        }
        if (tier > t.maxTierDepth) revert TierDepthExceeded(t.maxTierDepth, tier);
    }

    /// @inheritdoc ISandboxController
    function checkFinancingRequest(address holder, address bank, uint256 amount) external view {
        _requireIssuanceOpen(_currentTerms());
        _requireActive(holder, Role.Supplier);
        _requireActive(bank, Role.Bank);
        _previewFinancing(bank, holder, amount);
    }

    /// @inheritdoc ISandboxController
    function checkActor(address account, Role role) external view {
        _requireNotPaused(_currentTerms());
        _requireActive(account, role);
    }

    /// @inheritdoc ISandboxController
    function checkSupervisor(address account) external view {
        _requireActive(account, Role.Regulator);
    }

    /// @inheritdoc ISandboxController
    function checkKeeper(address account) external view {
        _requireNotPaused(_currentTerms());
        Role role = _participantRecord(account).role;
        _requireActive(account, role == Role.Regulator ? Role.Regulator : Role.Operator);
    }

    /// @inheritdoc ISandboxController
    function checkHolderTransfer(address from, address to) external view {
        _requireNotPaused(_currentTerms());
        if (_participantRecord(from).frozen) revert ParticipantIsFrozen(from);
        if (_participantRecord(to).frozen) revert ParticipantIsFrozen(to);
    }

    /// @inheritdoc ISandboxController
    function settlementDeadlines(uint256 dueDate) external view returns (uint256 overdueAt, uint256 defaultAt) {
        Rules memory t = _currentRules();
        uint256 stopped = _pausedSince(dueDate);
        overdueAt = dueDate + uint256(t.gracePeriodDays) * 1 days + stopped;
        defaultAt = dueDate + uint256(t.defaultThresholdDays) * 1 days + stopped;
    }

    // ---- Records ---------------------------------------------------------------------------

    /// @inheritdoc ISandboxController
    function recordConfirmation(address buyer, address seller, uint256 amount) external onlyLedger {
        _requireIssuanceOpen(_currentTerms());
        Participant storage p = _requireActive(buyer, Role.CoreEnterprise);
        _requireActive(seller, Role.Supplier);
        _consumeBuyerOutstanding(buyer, p, amount);
    }

    /// @inheritdoc ISandboxController
    function recordFinancing(address bank, address supplier, uint256 amount, uint256 rateBps) external onlyLedger {
        _requireIssuanceOpen(_currentTerms());
        Participant storage b = _requireActive(bank, Role.Bank);
        Participant storage s = _requireActive(supplier, Role.Supplier);
        uint256 ceiling = _currentRules().rateCeilingBps;
        if (rateBps > ceiling) revert RateAboveCeiling(ceiling, rateBps);
        _consumeFinancing(bank, b, supplier, s, amount);
    }

    /// @inheritdoc ISandboxController
    function recordPayment(address buyer, uint256 amount, ExposureRelease[] calldata releases) external onlyLedger {
        _requireNotPaused(_currentTerms());
        // Settlement continues after an admission ends or is removed; only a freeze stops it.
        if (_participantRecord(buyer).frozen) revert ParticipantIsFrozen(buyer);
        _release(buyer, amount);
        for (uint256 i = 0; i < releases.length; ++i) {
            _release(releases[i].bank, releases[i].amount);
            _release(releases[i].financedParty, releases[i].amount);
        }
    }

    /// @inheritdoc ISandboxController
    function recordRecourse(address bank, address financedParty, uint256 amount) external onlyLedger {
        _requireNotPaused(_currentTerms());
        _requireActive(bank, Role.Bank);
        // The financed party pays and takes the piece back: a frozen account does neither.
        if (_participantRecord(financedParty).frozen) revert ParticipantIsFrozen(financedParty);
        _release(bank, amount);
        _release(financedParty, amount);
    }
}
