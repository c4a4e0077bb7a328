// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InvoiceNumber} from "../libraries/InvoiceNumber.sol";
import {ISandboxController} from "../sandbox/ISandboxController.sol";
import {IReceivableLedger} from "./IReceivableLedger.sol";
import {Invoice, InvoiceStatus} from "./ReceivableTypes.sol";

/**
 * @dev Invoices (DESIGN.md section 3, steps 1, 2 and 6): submission with the document's hash,
 * confirmation or dispute by the buyer, overdue and default marks, and the regulator's freeze.
 * An invoice's id is its normalized key, so uniqueness needs no index of its own.
 */
abstract contract InvoiceBook is IReceivableLedger {
    /// @dev Two slots per invoice, laid out so each step reads and writes as few as possible: the
    /// steps that move or finance pieces read slot 1 only. The document's hash lives in the
    /// {InvoiceSubmitted} event, which is what a verifier reads.
    struct InvoiceRecord {
        // slot 0: money
        address buyer;
        uint48 faceAmount;
        uint48 paidAmount;
        // slot 1: lifecycle (dates are uint32 Unix seconds, valid until 2106)
        address seller;
        uint32 issueDate;
        uint32 dueDate;
        InvoiceStatus status;
        uint8 pieceCount; // at most MAX_PIECES
        bool frozen;
        bool paymentsStarted; // paidAmount != 0, kept beside the status
    }

    ISandboxController internal immutable _controller;

    mapping(bytes32 invoiceId => InvoiceRecord) private _invoices;

    constructor(ISandboxController controller_) {
        _controller = controller_;
    }

    /// @inheritdoc IReceivableLedger
    function submitInvoice(
        address buyer,
        string calldata invoiceNumber,
        uint256 faceAmount,
        uint256 issueDate,
        uint256 dueDate,
        bytes32 documentHash
    ) external returns (bytes32 invoiceId) {
        invoiceId = InvoiceNumber.key(msg.sender, buyer, invoiceNumber);
        InvoiceRecord storage inv = _invoices[invoiceId];
        if (inv.status != InvoiceStatus.None) revert InvoiceAlreadyExists(invoiceId);
        if (faceAmount == 0 || faceAmount > type(uint48).max) revert InvalidFaceAmount(faceAmount, type(uint48).max);
        if (issueDate > block.timestamp || dueDate <= block.timestamp || dueDate > type(uint32).max) {
            revert InvalidInvoiceDates(issueDate, dueDate, block.timestamp);
        }
        if (documentHash == bytes32(0)) revert DocumentHashRequired();
        // issueDate <= now < dueDate, so issueDate < dueDate and both fit a uint32.
        _controller.checkSubmission(msg.sender, buyer, issueDate, dueDate);

        inv.buyer = buyer;
        inv.faceAmount = uint48(faceAmount);
        inv.seller = msg.sender;
        inv.issueDate = uint32(issueDate);
        inv.dueDate = uint32(dueDate);
        inv.status = InvoiceStatus.Submitted;
        emit InvoiceSubmitted(
            invoiceId,
            msg.sender,
            buyer,
            invoiceNumber,
            faceAmount,
            issueDate,
            dueDate,
            documentHash
        );
    }

    /// @inheritdoc IReceivableLedger
    function confirmInvoice(bytes32 invoiceId) external {
        InvoiceRecord storage inv = _buyerInvoice(invoiceId);
        _requireStatus(invoiceId, inv.status, InvoiceStatus.Submitted);
        if (inv.frozen) revert ReceivableIsFrozen(invoiceId);
        if (block.timestamp >= inv.dueDate) revert ReceivableMatured(invoiceId, inv.dueDate, block.timestamp);
        uint256 face = inv.faceAmount;
        address seller = inv.seller;
        _controller.recordConfirmation(msg.sender, seller, face);

        inv.status = InvoiceStatus.Confirmed;
        inv.pieceCount = 1;
        _issueRootPiece(invoiceId, seller, face);
        emit InvoiceConfirmed(invoiceId, msg.sender, seller, face);
    }

    /// @inheritdoc IReceivableLedger
    function disputeInvoice(bytes32 invoiceId, string calldata reason) external {
        InvoiceRecord storage inv = _buyerInvoice(invoiceId);
        _requireStatus(invoiceId, inv.status, InvoiceStatus.Submitted);
        if (bytes(reason).length == 0) revert ReasonRequired();
        _controller.checkDispute(msg.sender);
        inv.status = InvoiceStatus.Disputed;
        emit InvoiceDisputed(invoiceId, msg.sender, reason);
    }

    /// @inheritdoc IReceivableLedger
    function markOverdue(bytes32 invoiceId) external {
        _controller.checkKeeper(msg.sender);
        InvoiceRecord storage inv = _existing(invoiceId);
        _requireStatus(invoiceId, inv.status, InvoiceStatus.Confirmed);
        (uint256 at, ) = _controller.settlementDeadlines(inv.dueDate);
        if (block.timestamp <= at) revert NotYetOverdue(invoiceId, at, block.timestamp);
        inv.status = InvoiceStatus.Overdue;
        emit ReceivableOverdue(invoiceId, uint256(inv.faceAmount) - inv.paidAmount, inv.dueDate);
    }

    /// @inheritdoc IReceivableLedger
    function markDefaulted(bytes32 invoiceId) external {
        _controller.checkKeeper(msg.sender);
        _markDefaulted(invoiceId, _existing(invoiceId));
    }

    /// @inheritdoc IReceivableLedger
    function freezeReceivable(bytes32 invoiceId, string calldata reason) external {
        _setFrozen(invoiceId, true, reason);
        emit ReceivableFrozen(invoiceId, msg.sender, reason);
    }

    /// @inheritdoc IReceivableLedger
    function unfreezeReceivable(bytes32 invoiceId, string calldata reason) external {
        _setFrozen(invoiceId, false, reason);
        emit ReceivableUnfrozen(invoiceId, msg.sender, reason);
    }

    /// @inheritdoc IReceivableLedger
    function invoice(bytes32 invoiceId) external view returns (Invoice memory) {
        InvoiceRecord storage inv = _existing(invoiceId);
        return
            Invoice({
                seller: inv.seller,
                buyer: inv.buyer,
                faceAmount: inv.faceAmount,
                paidAmount: inv.paidAmount,
                issueDate: inv.issueDate,
                dueDate: inv.dueDate,
                status: inv.status,
                pieceCount: inv.pieceCount,
                frozen: inv.frozen
            });
    }

    /// @inheritdoc IReceivableLedger
    function standing(bytes32 invoiceId) external view returns (InvoiceStatus) {
        InvoiceRecord storage inv = _existing(invoiceId);
        InvoiceStatus status = inv.status;
        if (status != InvoiceStatus.Confirmed && status != InvoiceStatus.Overdue) return status;
        (uint256 overdueAt, uint256 defaultAt) = _controller.settlementDeadlines(inv.dueDate);
        if (block.timestamp > defaultAt) return InvoiceStatus.Defaulted;
        if (block.timestamp > overdueAt) return InvoiceStatus.Overdue;
        return status;
    }

    /// @inheritdoc IReceivableLedger
    function invoiceIdOf(address seller, address buyer, string calldata invoiceNumber) external pure returns (bytes32) {
        return InvoiceNumber.key(seller, buyer, invoiceNumber);
    }

    /// @inheritdoc IReceivableLedger
    function controller() external view returns (address) {
        return address(_controller);
    }

    /// @dev Creates piece 0 of a newly confirmed receivable; implemented by the piece book.
    function _issueRootPiece(bytes32 invoiceId, address seller, uint256 amount) internal virtual;

    /// @dev The invoice record, reverting with {InvoiceNotFound} if there is none.
    function _existing(bytes32 invoiceId) internal view returns (InvoiceRecord storage inv) {
        inv = _invoices[invoiceId];
        if (inv.status == InvoiceStatus.None) revert InvoiceNotFound(invoiceId);
    }

    /**
     * @dev The invoice record for a step that moves or finances a piece: the receivable must be
     * `Confirmed`, not frozen, not paid in part and not yet due.
     */
    function _movable(bytes32 invoiceId) internal view returns (InvoiceRecord storage inv) {
        inv = _existing(invoiceId);
        _requireStatus(invoiceId, inv.status, InvoiceStatus.Confirmed);
        if (inv.frozen) revert ReceivableIsFrozen(invoiceId);
        if (inv.paymentsStarted) revert PaymentsStarted(invoiceId, inv.paidAmount);
        if (block.timestamp >= inv.dueDate) revert ReceivableMatured(invoiceId, inv.dueDate, block.timestamp);
    }

    /// @dev The invoice record when the caller must be its buyer.
    function _buyerInvoice(bytes32 invoiceId) internal view returns (InvoiceRecord storage inv) {
        inv = _existing(invoiceId);
        if (inv.buyer != msg.sender) revert NotInvoiceBuyer(invoiceId, inv.buyer, msg.sender);
    }

    /// @dev Marks a confirmed or overdue receivable defaulted once past the default threshold.
    function _markDefaulted(bytes32 invoiceId, InvoiceRecord storage inv) internal {
        InvoiceStatus status = inv.status;
        if (status != InvoiceStatus.Overdue) _requireStatus(invoiceId, status, InvoiceStatus.Confirmed);
        (, uint256 at) = _controller.settlementDeadlines(inv.dueDate);
        if (block.timestamp <= at) revert NotYetDefaulted(invoiceId, at, block.timestamp);
        inv.status = InvoiceStatus.Defaulted;
        emit ReceivableDefaulted(invoiceId, uint256(inv.faceAmount) - inv.paidAmount, inv.dueDate);
    }

    function _requireStatus(bytes32 invoiceId, InvoiceStatus actual, InvoiceStatus required) internal pure {
        if (actual != required) revert InvoiceStatusMismatch(invoiceId, actual, required);
    }

    function _setFrozen(bytes32 invoiceId, bool frozen, string calldata reason) private {
        _controller.checkSupervisor(msg.sender);
        if (bytes(reason).length == 0) revert ReasonRequired();
        InvoiceRecord storage inv = _existing(invoiceId);
        if (inv.frozen == frozen) revert ReceivableFreezeUnchanged(invoiceId, frozen);
        inv.frozen = frozen;
    }
}
