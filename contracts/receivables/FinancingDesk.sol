// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DiscountMath} from "../libraries/DiscountMath.sol";
import {Role} from "../sandbox/SandboxTypes.sol";
import {SettlementToken} from "../token/SettlementToken.sol";
import {IReceivableLedger} from "./IReceivableLedger.sol";
import {PieceBook} from "./PieceBook.sol";
import {Financing, FinancingStatus, Piece, PieceStatus} from "./ReceivableTypes.sol";

/**
 * @dev Financing of pieces (DESIGN.md section 3, step 4): the holder asks a bank, the bank approves
 * with a rate or rejects with a reason. Approval is one delivery-versus-payment: the piece goes to
 * the bank and the advance goes to the holder in the same transaction, or neither happens.
 * A piece is financed at most once: only an `Active` piece can be requested, and a financed piece
 * never becomes `Active` again.
 */
abstract contract FinancingDesk is PieceBook {
    /**
     * @dev One slot per financing. `party` is the side of the financing that does not hold the
     * piece: the bank while the request is pending, rejected or cancelled (the supplier holds the
     * piece), the financed party once approved (the bank holds it), the bank again once recoursed
     * (the financed party holds it). The advance and discount are not stored: they follow from the
     * rate, the decision's date, the piece's amount and the due date, and the event records them.
     */
    struct FinancingRecord {
        address party;
        FinancingStatus status;
        bool withRecourse;
        uint16 rateBps; // the holder's maximum while requested, the applied rate once approved
        uint32 requestedAt;
        uint32 decidedAt;
    }

    SettlementToken internal immutable _token;

    mapping(bytes32 invoiceId => mapping(uint256 pieceIndex => FinancingRecord)) private _financings;

    constructor(SettlementToken token_) {
        _token = token_;
    }

    /// @inheritdoc IReceivableLedger
    function requestFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address bank,
        bool withRecourse,
        uint256 maxRateBps
    ) external {
        InvoiceRecord storage inv = _movable(invoiceId);
        Piece storage p = _heldPiece(invoiceId, inv, pieceIndex);
        if (p.status != PieceStatus.Active) revert PieceNotActive(invoiceId, pieceIndex, p.status);
        uint256 amount = p.amount;
        _controller.checkFinancingRequest(msg.sender, bank, amount);

        p.status = PieceStatus.Locked;
        _financings[invoiceId][pieceIndex] = FinancingRecord({
            party: bank,
            status: FinancingStatus.Requested,
            withRecourse: withRecourse,
            // No ceiling exceeds a uint16, so capping the holder's maximum there loses nothing.
            rateBps: maxRateBps > type(uint16).max ? type(uint16).max : uint16(maxRateBps),
            requestedAt: uint32(block.timestamp),
            decidedAt: 0
        });
        emit FinancingRequested(invoiceId, pieceIndex, msg.sender, bank, amount, withRecourse, maxRateBps);
    }

    /// @inheritdoc IReceivableLedger
    function cancelFinancing(bytes32 invoiceId, uint256 pieceIndex) external {
        InvoiceRecord storage inv = _existing(invoiceId);
        Piece storage p = _heldPiece(invoiceId, inv, pieceIndex);
        FinancingRecord storage f = _pending(invoiceId, pieceIndex);
        _controller.checkActor(msg.sender, Role.Supplier);
        p.status = PieceStatus.Active;
        f.status = FinancingStatus.Cancelled;
        f.decidedAt = uint32(block.timestamp);
        emit FinancingCancelled(invoiceId, pieceIndex, msg.sender, f.party);
    }

    /// @inheritdoc IReceivableLedger
    function approveFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address holder,
        uint256 amount,
        bool withRecourse,
        uint256 rateBps
    ) external returns (uint256 advance) {
        InvoiceRecord storage inv = _movable(invoiceId);
        FinancingRecord storage f = _pendingAtBank(invoiceId, pieceIndex);
        Piece storage p = _pieceAt(invoiceId, inv, pieceIndex);
        _requireReviewed(invoiceId, pieceIndex, p, f, holder, amount, withRecourse);
        // Checks the rate ceiling before any arithmetic uses the rate, then consumes the caps; the
        // sandbox's ceiling is reported before the holder's own maximum, which defaults to it.
        _controller.recordFinancing(msg.sender, holder, amount, rateBps);
        if (rateBps > f.rateBps) revert RateAboveRequestedMaximum(f.rateBps, rateBps);

        uint256 days_;
        uint256 discount;
        (days_, discount, advance) = _price(amount, rateBps, inv.dueDate);
        p.holder = msg.sender;
        p.status = PieceStatus.Financed;
        f.party = holder;
        f.status = FinancingStatus.Approved;
        f.rateBps = uint16(rateBps); // rateBps <= the holder's maximum, a uint16
        f.decidedAt = uint32(block.timestamp);
        _token.settle(msg.sender, holder, advance);
        emit FinancingApproved(invoiceId, pieceIndex, msg.sender, holder, rateBps, days_, discount, advance);
    }

    /// @inheritdoc IReceivableLedger
    function rejectFinancing(bytes32 invoiceId, uint256 pieceIndex, string calldata reason) external {
        InvoiceRecord storage inv = _existing(invoiceId);
        FinancingRecord storage f = _pendingAtBank(invoiceId, pieceIndex);
        if (bytes(reason).length == 0) revert ReasonRequired();
        _controller.checkActor(msg.sender, Role.Bank);
        Piece storage p = _pieceAt(invoiceId, inv, pieceIndex);
        p.status = PieceStatus.Active;
        f.status = FinancingStatus.Rejected;
        f.decidedAt = uint32(block.timestamp);
        emit FinancingRejected(invoiceId, pieceIndex, msg.sender, p.holder, reason);
    }

    /// @inheritdoc IReceivableLedger
    function financing(bytes32 invoiceId, uint256 pieceIndex) external view returns (Financing memory view_) {
        FinancingRecord storage f = _financings[invoiceId][pieceIndex];
        FinancingStatus status = f.status;
        view_.status = status;
        view_.withRecourse = f.withRecourse;
        view_.rateBps = f.rateBps;
        view_.requestedAt = f.requestedAt;
        view_.decidedAt = f.decidedAt;
        if (status != FinancingStatus.Approved && status != FinancingStatus.Recoursed) {
            view_.bank = f.party;
            return view_;
        }
        // A financing exists only on an existing piece, so both reads succeed.
        InvoiceRecord storage inv = _existing(invoiceId);
        Piece storage p = _pieceAt(invoiceId, inv, pieceIndex);
        (view_.bank, view_.financedParty) =
            status == FinancingStatus.Approved ? (p.holder, f.party) : (f.party, p.holder);
        uint256 amount = p.amount;
        uint256 days_ = DiscountMath.daysToMaturity(view_.decidedAt, inv.dueDate);
        uint256 discount = DiscountMath.discount(amount, view_.rateBps, days_);
        view_.discount = uint48(discount); // below the amount, checked at approval
        view_.advance = uint48(amount - discount);
    }

    /// @inheritdoc IReceivableLedger
    function quoteFinancing(
        bytes32 invoiceId,
        uint256 pieceIndex,
        uint256 rateBps
    ) external view returns (uint256 daysToMaturity, uint256 discount, uint256 advance) {
        InvoiceRecord storage inv = _movable(invoiceId);
        uint256 amount = _pieceAt(invoiceId, inv, pieceIndex).amount;
        uint256 ceiling = _controller.policy().rateCeilingBps;
        if (rateBps > ceiling) revert RateAboveCeiling(ceiling, rateBps);
        (daysToMaturity, discount, advance) = _price(amount, rateBps, inv.dueDate);
    }

    /// @inheritdoc IReceivableLedger
    function settlementToken() external view returns (address) {
        return address(_token);
    }

    /**
     * @dev Days to maturity, discount and advance of financing `amount` fen due at `dueDate` at
     * `rateBps`; reverts with {DiscountExceedsAmount} when the discount would take the whole piece.
     */
    function _price(
        uint256 amount,
        uint256 rateBps,
        uint256 dueDate
    ) private view returns (uint256 days_, uint256 discount, uint256 advance) {
        days_ = DiscountMath.daysToMaturity(block.timestamp, dueDate);
        discount = DiscountMath.discount(amount, rateBps, days_);
        if (discount >= amount) revert DiscountExceedsAmount(amount, discount);
        unchecked {
            // Cannot underflow: discount < amount.
            advance = amount - discount;
        }
    }

    /// @dev Reverts unless the pending request is `holder`'s, for `amount` fen, with recourse
    /// `withRecourse`: the terms the bank reviewed. The holder cannot change a locked piece, so a
    /// difference means the request was cancelled and another one made.
    function _requireReviewed(
        bytes32 invoiceId,
        uint256 pieceIndex,
        Piece storage p,
        FinancingRecord storage f,
        address holder,
        uint256 amount,
        bool withRecourse
    ) private view {
        if (p.holder != holder || p.amount != amount || f.withRecourse != withRecourse) {
            revert FinancingRequestChanged(invoiceId, pieceIndex, p.holder, p.amount, f.withRecourse);
        }
    }

    /// @dev Storage of a piece's financing record.
    function _financingOf(bytes32 invoiceId, uint256 pieceIndex) internal view returns (FinancingRecord storage) {
        return _financings[invoiceId][pieceIndex];
    }

    function _pending(bytes32 invoiceId, uint256 pieceIndex) private view returns (FinancingRecord storage f) {
        f = _financings[invoiceId][pieceIndex];
        if (f.status != FinancingStatus.Requested) revert NoPendingFinancing(invoiceId, pieceIndex, f.status);
    }

    /// @dev The pending request, which names the caller as its bank (its `party` while pending).
    function _pendingAtBank(bytes32 invoiceId, uint256 pieceIndex) private view returns (FinancingRecord storage f) {
        f = _pending(invoiceId, pieceIndex);
        if (f.party != msg.sender) revert NotFinancingBank(invoiceId, pieceIndex, f.party, msg.sender);
    }
}
