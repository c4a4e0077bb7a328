// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev The one role a participant holds (DESIGN.md section 2). `None` means not admitted.
enum Role {
    None,
    Supplier,
    CoreEnterprise,
    Bank,
    Regulator,
    Operator
}

/// @dev The numeric sandbox controls the regulator sets with {ISandboxController-setLimit}.
enum Limit {
    SupplierFinancingCap, // fen: outstanding financing per supplier
    BankExposureCap, // fen: outstanding financed face per bank
    BuyerOutstandingCap, // fen: confirmed, unpaid payables per core enterprise
    PilotFinancingCap, // fen: total face financed over the whole pilot
    MaxParticipants, // count of admitted participants
    MaxTenorDays, // days from issue date to due date
    RateCeilingBps, // annual discount rate, basis points
    MinPieceAmount, // fen: smallest piece a split may leave or create
    MaxTierDepth, // deepest supplier tier a piece may reach (the seller is tier 1)
    GracePeriodDays, // days after the due date before an unpaid receivable is overdue
    DefaultThresholdDays // days after the due date before an unpaid receivable is defaulted
}

/// @dev A participant's admission and its role-specific exposure counter.
struct Participant {
    Role role;
    bool frozen;
    uint32 admittedUntil;
    // Supplier: outstanding financing; bank: outstanding financed face; core enterprise:
    // confirmed, unpaid payables. One role per participant, so one counter suffices.
    uint128 outstanding;
}

/// @dev Every sandbox control in one view, as returned by {ISandboxController-policy}.
struct Policy {
    bool paused;
    bool windingDown;
    uint32 pilotStart;
    uint32 pilotEnd;
    uint16 maxTenorDays;
    uint16 rateCeilingBps;
    uint8 maxTierDepth;
    uint16 gracePeriodDays;
    uint16 defaultThresholdDays;
    uint48 minPieceAmount;
    uint128 supplierFinancingCap;
    uint128 bankExposureCap;
    uint128 buyerOutstandingCap;
    uint128 pilotFinancingCap;
    uint128 pilotFinanced;
    uint32 maxParticipants;
    uint32 admittedCount;
}

/// @dev Exposure released when the buyer pays a financed piece or a bank recovers it.
struct ExposureRelease {
    address bank;
    address financedParty;
    uint256 amount;
}
