// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DiscountMath} from "../../contracts/libraries/DiscountMath.sol";
import {Assertions} from "../utils/Assertions.sol";
import {bound} from "../utils/Bound.sol";

/// @dev Exposes the internal library functions, so each property calls the code the ledger runs.
contract DiscountMathHarness {
    function discount(uint256 amount, uint256 rateBps, uint256 days_) external pure returns (uint256) {
        return DiscountMath.discount(amount, rateBps, days_);
    }

    function daysToMaturity(uint256 nowTs, uint256 dueDate) external pure returns (uint256) {
        return DiscountMath.daysToMaturity(nowTs, dueDate);
    }

    function paidShare(uint256 paidTotal, uint256 pieceAmount, uint256 faceAmount) external pure returns (uint256) {
        return DiscountMath.paidShare(paidTotal, pieceAmount, faceAmount);
    }
}

uint256 constant MAX_AMOUNT = type(uint48).max;
uint256 constant MAX_RATE = type(uint16).max;
/// @dev Every day count two uint32 dates can be apart, rounded up: ceil((2^32 - 1) / 86400).
uint256 constant MAX_DAYS = 49_711;
/// @dev 360-day year times basis points: the denominator of the discount.
uint256 constant K = 360 * 10_000;
uint256 constant MAX_PIECES = 64;

/**
 * @dev Properties of {DiscountMath} over the domain the library documents: amounts 1 to 2^48-1 fen,
 * rates 0 to 2^16-1 basis points, dates that fit a uint32 (so day counts below 2^17).
 */
contract DiscountMathFuzzTest is Assertions {
    DiscountMathHarness private _math;

    function setUp() public {
        _math = new DiscountMathHarness();
    }

    // ---- discount --------------------------------------------------------------------------

    /**
     * The discount is the floor of the exact figure: exact*K - discount*K is in [0, K). So the
     * bank approving never gains from rounding and the holder gains strictly less than 1 fen.
     * The advance (when positive) never exceeds the amount.
     */
    function testFuzz_DiscountIsFloorOfExact(uint256 amount, uint256 rateBps, uint256 days_) public view {
        amount = bound(amount, 1, MAX_AMOUNT);
        rateBps = bound(rateBps, 0, MAX_RATE);
        days_ = bound(days_, 0, MAX_DAYS);

        // A revert here (overflow) fails the test: none is allowed in the domain.
        uint256 d = _math.discount(amount, rateBps, days_);
        uint256 exactTimesK = amount * rateBps * days_;
        assertLe(d * K, exactTimesK, "discount above exact figure (bank favoured)");
        assertLt(exactTimesK - d * K, K, "discount more than 1 fen below exact figure");

        if (d < amount) {
            uint256 advance = amount - d;
            assertLe(advance, amount, "advance above amount");
            // Advance rounding: the holder receives at least the exact advance, less than 1 fen more.
            uint256 exactAdvanceTimesK = amount * K - exactTimesK;
            assertGe(advance * K, exactAdvanceTimesK, "advance below exact figure");
            assertLt(advance * K - exactAdvanceTimesK, K, "advance 1 fen or more above exact figure");
        }
        // Whole-rate-over-a-year sanity: below 100% * 360 days the discount stays below the amount.
        if (rateBps * days_ < K) assertLt(d, amount, "discount reaches amount below 100% x 360 days");
    }

    /// The discount never decreases when amount, rate or days grow.
    function testFuzz_DiscountIsMonotone(
        uint256 amount,
        uint256 rateBps,
        uint256 days_,
        uint256 moreAmount,
        uint256 moreRate,
        uint256 moreDays
    ) public view {
        amount = bound(amount, 1, MAX_AMOUNT);
        rateBps = bound(rateBps, 0, MAX_RATE);
        days_ = bound(days_, 0, MAX_DAYS);
        moreAmount = bound(moreAmount, amount, MAX_AMOUNT);
        moreRate = bound(moreRate, rateBps, MAX_RATE);
        moreDays = bound(moreDays, days_, MAX_DAYS);
        uint256 d = _math.discount(amount, rateBps, days_);
        assertLe(d, _math.discount(moreAmount, rateBps, days_), "not monotone in amount");
        assertLe(d, _math.discount(amount, moreRate, days_), "not monotone in rate");
        assertLe(d, _math.discount(amount, rateBps, moreDays), "not monotone in days");
    }

    /// The extreme corner of the domain does not overflow and is still the exact floor.
    function test_DiscountAtDomainMaximum() public view {
        uint256 d = _math.discount(MAX_AMOUNT, MAX_RATE, MAX_DAYS);
        assertEq(d, (MAX_AMOUNT * MAX_RATE * MAX_DAYS) / K, "discount at maximum");
        assertEq(_math.discount(MAX_AMOUNT, 0, MAX_DAYS), 0, "zero rate");
        assertEq(_math.discount(MAX_AMOUNT, MAX_RATE, 0), 0, "zero days");
    }

    /// Discount of dates: the composition the ledger runs at approval, from two uint32 dates.
    function testFuzz_DiscountFromDates(uint256 amount, uint256 rateBps, uint32 nowTs, uint32 dueDate) public view {
        amount = bound(amount, 1, MAX_AMOUNT);
        rateBps = bound(rateBps, 0, MAX_RATE);
        uint256 days_ = _math.daysToMaturity(nowTs, dueDate);
        assertLe(days_, MAX_DAYS, "days above uint32 range");
        uint256 d = _math.discount(amount, rateBps, days_);
        assertLe(d * K, amount * rateBps * days_, "discount above exact figure");
        assertLt(amount * rateBps * days_ - d * K, K, "discount more than 1 fen below exact");
        if (dueDate <= nowTs) assertEq(d, 0, "discount once due");
    }

    // ---- daysToMaturity --------------------------------------------------------------------

    /// A started day counts as one: days = ceil((due - now) / 1 day), and 0 once due.
    function testFuzz_DaysToMaturityIsCeiling(uint32 nowTs, uint32 dueDate) public view {
        uint256 days_ = _math.daysToMaturity(nowTs, dueDate);
        if (dueDate <= nowTs) {
            assertEq(days_, 0, "days once due");
            return;
        }
        uint256 span = uint256(dueDate) - nowTs;
        assertGe(days_, 1, "a started day counts as one");
        assertGe(days_ * 1 days, span, "days below the span");
        assertLt((days_ - 1) * 1 days, span, "days more than the ceiling");
    }

    /// Any `now` at or past the due date gives 0, over the whole uint256 range.
    function testFuzz_DaysToMaturityZeroOnceDue(uint256 nowTs, uint256 dueDate) public view {
        dueDate = bound(dueDate, 0, nowTs);
        assertEq(_math.daysToMaturity(nowTs, dueDate), 0, "days once due");
    }

    /// Days never increase as time passes (the discount shrinks towards maturity).
    function testFuzz_DaysToMaturityNonIncreasing(uint32 t1, uint32 t2, uint32 dueDate) public view {
        if (t1 > t2) (t1, t2) = (t2, t1);
        assertGe(_math.daysToMaturity(t1, dueDate), _math.daysToMaturity(t2, dueDate), "days grew with time");
    }

    function test_DaysToMaturityBoundaries() public view {
        assertEq(_math.daysToMaturity(100, 100), 0, "due now");
        assertEq(_math.daysToMaturity(100, 101), 1, "one second");
        assertEq(_math.daysToMaturity(0, 1 days), 1, "exactly one day");
        assertEq(_math.daysToMaturity(0, 1 days + 1), 2, "one day and a second");
        assertEq(_math.daysToMaturity(0, type(uint32).max), MAX_DAYS, "widest uint32 span");
    }

    // ---- paidShare -------------------------------------------------------------------------

    /// A piece's cumulative share never decreases as payments come in, never exceeds the piece,
    /// and equals the piece once the invoice is paid in full.
    function testFuzz_PaidShareMonotoneAndBounded(
        uint256 face,
        uint256 pieceAmount,
        uint256 paid1,
        uint256 paid2
    ) public view {
        face = bound(face, 1, MAX_AMOUNT);
        pieceAmount = bound(pieceAmount, 1, face);
        paid1 = bound(paid1, 0, face);
        paid2 = bound(paid2, paid1, face);
        uint256 s1 = _math.paidShare(paid1, pieceAmount, face);
        uint256 s2 = _math.paidShare(paid2, pieceAmount, face);
        assertLe(s1, s2, "share decreased as payments grew");
        assertLe(s2, pieceAmount, "share above piece");
        assertEq(_math.paidShare(face, pieceAmount, face), pieceAmount, "share at full payment");
        assertEq(_math.paidShare(0, pieceAmount, face), 0, "share before payment");
        // Floor of the exact pro-rata share.
        assertLe(s1 * face, paid1 * pieceAmount, "share above pro rata");
        assertLt(paid1 * pieceAmount - s1 * face, face, "share 1 fen or more below pro rata");
    }

    /**
     * Pieces summing to the face: with n pieces, after any payment `paid`, the shares sum S obeys
     * paid - (n - 1) <= S <= paid. (paid - S is the sum of n fractional parts, each < 1, and an
     * integer, hence at most n - 1.) At full payment S == face, i.e. each piece gets its amount.
     * Across a sequence of payments every share is monotone and the remainder the ledger holds
     * is paid - S, within [0, n - 1].
     */
    function testFuzz_SharesOfPiecesSumToPaid(
        uint256 face,
        uint256 pieceCount,
        uint256 pieceSeed,
        uint256 paySeed
    ) public view {
        pieceCount = bound(pieceCount, 1, MAX_PIECES);
        face = bound(face, pieceCount, MAX_AMOUNT);
        uint256[] memory amounts = _splitFace(face, pieceCount, pieceSeed);

        uint256[] memory previous = new uint256[](pieceCount);
        uint256 paid;
        for (uint256 step = 0; paid < face; ++step) {
            // At most 8 payments: the last pays what remains, so every sequence ends fully paid.
            uint256 rnd = uint256(keccak256(abi.encode(paySeed, step)));
            paid += step >= 7 ? face - paid : bound(rnd, 1, face - paid);
            _checkShares(amounts, previous, paid, face);
        }
    }

    /// @dev Checks the shares after `paid` against the previous ones, then records them.
    function _checkShares(
        uint256[] memory amounts,
        uint256[] memory previous,
        uint256 paid,
        uint256 face
    ) private view {
        uint256 n = amounts.length;
        uint256 sum;
        for (uint256 i = 0; i < n; ++i) {
            uint256 share = _math.paidShare(paid, amounts[i], face);
            assertGe(share, previous[i], "piece share decreased");
            assertLe(share, amounts[i], "piece share above piece");
            previous[i] = share;
            sum += share;
        }
        assertLe(sum, paid, "holders got more than was paid");
        assertGe(sum + n - 1, paid, "remainder held back is n fen or more");
        if (paid == face) {
            assertEq(sum, face, "full payment does not pay every piece in full");
            for (uint256 i = 0; i < n; ++i) assertEq(previous[i], amounts[i], "piece not paid in full");
        }
    }

    /// The bound paid - S <= n - 1 is tight: the remainder held back can reach n - 1 fen.
    function test_SharesRemainderBoundIsTight() public view {
        // Three pieces of 1 fen over a face of 3; after 2 fen paid each share is floor(2/3) = 0:
        // the ledger holds 2 = n - 1 fen.
        uint256 sum;
        for (uint256 i = 0; i < 3; ++i) sum += _math.paidShare(2, 1, 3);
        assertEq(sum, 0, "shares at 2 of 3");
        assertEq(2 - sum, 3 - 1, "remainder reaches n - 1");
    }

    /// @dev `count` positive amounts summing to `face` (face >= count), cut pseudo-randomly.
    function _splitFace(uint256 face, uint256 count, uint256 seed) private pure returns (uint256[] memory amounts) {
        amounts = new uint256[](count);
        uint256 remaining = face;
        for (uint256 i = 0; i + 1 < count; ++i) {
            uint256 rnd = uint256(keccak256(abi.encode(seed, i)));
            // Leave at least 1 fen for each piece still to cut. Alternate wide and narrow cuts so
            // both tiny and large pieces appear.
            uint256 maxCut = remaining - (count - 1 - i);
            if (rnd % 3 == 0) maxCut = maxCut < 3 ? maxCut : 3;
            else if (rnd % 3 == 1) maxCut = maxCut / (count - i) + 1;
            amounts[i] = bound(rnd >> 8, 1, maxCut);
            remaining -= amounts[i];
        }
        amounts[count - 1] = remaining;
    }
}
