// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISandboxErrors} from "./ISandboxErrors.sol";
import {ExposureRelease, Limit, Participant, Policy, Role} from "./SandboxTypes.sol";

/**
 * @dev The regulator's controls over the sandbox (DESIGN.md section 4): admission, policy, circuit
 * breakers and exposure caps. The receivable ledger consults it before every lifecycle step and
 * records exposure through it, so every rule is enforced in one place.
 */
interface ISandboxController is ISandboxErrors {
    // ---- Events ----------------------------------------------------------------------------
    event ParticipantAdmitted(address indexed account, Role indexed role, uint256 admittedUntil, address indexed by);
    event ParticipantRemoved(address indexed account, Role indexed role, address indexed by, string reason);
    event AdmissionRenewed(address indexed account, uint256 admittedUntil, address indexed by, string reason);
    event ParticipantFrozen(address indexed account, address indexed by, string reason);
    event ParticipantUnfrozen(address indexed account, address indexed by, string reason);
    event LimitChanged(Limit indexed limit, uint256 previous, uint256 current, address indexed by, string reason);
    event PilotWindowChanged(uint256 start, uint256 end, address indexed by, string reason);
    event SandboxPaused(address indexed by, string reason);
    event SandboxResumed(address indexed by, string reason);
    event WindDownStarted(address indexed by, string reason);
    event LedgerBound(address indexed ledger, address indexed by);

    // ---- Regulator ---------------------------------------------------------------------------

    /**
     * @notice Admits `account` with `role` until `admittedUntil` (Unix seconds).
     * @dev Requirements:
     * - the caller is an active regulator;
     * - `account` is not zero and not admitted; `role` is not `None`;
     * - an account removed with exposure outstanding returns only in its former role;
     * - `admittedUntil` is after the current chain time;
     * - the number of admitted participants stays within the cap.
     *
     * Emits a {ParticipantAdmitted} event.
     */
    function admit(address account, Role role, uint32 admittedUntil) external;

    /**
     * @notice Removes `account` from the sandbox; it can no longer act. What it holds or owes still
     * settles, its exposure counter is kept, and a freeze stays in force.
     * @dev Requirements: the caller is an active regulator other than `account`; `account` is
     * admitted; `reason` is not empty; the sandbox keeps a standing regulator (one admitted
     * without expiry and not frozen), so a pause can always be lifted.
     *
     * Emits a {ParticipantRemoved} event.
     */
    function remove(address account, string calldata reason) external;

    /**
     * @notice Moves the end of `account`'s admission to `admittedUntil`.
     * @dev Requirements: the caller is an active regulator other than `account`; `account` is
     * admitted; `admittedUntil` is after the current chain time; `reason` is not empty; the
     * sandbox keeps a standing regulator.
     *
     * Emits an {AdmissionRenewed} event.
     */
    function renewAdmission(address account, uint32 admittedUntil, string calldata reason) external;

    /**
     * @notice Freezes `account`: it cannot act, receive pieces, be financed, be paid a recourse
     * from, pay, or move its settlement tokens until unfrozen.
     * @dev Requirements: the caller is an active regulator other than `account`; `account` is or
     * was admitted (a removed participant still settles, so it can still be frozen) and is not
     * frozen; `reason` is not empty; the sandbox keeps a standing regulator.
     *
     * Emits a {ParticipantFrozen} event.
     */
    function freeze(address account, string calldata reason) external;

    /**
     * @notice Lifts the freeze of `account`.
     * @dev Requirements: the caller is an active regulator other than `account`; `account` is or
     * was admitted and is frozen; `reason` is not empty.
     *
     * Emits a {ParticipantUnfrozen} event.
     */
    function unfreeze(address account, string calldata reason) external;

    /**
     * @notice Sets the sandbox control `limit` to `value` (fen, days, basis points or a count, see
     * {Limit}). Lowering a cap below current usage blocks new usage; it does not unwind anything.
     * @dev Requirements: the caller is an active regulator; `value` is within the limit's range
     * (the grace period never exceeds the default threshold); `reason` is not empty.
     *
     * Emits a {LimitChanged} event with the previous and the new value.
     */
    function setLimit(Limit limit, uint256 value, string calldata reason) external;

    /**
     * @notice Sets the pilot window: issuance and financing happen only from `start` to `end`
     * (Unix seconds, both included). Settlement continues outside it.
     * @dev Requirements: the caller is an active regulator; `start < end`; `reason` is not empty.
     *
     * Emits a {PilotWindowChanged} event.
     */
    function setPilotWindow(uint32 start, uint32 end, string calldata reason) external;

    /**
     * @notice Circuit breaker: stops every lifecycle step of every participant, minting and every
     * movement of settlement tokens until {resume}. The overdue and default clocks stop with it:
     * paused time after a receivable's due date does not count towards its grace period or its
     * default threshold.
     * @dev Requirements: the caller is an active regulator; the sandbox is running; `reason` is
     * not empty.
     *
     * Emits a {SandboxPaused} event.
     */
    function pause(string calldata reason) external;

    /**
     * @notice Lifts the global pause.
     * @dev Requirements: the caller is an active regulator; the sandbox is paused; `reason` is not
     * empty.
     *
     * Emits a {SandboxResumed} event.
     */
    function resume(string calldata reason) external;

    /**
     * @notice Starts the wind-down, for good: nothing new is issued or financed; confirmed
     * receivables keep settling.
     * @dev Requirements: the caller is an active regulator; the wind-down has not started;
     * `reason` is not empty.
     *
     * Emits a {WindDownStarted} event.
     */
    function startWindDown(string calldata reason) external;

    // ---- Views -----------------------------------------------------------------------------

    /// @notice `account`'s admission record and exposure counter (role `None` if not admitted).
    function participant(address account) external view returns (Participant memory);

    /// @notice Every sandbox control and the usage the pilot-wide ones measure.
    function policy() external view returns (Policy memory);

    /// @notice The receivable ledger bound to this controller (zero until bound).
    function ledger() external view returns (address);

    // ---- Checks the ledger runs before each step; each reverts with the rule that blocks ----

    /// @notice Reverts unless `seller` may submit an invoice on `buyer` with these dates now:
    /// issuance open, both parties active in their roles, tenor within the maximum.
    function checkSubmission(address seller, address buyer, uint256 issueDate, uint256 dueDate) external view;

    /// @notice Reverts unless `buyer` may dispute now: sandbox not paused, buyer an active core enterprise.
    function checkDispute(address buyer) external view;

    /// @notice Reverts unless `from` may pass `amount` fen to `to` at tier `tier`, leaving
    /// `remainder` fen behind (0 for a whole transfer): not paused, both active suppliers,
    /// both parts of a split at least the minimum piece, tier within the maximum depth.
    function checkTransfer(address from, address to, uint256 amount, uint256 remainder, uint256 tier) external view;

    /// @notice Reverts unless `holder` may ask `bank` to finance `amount` fen now: issuance open,
    /// both active in their roles, and the caps would hold if the bank approved now.
    function checkFinancingRequest(address holder, address bank, uint256 amount) external view;

    /// @notice Reverts unless the sandbox is not paused and `account` is active with `role`.
    function checkActor(address account, Role role) external view;

    /// @notice Reverts unless `account` is an active regulator (whether or not the sandbox is paused).
    function checkSupervisor(address account) external view;

    /// @notice Reverts unless the sandbox is not paused and `account` is an active operator or regulator.
    function checkKeeper(address account) external view;

    /// @notice Reverts unless settlement tokens may move from `from` to `to` outside a lifecycle
    /// step: sandbox not paused, neither account frozen (admitted, removed or never admitted alike).
    function checkHolderTransfer(address from, address to) external view;

    /**
     * @notice When an unpaid receivable due at `dueDate` becomes overdue, and defaulted (it is once
     * the chain time is past each): the due date plus the current grace period or default
     * threshold, plus every second the sandbox was paused since the due date (the clock stops
     * during a pause, so a pause never turns into a default the buyer could not prevent).
     */
    function settlementDeadlines(uint256 dueDate) external view returns (uint256 overdueAt, uint256 defaultAt);

    // ---- Exposure the ledger records (bound ledger only) ------------------------------------

    /**
     * @notice Records `buyer`'s confirmation of `amount` fen owed to `seller`.
     * @dev Requirements: the caller is the bound ledger; issuance is open; `buyer` is an active core
     * enterprise whose confirmed outstanding stays within its cap; `seller`, who receives the
     * receivable, is an active supplier.
     */
    function recordConfirmation(address buyer, address seller, uint256 amount) external;

    /**
     * @notice Records `bank`'s financing of `amount` fen (face) for `supplier` at `rateBps`.
     * @dev Requirements: the caller is the bound ledger; issuance is open; both are active in their
     * roles; `rateBps` is within the ceiling; the supplier, bank and pilot caps hold.
     */
    function recordFinancing(address bank, address supplier, uint256 amount, uint256 rateBps) external;

    /**
     * @notice Records that `buyer` paid `amount` fen, and the exposure that financed pieces release.
     * @dev Requirements: the caller is the bound ledger; the sandbox is not paused; `buyer` is not
     * frozen (settlement continues after an admission ends).
     */
    function recordPayment(address buyer, uint256 amount, ExposureRelease[] calldata releases) external;

    /**
     * @notice Records that `bank` recovered `amount` fen from `financedParty` under recourse.
     * @dev Requirements: the caller is the bound ledger; the sandbox is not paused; `bank` is an
     * active bank; `financedParty` is not frozen.
     */
    function recordRecourse(address bank, address financedParty, uint256 amount) external;
}
