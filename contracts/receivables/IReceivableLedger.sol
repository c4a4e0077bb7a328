// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISandboxErrors} from "../sandbox/ISandboxErrors.sol";
import {Financing, FinancingStatus, Invoice, InvoiceStatus, Piece, PieceStatus} from "./ReceivableTypes.sol";

/**
 * @dev The receivable lifecycle of DESIGN.md section 3: submit, confirm or dispute, split and
 * transfer, finance, settle, overdue and default, recourse. Amounts are integer fen, dates Unix
 * seconds. An invoice's id is its normalized key (seller, buyer, invoice number), so the same
 * invoice can never be tokenized twice. Pieces are addressed by (invoice id, piece index).
 *
 * Every step first passes the sandbox controls ({ISandboxController}); their errors (inherited
 * here) name the rule and carry the numbers.
 */
interface IReceivableLedger is ISandboxErrors {
    // ---- Events ----------------------------------------------------------------------------
    event InvoiceSubmitted(
        bytes32 indexed invoiceId,
        address indexed seller,
        address indexed buyer,
        string invoiceNumber,
        uint256 faceAmount,
        uint256 issueDate,
        uint256 dueDate,
        bytes32 documentHash
    );
    event InvoiceConfirmed(
        bytes32 indexed invoiceId,
        address indexed buyer,
        address indexed seller,
        uint256 faceAmount
    );
    event InvoiceDisputed(bytes32 indexed invoiceId, address indexed buyer, string reason);
    /// @dev `toIndex == fromIndex` for a whole transfer; otherwise a new piece `toIndex` was split off.
    event PieceTransferred(
        bytes32 indexed invoiceId,
        uint256 fromIndex,
        uint256 toIndex,
        address indexed from,
        address indexed to,
        uint256 amount,
        uint256 tier
    );
    event FinancingRequested(
        bytes32 indexed invoiceId,
        uint256 pieceIndex,
        address indexed holder,
        address indexed bank,
        uint256 amount,
        bool withRecourse,
        uint256 maxRateBps
    );
    event FinancingApproved(
        bytes32 indexed invoiceId,
        uint256 pieceIndex,
        address indexed bank,
        address indexed holder,
        uint256 rateBps,
        uint256 daysToMaturity,
        uint256 discount,
        uint256 advance
    );
    event FinancingRejected(
        bytes32 indexed invoiceId,
        uint256 pieceIndex,
        address indexed bank,
        address indexed holder,
        string reason
    );
    event FinancingCancelled(
        bytes32 indexed invoiceId,
        uint256 pieceIndex,
        address indexed holder,
        address indexed bank
    );
    event PaymentReceived(
        bytes32 indexed invoiceId,
        address indexed buyer,
        uint256 amount,
        uint256 paidTotal,
        uint256 faceAmount
    );
    event PieceSettled(bytes32 indexed invoiceId, uint256 pieceIndex, address indexed holder, uint256 amount);
    event ReceivableOverdue(bytes32 indexed invoiceId, uint256 outstanding, uint256 dueDate);
    event ReceivableDefaulted(bytes32 indexed invoiceId, uint256 outstanding, uint256 dueDate);
    event RecourseClaimed(
        bytes32 indexed invoiceId,
        uint256 pieceIndex,
        address indexed bank,
        address indexed financedParty,
        uint256 amount
    );
    event ReceivableFrozen(bytes32 indexed invoiceId, address indexed by, string reason);
    event ReceivableUnfrozen(bytes32 indexed invoiceId, address indexed by, string reason);

    // ---- Errors ----------------------------------------------------------------------------
    /// @dev The key (seller, buyer, normalized number) `invoiceId` is already tokenized.
    error InvoiceAlreadyExists(bytes32 invoiceId);
    error InvoiceNotFound(bytes32 invoiceId);
    /// @dev The face amount must be 1 to `max` fen.
    error InvalidFaceAmount(uint256 amount, uint256 max);
    /// @dev Needs issueDate <= now < dueDate and issueDate < dueDate.
    error InvalidInvoiceDates(uint256 issueDate, uint256 dueDate, uint256 now_);
    error DocumentHashRequired();
    /// @dev Only the invoice's buyer `buyer` may do this; `caller` is not.
    error NotInvoiceBuyer(bytes32 invoiceId, address buyer, address caller);
    /// @dev The invoice is `actual`; the step needs `required`.
    error InvoiceStatusMismatch(bytes32 invoiceId, InvoiceStatus actual, InvoiceStatus required);
    error ReceivableIsFrozen(bytes32 invoiceId);
    /// @dev The receivable is already in the requested freeze state.
    error ReceivableFreezeUnchanged(bytes32 invoiceId, bool frozen);
    /// @dev Pieces no longer move or get financed once the due date `dueDate` is reached.
    error ReceivableMatured(bytes32 invoiceId, uint256 dueDate, uint256 now_);
    /// @dev Pieces no longer move or get financed once the buyer has paid `paidAmount`.
    error PaymentsStarted(bytes32 invoiceId, uint256 paidAmount);
    /// @dev Piece `pieceIndex` has no split left: its share of the invoice's `MAX_PIECES` is used.
    error PieceSplitsExhausted(bytes32 invoiceId, uint256 pieceIndex);
    error PieceNotFound(bytes32 invoiceId, uint256 pieceIndex);
    error NotPieceHolder(bytes32 invoiceId, uint256 pieceIndex, address holder, address caller);
    error PieceNotActive(bytes32 invoiceId, uint256 pieceIndex, PieceStatus status);
    /// @dev A transfer moves 1 fen up to the whole piece of `pieceAmount` fen.
    error InvalidTransferAmount(uint256 amount, uint256 pieceAmount);
    /// @dev A whole piece cannot be transferred to its own holder.
    error InvalidRecipient(address to);
    error NoPendingFinancing(bytes32 invoiceId, uint256 pieceIndex, FinancingStatus status);
    /// @dev The pending request is not the one the bank approves: it is `holder`'s, for `amount`
    /// fen, with recourse `withRecourse`.
    error FinancingRequestChanged(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address holder,
        uint256 amount,
        bool withRecourse
    );
    /// @dev The holder accepts at most `maxRateBps`; the bank offered `rateBps`.
    error RateAboveRequestedMaximum(uint256 maxRateBps, uint256 rateBps);
    error NotFinancingBank(bytes32 invoiceId, uint256 pieceIndex, address bank, address caller);
    /// @dev The discount of `discount` fen would consume the whole piece of `amount` fen.
    error DiscountExceedsAmount(uint256 amount, uint256 discount);
    /// @dev A payment is 1 fen up to the `outstanding` amount.
    error InvalidPaymentAmount(bytes32 invoiceId, uint256 outstanding, uint256 amount);
    /// @dev The receivable becomes overdue (or defaulted) after `at`; the chain time is `now_`.
    error NotYetOverdue(bytes32 invoiceId, uint256 at, uint256 now_);
    error NotYetDefaulted(bytes32 invoiceId, uint256 at, uint256 now_);
    /// @dev The piece has no approved financing with recourse (never financed, financed without
    /// recourse, or already recovered).
    error RecourseNotAvailable(bytes32 invoiceId, uint256 pieceIndex, FinancingStatus status);

    // ---- Lifecycle -------------------------------------------------------------------------

    /**
     * @notice Submits an invoice against `buyer` and anchors its document's SHA-256.
     * @dev The id is `keccak256(abi.encodePacked(seller, buyer, normalized number))`, see
     * {invoiceIdOf}; the number is normalized by upper-casing letters and dropping space, `-`,
     * `_`, `/` and `.`, so "inv-2026/001" and "INV2026001" are the same invoice.
     *
     * Requirements:
     * - the caller is an active supplier and `buyer` an active core enterprise;
     * - the sandbox is open for issuance (not paused, not winding down, inside the pilot window);
     * - the key is not tokenized yet; the face amount is 1 fen to 2^48-1 fen;
     * - `issueDate <= now < dueDate` and the tenor is at most the policy's maximum.
     *
     * Emits an {InvoiceSubmitted} event.
     */
    function submitInvoice(
        address buyer,
        string calldata invoiceNumber,
        uint256 faceAmount,
        uint256 issueDate,
        uint256 dueDate,
        bytes32 documentHash
    ) external returns (bytes32 invoiceId);

    /**
     * @notice The buyer confirms the debt: the invoice becomes a confirmed receivable whose single
     * piece (index 0, tier 1) is held by the seller.
     * @dev Requirements: the caller is the invoice's buyer, active; the invoice is `Submitted`, not
     * frozen and not yet due; issuance is open; the buyer's confirmed outstanding stays within its
     * cap; the seller is still an active supplier.
     *
     * Emits an {InvoiceConfirmed} event.
     */
    function confirmInvoice(bytes32 invoiceId) external;

    /**
     * @notice The buyer disputes the invoice; it can never be confirmed afterwards.
     * @dev Requirements: the caller is the invoice's buyer, active; the invoice is `Submitted`;
     * the sandbox is not paused; `reason` is not empty.
     *
     * Emits an {InvoiceDisputed} event.
     */
    function disputeInvoice(bytes32 invoiceId, string calldata reason) external;

    /**
     * @notice Transfers `amount` fen of piece `pieceIndex` to `to`: the whole piece changes hands,
     * or a new piece is split off for `to`. The receiving piece sits one tier deeper, unless `to`
     * is the holder itself (a split kept for later, for example to finance part of a piece).
     * @dev Requirements:
     * - the caller holds the piece, which is `Active`; the invoice is `Confirmed`, not frozen,
     *   not yet due and not paid in part;
     * - caller and `to` are active suppliers; the sandbox is not paused;
     * - a split leaves and creates pieces of at least the minimum piece amount, and the piece has a
     *   split left (the original piece may be cut `MAX_PIECES - 1` times; a split shares what is
     *   left between the two parts in proportion to their amounts); the new tier is within the
     *   maximum tier depth (a piece passed back to an earlier holder goes one tier deeper too:
     *   the tier counts hand-overs, which bounds churn).
     *
     * Emits a {PieceTransferred} event.
     */
    function transferPiece(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address to,
        uint256 amount
    ) external returns (uint256 newPieceIndex);

    /**
     * @notice Asks `bank` to finance piece `pieceIndex` at an annual rate of at most `maxRateBps`;
     * the piece is locked until the bank decides or the holder cancels.
     * @dev Requirements: the caller holds the `Active` piece; the invoice is `Confirmed`, not frozen,
     * not yet due and not paid in part; the caller is an active supplier and `bank` an active bank;
     * issuance is open; financing the piece now would stay within the supplier, bank and pilot caps.
     *
     * Emits a {FinancingRequested} event.
     */
    function requestFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address bank,
        bool withRecourse,
        uint256 maxRateBps
    ) external;

    /**
     * @notice The holder withdraws its pending request; the piece is unlocked.
     * @dev Requirements: the caller holds the piece and is an active supplier; the request is pending;
     * the sandbox is not paused.
     *
     * Emits a {FinancingCancelled} event.
     */
    function cancelFinancing(bytes32 invoiceId, uint256 pieceIndex) external;

    /**
     * @notice The bank approves the request it reviewed (`holder`'s, for `amount` fen, with
     * recourse `withRecourse`) at the annual discount rate `rateBps` (basis points).
     * In one step the piece moves to the bank and the bank pays the holder the advance:
     * `advance = amount - discount`, `discount = floor(amount * rateBps * days / (360 * 10000))`,
     * with `days` the days to the due date rounded up. Rounding the discount down means the holder
     * never receives less than the exact advance, and gains less than 1 fen.
     * @dev Requirements: the caller is the bank named in the pending request, active; the pending
     * request is the one named (a holder that cancels and asks again, or a new holder asking,
     * makes a new request the bank must review); `rateBps` is within the holder's maximum and the
     * rate ceiling; the invoice is `Confirmed`, not frozen, not yet due and not paid in part;
     * issuance is open; the holder is still an active supplier; the supplier, bank and pilot caps
     * hold; the bank holds the advance.
     *
     * Emits a {FinancingApproved} event.
     */
    function approveFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address holder,
        uint256 amount,
        bool withRecourse,
        uint256 rateBps
    ) external returns (uint256 advance);

    /**
     * @notice The bank rejects the request; the piece is unlocked.
     * @dev Requirements: the caller is the bank named in the pending request, active; the sandbox is
     * not paused; `reason` is not empty.
     *
     * Emits a {FinancingRejected} event.
     */
    function rejectFinancing(bytes32 invoiceId, uint256 pieceIndex, string calldata reason) external;

    /**
     * @notice The buyer pays `amount` fen of the invoice, early, on time or late, in full or in
     * part. Every piece's holder receives its share at once: after the payment each piece has been
     * paid `floor(paidTotal * pieceAmount / faceAmount)`. The buyer transfers exactly the shares:
     * the fraction of a fen this rounding holds back (under 1 fen per piece) stays with the buyer
     * and goes out with its next payment, so the ledger never holds funds that could be stranded;
     * once the invoice is fully paid, every holder has received exactly its piece's amount.
     * @dev Requirements: the caller is the invoice's buyer and not frozen (an expired or removed
     * buyer still settles); the invoice is confirmed and not settled nor frozen; the sandbox is not
     * paused; `amount` is 1 fen up to what is outstanding and the buyer holds it.
     *
     * Emits a {PaymentReceived} event and one {PieceSettled} event per piece paid.
     */
    function pay(bytes32 invoiceId, uint256 amount) external;

    /**
     * @notice Records that an unpaid receivable is past its due date plus the grace period.
     * @dev Requirements: the caller is an active operator or regulator; the sandbox is not paused;
     * the invoice is `Confirmed` and the chain time is after `dueDate + gracePeriodDays` plus the
     * time the sandbox was paused since the due date. The current grace period applies, also to
     * receivables confirmed before it changed.
     *
     * Emits a {ReceivableOverdue} event.
     */
    function markOverdue(bytes32 invoiceId) external;

    /**
     * @notice Records that an unpaid receivable is past its due date plus the default threshold.
     * @dev Requirements: the caller is an active operator or regulator; the sandbox is not paused;
     * the invoice is `Confirmed` or `Overdue` and the chain time is after
     * `dueDate + defaultThresholdDays` plus the time the sandbox was paused since the due date
     * (the current threshold applies, also to receivables confirmed before it changed).
     *
     * Emits a {ReceivableDefaulted} event.
     */
    function markDefaulted(bytes32 invoiceId) external;

    /**
     * @notice With recourse, the bank recovers the unpaid part of a defaulted piece from the party
     * it financed; the piece goes back to that party, which keeps any later payment by the buyer.
     * @dev Requirements: the caller is the active bank holding the piece, financed with recourse;
     * the receivable is defaulted (marked, or past the default threshold, in which case it is marked
     * now); the sandbox is not paused; the financed party is not frozen and holds the unpaid amount.
     *
     * Emits a {RecourseClaimed} event (and a {ReceivableDefaulted} event if it was not marked yet).
     */
    function claimRecourse(bytes32 invoiceId, uint256 pieceIndex) external returns (uint256 amount);

    /**
     * @notice The regulator freezes a receivable: none of its pieces moves, is financed or paid.
     * @dev Requirements: the caller is an active regulator; `reason` is not empty; not frozen yet.
     *
     * Emits a {ReceivableFrozen} event.
     */
    function freezeReceivable(bytes32 invoiceId, string calldata reason) external;

    /**
     * @notice The regulator lifts a receivable's freeze.
     * @dev Requirements: the caller is an active regulator; `reason` is not empty; frozen now.
     *
     * Emits a {ReceivableUnfrozen} event.
     */
    function unfreezeReceivable(bytes32 invoiceId, string calldata reason) external;

    // ---- Views -----------------------------------------------------------------------------

    /// @notice The invoice `invoiceId`; reverts with {InvoiceNotFound} if there is none.
    function invoice(bytes32 invoiceId) external view returns (Invoice memory);

    /// @notice The status the invoice has now, including overdue and default reached by the
    /// passage of time but not marked yet.
    function standing(bytes32 invoiceId) external view returns (InvoiceStatus);

    /// @notice Piece `pieceIndex` of the invoice.
    function piece(bytes32 invoiceId, uint256 pieceIndex) external view returns (Piece memory);

    /// @notice Every piece of the invoice, by index: the lineage tree through each piece's parent.
    function pieces(bytes32 invoiceId) external view returns (Piece[] memory);

    /// @notice The financing record of a piece (status `None` if it never had a request).
    function financing(bytes32 invoiceId, uint256 pieceIndex) external view returns (Financing memory);

    /**
     * @notice What financing piece `pieceIndex` at `rateBps` would pay out if approved now: days to
     * maturity, discount and advance, computed as in {approveFinancing}. For a preview before a
     * request exists as well as for a pending one.
     * @dev Reverts as approval would on the receivable's state, the rate ceiling and
     * {DiscountExceedsAmount}.
     */
    function quoteFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        uint256 rateBps
    ) external view returns (uint256 daysToMaturity, uint256 discount, uint256 advance);

    /// @notice The id of the invoice (seller, buyer, invoice number), normalized as in {submitInvoice}.
    function invoiceIdOf(address seller, address buyer, string calldata invoiceNumber) external pure returns (bytes32);

    /// @notice The sandbox controller this ledger consults.
    function controller() external view returns (address);

    /// @notice The settlement token the ledger pays with.
    function settlementToken() external view returns (address);
}
