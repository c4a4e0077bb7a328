// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISandboxController} from "./ISandboxController.sol";
import {Participant, Role} from "./SandboxTypes.sol";

/**
 * @dev Admission of participants (DESIGN.md section 4, "Admission"): each participant holds exactly
 * one role until its admission expires; the regulator admits, renews, freezes and removes them.
 * Nothing else in the sandbox acts for an account that is not admitted, expired or frozen.
 */
abstract contract ParticipantRegistry is ISandboxController {
    mapping(address account => Participant) private _participants;
    /// @dev The role whose exposure `Participant.outstanding` measures: set at admission, kept after
    /// removal, so a re-admission under another role cannot inherit an unrelated figure.
    mapping(address account => Role) private _exposureRole;
    uint32 private _admittedCount;
    /// @dev Regulators admitted without expiry and not frozen: at least one always remains, so the
    /// sandbox can never be left paused with nobody able to resume it.
    uint32 private _standingRegulators;

    /// @dev Reverts unless `msg.sender` is an active regulator.
    modifier onlyRegulator() {
        _requireActive(msg.sender, Role.Regulator);
        _;
    }

    /**
     * @dev Admits the first regulator and operator without expiry. Each account holds one role,
     * so they must be different accounts.
     */
    constructor(address regulator, address operator) {
        _admit(regulator, Role.Regulator, type(uint32).max);
        _admit(operator, Role.Operator, type(uint32).max);
    }

    /// @inheritdoc ISandboxController
    function admit(address account, Role role, uint32 admittedUntil) external onlyRegulator {
        uint256 cap = _maxParticipants();
        if (_admittedCount >= cap) revert ParticipantCapReached(cap, _admittedCount);
        if (admittedUntil <= block.timestamp) revert InvalidAdmissionExpiry(admittedUntil, block.timestamp);
        _admit(account, role, admittedUntil);
    }

    /// @inheritdoc ISandboxController
    function remove(address account, string calldata reason) external onlyRegulator {
        _requireReason(reason);
        if (account == msg.sender) revert RegulatorSelfAction(account);
        Participant storage p = _participants[account];
        Role role = p.role;
        if (role == Role.None) revert ParticipantNotAdmitted(account);
        // The exposure counter stays: settlement of what the participant already owes or holds
        // continues, and a re-admission in the same role resumes from the true figure. A freeze
        // stays too: removal does not release what the regulator froze.
        _leaveStanding(account, p);
        p.role = Role.None;
        p.admittedUntil = 0;
        unchecked {
            // Cannot underflow: `account` was admitted, so it was counted.
            --_admittedCount;
        }
        emit ParticipantRemoved(account, role, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function renewAdmission(address account, uint32 admittedUntil, string calldata reason) external onlyRegulator {
        _requireReason(reason);
        // A regulator that shortened its own admission could lock the sandbox out of supervision.
        if (account == msg.sender) revert RegulatorSelfAction(account);
        Participant storage p = _participants[account];
        if (p.role == Role.None) revert ParticipantNotAdmitted(account);
        if (admittedUntil <= block.timestamp) revert InvalidAdmissionExpiry(admittedUntil, block.timestamp);
        bool wasStanding = _isStanding(p);
        if (admittedUntil != type(uint32).max) _leaveStanding(account, p);
        p.admittedUntil = admittedUntil;
        if (!wasStanding && _isStanding(p)) ++_standingRegulators;
        emit AdmissionRenewed(account, admittedUntil, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function freeze(address account, string calldata reason) external onlyRegulator {
        _setFrozen(account, true, reason);
        emit ParticipantFrozen(account, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function unfreeze(address account, string calldata reason) external onlyRegulator {
        _setFrozen(account, false, reason);
        emit ParticipantUnfrozen(account, msg.sender, reason);
    }

    /// @inheritdoc ISandboxController
    function participant(address account) external view returns (Participant memory) {
        return _participants[account];
    }

    /// @dev Number of admitted participants (regulators and operators included).
    function _admitted() internal view returns (uint256) {
        return _admittedCount;
    }

    /// @dev The participant cap, set by the regulator as policy.
    function _maxParticipants() internal view virtual returns (uint256);

    /// @dev Storage of `account`'s record, for the exposure counter kept in the same slot.
    function _participantRecord(address account) internal view returns (Participant storage) {
        return _participants[account];
    }

    /**
     * @dev Reverts unless `account` is admitted with `role`, unexpired and not frozen; returns its
     * record so callers that also need the exposure counter read the slot once.
     */
    function _requireActive(address account, Role role) internal view returns (Participant storage p) {
        p = _participants[account];
        Role actual = p.role;
        if (actual == Role.None) revert ParticipantNotAdmitted(account);
        if (actual != role) revert ParticipantRoleMismatch(account, role, actual);
        if (p.frozen) revert ParticipantIsFrozen(account);
        uint256 until = p.admittedUntil;
        if (until < block.timestamp) revert ParticipantAdmissionExpired(account, until, block.timestamp);
    }

    /// @dev Reverts when a policy change comes without a reason.
    function _requireReason(string calldata reason) internal pure {
        if (bytes(reason).length == 0) revert ReasonRequired();
    }

    function _admit(address account, Role role, uint32 admittedUntil) private {
        if (account == address(0) || role == Role.None) revert InvalidParticipant(account, role);
        Participant storage p = _participants[account];
        if (p.role != Role.None) revert ParticipantAlreadyAdmitted(account, p.role);
        if (p.outstanding != 0 && _exposureRole[account] != role) {
            revert ParticipantExposureOutstanding(account, _exposureRole[account], p.outstanding);
        }
        _exposureRole[account] = role;
        p.role = role;
        p.admittedUntil = admittedUntil;
        if (_isStanding(p)) ++_standingRegulators;
        unchecked {
            // Cannot overflow: the count is bounded by the uint32 participant cap checked in {admit}.
            ++_admittedCount;
        }
        emit ParticipantAdmitted(account, role, admittedUntil, msg.sender);
    }

    function _setFrozen(address account, bool frozen, string calldata reason) private {
        _requireReason(reason);
        if (account == msg.sender) revert RegulatorSelfAction(account);
        Participant storage p = _participants[account];
        // A removed participant still pays and is paid what it owes or holds: it stays freezable.
        if (p.role == Role.None && _exposureRole[account] == Role.None) revert ParticipantNotAdmitted(account);
        if (p.frozen == frozen) revert FreezeStateUnchanged(account, frozen);
        if (frozen) _leaveStanding(account, p);
        p.frozen = frozen;
        if (!frozen && _isStanding(p)) ++_standingRegulators;
    }

    /// @dev A regulator admitted without expiry and not frozen.
    function _isStanding(Participant storage p) private view returns (bool) {
        return p.role == Role.Regulator && p.admittedUntil == type(uint32).max && !p.frozen;
    }

    /// @dev Uncounts `account` if it is a standing regulator, refusing to uncount the last one.
    function _leaveStanding(address account, Participant storage p) private {
        if (!_isStanding(p)) return;
        if (_standingRegulators == 1) revert LastStandingRegulator(account);
        --_standingRegulators;
    }
}
