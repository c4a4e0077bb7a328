// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SandboxPolicy} from "./SandboxPolicy.sol";
import {Participant} from "./SandboxTypes.sol";

/**
 * @dev Measures usage against the caps of {SandboxPolicy} (DESIGN.md section 4, "Caps"): confirmed
 * outstanding per core enterprise, outstanding financing per supplier, exposure per bank and the
 * pilot's total financed volume. Reaching a cap exactly is allowed; one fen over reverts with the
 * cap, the current figure and the requested amount.
 *
 * Each participant's counter lives in its admission record (one role, one counter), so a step that
 * has already checked the participant updates the counter in a slot it has read.
 */
abstract contract ExposureLimits is SandboxPolicy {
    /// @dev Adds `amount` to the confirmed outstanding of `buyer` (record `p`), within its cap.
    function _consumeBuyerOutstanding(address buyer, Participant storage p, uint256 amount) internal {
        uint256 cap = _currentRules().buyerOutstandingCap;
        uint256 current = p.outstanding;
        if (current + amount > cap) revert BuyerOutstandingCapExceeded(buyer, cap, current, amount);
        // Fits: current + amount <= cap <= type(uint128).max.
        p.outstanding = uint128(current + amount);
    }

    /**
     * @dev Adds a financing of `amount` to `supplier` (record `s`), `bank` (record `b`) and the
     * pilot total, each within its cap.
     */
    function _consumeFinancing(
        address bank,
        Participant storage b,
        address supplier,
        Participant storage s,
        uint256 amount
    ) internal {
        Caps storage caps = _currentCaps();
        uint256 cap = caps.supplierFinancing;
        uint256 current = s.outstanding;
        if (current + amount > cap) revert SupplierFinancingCapExceeded(supplier, cap, current, amount);
        s.outstanding = uint128(current + amount);

        cap = caps.bankExposure;
        current = b.outstanding;
        if (current + amount > cap) revert BankExposureCapExceeded(bank, cap, current, amount);
        b.outstanding = uint128(current + amount);

        cap = caps.pilotFinancing;
        current = caps.pilotFinanced;
        if (current + amount > cap) revert PilotFinancingCapExceeded(cap, current, amount);
        caps.pilotFinanced = uint128(current + amount);
    }

    /// @dev Reverts if a financing of `amount` would break a cap now (a preview at request time).
    function _previewFinancing(address bank, address supplier, uint256 amount) internal view {
        Caps storage caps = _currentCaps();
        uint256 cap = caps.supplierFinancing;
        uint256 current = _participantRecord(supplier).outstanding;
        if (current + amount > cap) revert SupplierFinancingCapExceeded(supplier, cap, current, amount);
        cap = caps.bankExposure;
        current = _participantRecord(bank).outstanding;
        if (current + amount > cap) revert BankExposureCapExceeded(bank, cap, current, amount);
        cap = caps.pilotFinancing;
        current = caps.pilotFinanced;
        if (current + amount > cap) revert PilotFinancingCapExceeded(cap, current, amount);
    }

    /// @dev Takes `amount` off `account`'s counter. The ledger only releases what it recorded.
    function _release(address account, uint256 amount) internal {
        Participant storage p = _participantRecord(account);
        p.outstanding -= uint128(amount);
    }

    /// @dev Total face financed over the pilot so far (never decreases).
    function _totalFinanced() internal view returns (uint256) {
        return _currentCaps().pilotFinanced;
    }
}
