// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DiscountMath} from "../libraries/DiscountMath.sol";
import {ExposureRelease} from "../sandbox/SandboxTypes.sol";
import {FinancingDesk} from "./FinancingDesk.sol";
import {IReceivableLedger} from "./IReceivableLedger.sol";
import {FinancingStatus, InvoiceStatus, Piece, PieceStatus} from "./ReceivableTypes.sol";

/**
 * @dev Settlement (DESIGN.md section 3, steps 5 and 6): the buyer pays, in full or in part, and
 * every holder of every piece receives its share in the same transaction; a bank that financed a
 * defaulted piece with recourse recovers the unpaid part from the party it financed.
 *
 * Shares are cumulative: after any payment, piece `i` has received `floor(paid * amount_i / face)`.
 * The buyer transfers exactly those shares, straight to the holders: the rounding remainder (under
 * 1 fen per piece) stays with the buyer until its next payment, so the ledger never holds funds,
 * and the final payment brings every holder to exactly its piece's amount.
 */
abstract contract SettlementDesk is FinancingDesk {
    /// @inheritdoc IReceivableLedger
    function pay(bytes32 invoiceId, uint256 amount) external {
        InvoiceRecord storage inv = _buyerInvoice(invoiceId);
        InvoiceStatus status = inv.status;
        if (status != InvoiceStatus.Overdue && status != InvoiceStatus.Defaulted) {
            _requireStatus(invoiceId, status, InvoiceStatus.Confirmed);
        }
        if (inv.frozen) revert ReceivableIsFrozen(invoiceId);
        uint256 face = inv.faceAmount;
        uint256 paidBefore = inv.paidAmount;
        if (amount == 0 || amount > face - paidBefore)
            revert InvalidPaymentAmount(invoiceId, face - paidBefore, amount);
        uint256 paidAfter = paidBefore + amount;

        (address[] memory holders, uint256[] memory shares, ExposureRelease[] memory releases) = _allocate(
            invoiceId,
            inv,
            paidBefore,
            paidAfter,
            face
        );
        _controller.recordPayment(msg.sender, amount, releases);

        inv.paidAmount = uint48(paidAfter); // paidAfter <= face < 2^48
        inv.paymentsStarted = true;
        if (paidAfter == face) inv.status = InvoiceStatus.Settled;
        _payHolders(invoiceId, holders, shares);
        emit PaymentReceived(invoiceId, msg.sender, amount, paidAfter, face);
    }

    /// @dev Moves each holder's share from the buyer (the caller) to the holder.
    function _payHolders(bytes32 invoiceId, address[] memory holders, uint256[] memory shares) private {
        for (uint256 i = 0; i < holders.length; ++i) {
            if (shares[i] == 0) continue;
            _token.settle(msg.sender, holders[i], shares[i]);
            emit PieceSettled(invoiceId, i, holders[i], shares[i]);
        }
    }

    /**
     * @dev Each piece's share of a payment taking the invoice from `paidBefore` to `paidAfter`
     * (zero for pieces whose cumulative share did not move), and the exposure each financed piece
     * releases: its bank's exposure and its financed party's outstanding financing.
     */
    function _allocate(
        bytes32 invoiceId,
        InvoiceRecord storage inv,
        uint256 paidBefore,
        uint256 paidAfter,
        uint256 face
    ) private view returns (address[] memory holders, uint256[] memory shares, ExposureRelease[] memory releases) {
        uint256 count = inv.pieceCount;
        holders = new address[](count);
        shares = new uint256[](count);
        releases = new ExposureRelease[](count);
        uint256 released;
        for (uint256 i = 0; i < count; ++i) {
            Piece storage p = _pieceAt(invoiceId, inv, i);
            uint256 pieceAmount = p.amount;
            shares[i] =
                DiscountMath.paidShare(paidAfter, pieceAmount, face) -
                DiscountMath.paidShare(paidBefore, pieceAmount, face);
            if (shares[i] == 0) continue;
            holders[i] = p.holder;
            if (p.status == PieceStatus.Financed) {
                releases[released] = _release(invoiceId, i, p.holder, shares[i]);
                ++released;
            }
        }
        assembly ("memory-safe") {
            // Trim to the releases written: released <= count, the allocated length.
            mstore(releases, released)
        }
    }

    function _release(
        bytes32 invoiceId,
        uint256 pieceIndex,
        address bank,
        uint256 share
    ) private view returns (ExposureRelease memory) {
        // A financed piece's record names its financed party.
        return ExposureRelease(bank, _financingOf(invoiceId, pieceIndex).party, share);
    }

    /// @inheritdoc IReceivableLedger
    function claimRecourse(bytes32 invoiceId, uint256 pieceIndex) external returns (uint256 amount) {
        InvoiceRecord storage inv = _existing(invoiceId);
        if (inv.frozen) revert ReceivableIsFrozen(invoiceId);
        Piece storage p = _pieceAt(invoiceId, inv, pieceIndex);
        FinancingRecord storage f = _financingOf(invoiceId, pieceIndex);
        // An approved financing means the piece is `Financed` and held by the financing bank.
        if (f.status != FinancingStatus.Approved || !f.withRecourse) {
            revert RecourseNotAvailable(invoiceId, pieceIndex, f.status);
        }
        if (p.holder != msg.sender) revert NotFinancingBank(invoiceId, pieceIndex, p.holder, msg.sender);
        if (inv.status != InvoiceStatus.Defaulted) _markDefaulted(invoiceId, inv);

        address party = f.party;
        uint256 pieceAmount = p.amount;
        amount = pieceAmount - DiscountMath.paidShare(inv.paidAmount, pieceAmount, inv.faceAmount);
        _controller.recordRecourse(msg.sender, party, amount);

        p.holder = party;
        p.status = PieceStatus.Recoursed;
        // The record keeps the side that no longer holds the piece: now the bank.
        f.party = msg.sender;
        f.status = FinancingStatus.Recoursed;
        _token.settle(party, msg.sender, amount);
        emit RecourseClaimed(invoiceId, pieceIndex, msg.sender, party, amount);
    }
}
