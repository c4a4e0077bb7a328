// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @dev Money arithmetic of financing and settlement, in integer fen.
 *
 * Bounds that rule out overflow for every caller in this repository: amounts are below 2^48 fen,
 * rates below 2^16 basis points and day counts below 2^32 / 86400 < 2^17, so every product here
 * is below 2^48 * 2^48 = 2^96 and fits a uint256 with room to spare.
 */
library DiscountMath {
    /// @dev Banking convention for discounting in China: actual days over a 360-day year.
    uint256 internal constant DAY_COUNT_BASIS = 360;
    uint256 internal constant BPS = 10_000;

    /**
     * @dev Discount of `amount` fen at the annual rate `rateBps` for `days_` days:
     * `floor(amount * rateBps * days_ / (360 * 10000))`. Rounded down: the party paid the
     * advance receives at most 1 fen (strictly less) more than the exact figure, never less.
     */
    function discount(uint256 amount, uint256 rateBps, uint256 days_) internal pure returns (uint256) {
        return (amount * rateBps * days_) / (DAY_COUNT_BASIS * BPS);
    }

    /// @dev Whole days from `nowTs` to `dueDate`, a started day counting as one; 0 once due.
    function daysToMaturity(uint256 nowTs, uint256 dueDate) internal pure returns (uint256) {
        if (dueDate <= nowTs) return 0;
        unchecked {
            // Cannot overflow: dueDate - nowTs < 2^256 - 1 days, as dueDate fits a uint32.
            return (dueDate - nowTs + 1 days - 1) / 1 days;
        }
    }

    /**
     * @dev Cumulative share of a piece of `pieceAmount` fen in an invoice of `faceAmount` fen once
     * `paidTotal` fen are paid: `floor(paidTotal * pieceAmount / faceAmount)`. It never decreases
     * as `paidTotal` grows, and equals `pieceAmount` when `paidTotal == faceAmount`.
     */
    function paidShare(uint256 paidTotal, uint256 pieceAmount, uint256 faceAmount) internal pure returns (uint256) {
        return (paidTotal * pieceAmount) / faceAmount;
    }
}
