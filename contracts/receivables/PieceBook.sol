// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IReceivableLedger} from "./IReceivableLedger.sol";
import {InvoiceBook} from "./InvoiceBook.sol";
import {Piece, PieceStatus} from "./ReceivableTypes.sol";

/**
 * @dev Pieces of confirmed receivables (DESIGN.md section 3, step 3): split and transfer up the
 * supply chain with lineage (each piece's parent) and tier depth. A split only moves fen between
 * pieces, so the pieces of an invoice always sum to its face amount.
 */
abstract contract PieceBook is InvoiceBook {
    /// @dev Most pieces one receivable may have; bounds the work of paying every holder at once.
    /// The invoice's piece count plus every piece's `splitsLeft` never exceeds it.
    uint256 public constant MAX_PIECES = 64;

    mapping(bytes32 invoiceId => mapping(uint256 pieceIndex => Piece)) private _pieces;

    /// @inheritdoc IReceivableLedger
    function transferPiece(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address to,
        uint256 amount
    ) external returns (uint256 newPieceIndex) {
        InvoiceRecord storage inv = _movable(invoiceId);
        Piece storage p = _heldPiece(invoiceId, inv, pieceIndex);
        if (p.status != PieceStatus.Active) revert PieceNotActive(invoiceId, pieceIndex, p.status);
        uint256 pieceAmount = p.amount;
        if (amount == 0 || amount > pieceAmount) revert InvalidTransferAmount(amount, pieceAmount);
        // One tier deeper for the next supplier; a piece kept by its holder stays at its tier.
        uint256 tier = to == msg.sender ? p.tier : uint256(p.tier) + 1;

        if (amount == pieceAmount) {
            if (to == msg.sender) revert InvalidRecipient(to);
            _controller.checkTransfer(msg.sender, to, amount, 0, tier);
            newPieceIndex = pieceIndex;
            p.holder = to;
            p.tier = uint8(tier); // tier <= maxTierDepth <= 255, checked by the controller
        } else {
            uint256 splits = p.splitsLeft;
            if (splits == 0) revert PieceSplitsExhausted(invoiceId, pieceIndex);
            _controller.checkTransfer(msg.sender, to, amount, pieceAmount - amount, tier);
            newPieceIndex = inv.pieceCount;
            uint256 given;
            unchecked {
                // The new piece takes its part of the splits left beyond this one, in proportion
                // to its amount; pieceCount + all splitsLeft stays within MAX_PIECES, so the new
                // index is below it. Cannot underflow: amount < pieceAmount, given <= splits - 1.
                given = ((splits - 1) * amount) / pieceAmount;
                p.amount = uint48(pieceAmount - amount);
                p.splitsLeft = uint8(splits - 1 - given);
                inv.pieceCount = uint8(newPieceIndex + 1);
            }
            _pieces[invoiceId][newPieceIndex] = Piece({
                holder: to,
                amount: uint48(amount), // amount < pieceAmount < 2^48
                tier: uint8(tier),
                status: PieceStatus.Active,
                parent: uint16(pieceIndex),
                splitsLeft: uint8(given)
            });
        }
        emit PieceTransferred(invoiceId, pieceIndex, newPieceIndex, msg.sender, to, amount, tier);
    }

    /// @inheritdoc IReceivableLedger
    function piece(bytes32 invoiceId, uint256 pieceIndex) external view returns (Piece memory) {
        InvoiceRecord storage inv = _existing(invoiceId);
        if (pieceIndex >= inv.pieceCount) revert PieceNotFound(invoiceId, pieceIndex);
        return _pieces[invoiceId][pieceIndex];
    }

    /// @inheritdoc IReceivableLedger
    function pieces(bytes32 invoiceId) external view returns (Piece[] memory all) {
        uint256 count = _existing(invoiceId).pieceCount;
        all = new Piece[](count);
        for (uint256 i = 0; i < count; ++i) {
            all[i] = _pieces[invoiceId][i];
        }
    }

    /// @inheritdoc InvoiceBook
    function _issueRootPiece(bytes32 invoiceId, address seller, uint256 amount) internal override {
        _pieces[invoiceId][0] = Piece({
            holder: seller,
            amount: uint48(amount),
            tier: 1,
            status: PieceStatus.Active,
            parent: 0,
            splitsLeft: uint8(MAX_PIECES - 1)
        });
    }

    /// @dev Storage of piece `pieceIndex`, which must exist (pieces are never deleted).
    function _pieceAt(
        bytes32 invoiceId,
        InvoiceRecord storage inv,
        uint256 pieceIndex
    ) internal view returns (Piece storage) {
        if (pieceIndex >= inv.pieceCount) revert PieceNotFound(invoiceId, pieceIndex);
        return _pieces[invoiceId][pieceIndex];
    }

    /// @dev Storage of piece `pieceIndex`, which the caller must hold.
    function _heldPiece(
        bytes32 invoiceId,
        InvoiceRecord storage inv,
        uint256 pieceIndex
    ) internal view returns (Piece storage p) {
        p = _pieceAt(invoiceId, inv, pieceIndex);
        if (p.holder != msg.sender) revert NotPieceHolder(invoiceId, pieceIndex, p.holder, msg.sender);
    }
}
