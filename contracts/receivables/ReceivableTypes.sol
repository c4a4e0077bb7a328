// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev Where an invoice stands in the lifecycle (DESIGN.md section 3).
enum InvoiceStatus {
    None,
    Submitted,
    Confirmed,
    Disputed,
    Overdue,
    Defaulted,
    Settled
}

/// @dev A piece is `Active` (may move or be financed), `Locked` under a pending financing request,
/// `Financed` (held by the bank that financed it) or `Recoursed` (bought back by the party the
/// bank financed; it only awaits the buyer's payment).
enum PieceStatus {
    Active,
    Locked,
    Financed,
    Recoursed
}

enum FinancingStatus {
    None,
    Requested,
    Approved,
    Rejected,
    Cancelled,
    Recoursed
}

/// @dev An invoice as returned by {IReceivableLedger-invoice}. Amounts in fen, dates in Unix seconds.
/// The document's hash is not stored: the {IReceivableLedger-InvoiceSubmitted} event records it.
struct Invoice {
    address seller;
    address buyer;
    uint256 faceAmount;
    uint256 paidAmount;
    uint256 issueDate;
    uint256 dueDate;
    InvoiceStatus status;
    uint256 pieceCount;
    bool frozen;
}

/// @dev One piece of a confirmed receivable. The seller's original piece has index 0, tier 1 and
/// is its own parent; a split creates a piece whose parent is the piece it was cut from.
/// `splitsLeft` is how many more pieces may be cut from this one: the original piece starts with
/// every piece the invoice may have beyond it, and a split shares the rest in proportion to the
/// amounts, so no holder can use up the pieces of another.
struct Piece {
    address holder;
    uint48 amount;
    uint8 tier;
    PieceStatus status;
    uint16 parent;
    uint8 splitsLeft;
}

/// @dev The financing of one piece: the request, the bank's decision and the delivery-versus-payment.
/// `rateBps` is the highest rate the holder accepts while the request is pending, and the rate the
/// bank applied once approved.
struct Financing {
    address bank;
    FinancingStatus status;
    bool withRecourse;
    uint16 rateBps;
    uint32 requestedAt;
    uint32 decidedAt;
    address financedParty;
    uint48 advance;
    uint48 discount;
}
