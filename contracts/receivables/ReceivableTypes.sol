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
    bytes32 documentHash;
}

/// @dev One piece of a confirmed receivable. The seller's original piece has index 0, tier 1 and
/// is its own parent; a split creates a piece whose parent is the piece it was cut from.
struct Piece {
    address holder;
    uint48 amount;
    uint8 tier;
    PieceStatus status;
    uint16 parent;
}

/// @dev The financing of one piece: the request, the bank's decision and the delivery-versus-payment.
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
