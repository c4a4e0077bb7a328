// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISandboxController} from "./ISandboxController.sol";
import {ParticipantRegistry} from "./ParticipantRegistry.sol";
import {Limit} from "./SandboxTypes.sol";

/**
 * @dev The sandbox policy (DESIGN.md section 4): pilot window, wind-down, global pause, caps and
 * terms. Only the regulator changes it, always with a reason, and every change is an event.
 * This contract holds the values; {ExposureLimits} measures usage against the caps.
 */
abstract contract SandboxPolicy is ParticipantRegistry {
    /**
     * @dev What most lifecycle steps read, in one slot: the bound ledger (the only caller of the
     * `record*` functions), the pause, the wind-down, the pilot window and the maximum tenor.
     */
    struct Terms {
        address ledger;
        bool paused;
        bool windingDown;
        uint32 pilotStart;
        uint32 pilotEnd;
        uint16 maxTenorDays;
    }

    /**
     * @dev The other terms, in a second slot: a transfer reads only this one (so it keeps a copy of
     * the pause flag, written with the first), a confirmation or a financing both.
     */
    struct Rules {
        bool paused;
        uint16 rateCeilingBps;
        uint8 maxTierDepth;
        uint16 gracePeriodDays;
        uint16 defaultThresholdDays;
        uint48 minPieceAmount;
        uint128 buyerOutstandingCap;
    }

    /// @dev The financing caps, with the pilot's financed total beside its cap: a financing reads
    /// and writes both in one slot.
    struct Caps {
        uint128 supplierFinancing;
        uint128 bankExposure;
        uint128 pilotFinancing;
        uint128 pilotFinanced;
    }

    string private constant _INITIAL_POLICY = "initial policy";

    Terms private _terms;
    Rules private _rules;
    Caps private _caps;
    uint32 private _participantCap;
    /// @dev Every pause, oldest first, as `start << 32 | end` (Unix seconds; `end` is 0 while it lasts).
    uint64[] private _pauses;

    /**
     * @dev Starts with an open pilot and no caps, and announces every initial value as a
     * {LimitChanged} (from 0) and a {PilotWindowChanged} event with the reason "initial policy",
     * so the policy in force can be rebuilt from events alone.
     */
    constructor() {
        _terms = Terms({
            ledger: address(0),
            paused: false,
            windingDown: false,
            pilotStart: 0,
            pilotEnd: type(uint32).max,
            maxTenorDays: 365
        });
        _rules = Rules({
            paused: false,
            rateCeilingBps: 10_000,
            maxTierDepth: type(uint8).max,
            gracePeriodDays: 0,
            defaultThresholdDays: 90,
            minPieceAmount: 1,
            buyerOutstandingCap: type(uint128).max
        });
        _caps = Caps({
            supplierFinancing: type(uint128).max,
            bankExposure: type(uint128).max,
            pilotFinancing: type(uint128).max,
            pilotFinanced: 0
        });
        _participantCap = type(uint32).max;
        for (uint256 i = 0; i <= uint256(Limit.DefaultThresholdDays); ++i) {
            emit LimitChanged(Limit(i), 0, _limit(Limit(i)), msg.sender, _INITIAL_POLICY);
        }
        emit PilotWindowChanged(0, type(uint32).max, msg.sender, _INITIAL_POLICY);
    }

    /// @inheritdoc ISandboxController
    function setLimit(Limit limit, uint256 value, string calldata reason) external onlyRegulator {
        _requireReason(reason);
        (uint256 min, uint256 max) = _limitRange(limit);
        if (value < min || value > max) revert LimitOutOfRange(uint8(limit), value, min, max);
        uint256 previous = _limit(limit);
        _writeLimit(limit, value);
        emit LimitChanged(limit, previous, value, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function setPilotWindow(uint32 start, uint32 end, string calldata reason) external onlyRegulator {
        _requireReason(reason);
        if (start >= end) revert InvalidPilotWindow(start, end);
        _terms.pilotStart = start;
        _terms.pilotEnd = end;
        emit PilotWindowChanged(start, end, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function pause(string calldata reason) external onlyRegulator {
        _requireReason(reason);
        if (_terms.paused) revert PauseStateUnchanged(true);
        _terms.paused = true;
        _rules.paused = true;
        _pauses.push(uint64(block.timestamp) << 32);
        emit SandboxPaused(msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function resume(string calldata reason) external onlyRegulator {
        _requireReason(reason);
        if (!_terms.paused) revert PauseStateUnchanged(false);
        _terms.paused = false;
        _rules.paused = false;
        // The open pause is the last one; block.timestamp fits 32 bits until 2106.
        _pauses[_pauses.length - 1] |= uint64(block.timestamp);
        emit SandboxResumed(msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function startWindDown(string calldata reason) external onlyRegulator {
        _requireReason(reason);
        if (_terms.windingDown) revert WindDownAlreadyStarted();
        _terms.windingDown = true;
        emit WindDownStarted(msg.sender, reason);
    }

    /// @dev The terms slot, read once per lifecycle step.
    function _currentTerms() internal view returns (Terms memory) {
        return _terms;
    }

    /// @dev The second terms slot.
    function _currentRules() internal view returns (Rules memory) {
        return _rules;
    }

    /// @dev Binds the ledger, kept in the terms slot every step reads anyway.
    function _setLedger(address ledger_) internal {
        _terms.ledger = ledger_;
    }

    function _currentCaps() internal view returns (Caps storage) {
        return _caps;
    }

    /// @dev Seconds the sandbox has been paused since `from` (up to now, an open pause included).
    function _pausedSince(uint256 from) internal view returns (uint256 total) {
        // Pauses never overlap and are kept in order, so the scan stops at the first that ended by `from`.
        for (uint256 i = _pauses.length; i > 0; --i) {
            uint64 entry = _pauses[i - 1];
            uint256 start = entry >> 32;
            uint256 end = uint32(entry);
            if (end == 0) end = block.timestamp;
            if (end <= from) break;
            total += end - (start > from ? start : from);
        }
    }

    /// @dev Reverts while the sandbox is paused.
    function _requireNotPaused(Terms memory terms) internal pure {
        if (terms.paused) revert SandboxIsPaused();
    }

    /// @dev Reverts while the sandbox is paused (from the copy of the flag in the second slot).
    function _requireRunning(Rules memory rules) internal pure {
        if (rules.paused) revert SandboxIsPaused();
    }

    /// @dev Reverts unless new issuance and financing are allowed now: not paused, not winding
    /// down, inside the pilot window (both ends included).
    function _requireIssuanceOpen(Terms memory terms) internal view {
        if (terms.paused) revert SandboxIsPaused();
        if (terms.windingDown) revert SandboxWindingDown();
        if (block.timestamp < terms.pilotStart || block.timestamp > terms.pilotEnd) {
            revert OutsidePilotWindow(terms.pilotStart, terms.pilotEnd, block.timestamp);
        }
    }

    /// @inheritdoc ParticipantRegistry
    function _maxParticipants() internal view override returns (uint256) {
        return _participantCap;
    }

    /// @dev Current value of `limit`.
    function _limit(Limit limit) internal view returns (uint256) {
        Rules storage t = _rules;
        if (limit == Limit.SupplierFinancingCap) return _caps.supplierFinancing;
        if (limit == Limit.BankExposureCap) return _caps.bankExposure;
        if (limit == Limit.BuyerOutstandingCap) return t.buyerOutstandingCap;
        if (limit == Limit.PilotFinancingCap) return _caps.pilotFinancing;
        if (limit == Limit.MaxParticipants) return _participantCap;
        if (limit == Limit.MaxTenorDays) return _terms.maxTenorDays;
        if (limit == Limit.RateCeilingBps) return t.rateCeilingBps;
        if (limit == Limit.MinPieceAmount) return t.minPieceAmount;
        if (limit == Limit.MaxTierDepth) return t.maxTierDepth;
        if (limit == Limit.GracePeriodDays) return t.gracePeriodDays;
        return t.defaultThresholdDays;
    }

    /**
     * @dev The values each limit accepts. Tiers start at 1 (the seller); pieces are at least 1 fen;
     * the grace period never exceeds the default threshold (checked against the other's value).
     */
    function _limitRange(Limit limit) private view returns (uint256 min, uint256 max) {
        if (limit <= Limit.PilotFinancingCap) return (0, type(uint128).max);
        if (limit == Limit.MaxParticipants) return (0, type(uint32).max);
        if (limit == Limit.MaxTenorDays) return (1, type(uint16).max);
        if (limit == Limit.RateCeilingBps) return (0, type(uint16).max);
        if (limit == Limit.MinPieceAmount) return (1, type(uint48).max);
        if (limit == Limit.MaxTierDepth) return (1, type(uint8).max);
        if (limit == Limit.GracePeriodDays) return (0, _rules.defaultThresholdDays);
        return (_rules.gracePeriodDays, type(uint16).max);
    }

    /// @dev Writes a value already checked against {_limitRange}, so every narrowing cast is exact.
    function _writeLimit(Limit limit, uint256 value) private {
        Rules storage t = _rules;
        if (limit == Limit.SupplierFinancingCap) _caps.supplierFinancing = uint128(value);
        else if (limit == Limit.BankExposureCap) _caps.bankExposure = uint128(value);
        else if (limit == Limit.BuyerOutstandingCap) t.buyerOutstandingCap = uint128(value);
        else if (limit == Limit.PilotFinancingCap) _caps.pilotFinancing = uint128(value);
        else if (limit == Limit.MaxParticipants) _participantCap = uint32(value);
        else if (limit == Limit.MaxTenorDays) _terms.maxTenorDays = uint16(value);
        else if (limit == Limit.RateCeilingBps) t.rateCeilingBps = uint16(value);
        else if (limit == Limit.MinPieceAmount) t.minPieceAmount = uint48(value);
        else if (limit == Limit.MaxTierDepth) t.maxTierDepth = uint8(value);
        else if (limit == Limit.GracePeriodDays) t.gracePeriodDays = uint16(value);
        else t.defaultThresholdDays = uint16(value);
    }
}
