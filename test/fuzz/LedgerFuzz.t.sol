// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InvoiceNumber} from "../../contracts/libraries/InvoiceNumber.sol";
import {IReceivableLedger} from "../../contracts/receivables/IReceivableLedger.sol";
import {
    Financing,
    FinancingStatus,
    InvoiceStatus,
    Piece,
    PieceStatus
} from "../../contracts/receivables/ReceivableTypes.sol";
import {ISandboxErrors} from "../../contracts/sandbox/ISandboxErrors.sol";
import {Limit, Role} from "../../contracts/sandbox/SandboxTypes.sol";
import {Assertions} from "../utils/Assertions.sol";
import {bound} from "../utils/Bound.sol";
import {NumberVariants} from "../utils/NumberVariants.sol";
import {DOC_HASH, OPERATOR, REGULATOR, SandboxFixture} from "../utils/SandboxFixture.sol";
import {IVm, vm} from "../utils/Vm.sol";

uint256 constant MAX_AMOUNT = type(uint48).max;
/// @dev 360-day year times basis points: the denominator of the discount.
uint256 constant K = 360 * 10_000;
uint256 constant SUPPLIERS = 6;
uint256 constant MAX_FUZZ_PIECES = 10;
uint256 constant MAX_PAYMENTS = 8;
bytes constant ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
bytes constant SEPARATORS = " -_/.";

/// @dev Exposes the internal {InvoiceNumber} functions with the calldata strings they take.
contract InvoiceNumberHarness {
    function normalize(string calldata raw) external pure returns (bytes memory) {
        return InvoiceNumber.normalize(raw);
    }

    function key(address seller, address buyer, string calldata raw) external pure returns (bytes32) {
        return InvoiceNumber.key(seller, buyer, raw);
    }
}

/**
 * @dev Fuzz properties of the deployed ledger, token and controller together: the advance a bank
 * pays on approval, the shares holders receive from partial payments, and invoice-number keys.
 */
contract LedgerFuzzTest is SandboxFixture, Assertions {
    address[SUPPLIERS] private _suppliers;
    address[2] private _banks;
    address private _buyer;
    address private _buyer2;
    InvoiceNumberHarness private _numbers;

    /// @dev One financing case, kept in memory to stay clear of the stack limit.
    struct FinanceCase {
        bytes32 id;
        uint256 pieceIndex;
        address holder;
        uint256 amount;
        uint256 rate;
        uint256 dueDate;
        uint256 expectedDiscount;
        uint256 holderBefore;
        uint256 bankBefore;
    }

    /// @dev A receivable cut into pieces, some financed, and the balances before any payment.
    struct PayCase {
        bytes32 id;
        uint256 face;
        uint256 paid;
        uint256[] amounts;
        address[] holders;
        bool[] financed;
        address[] financedParty;
        uint256[] received;
        uint256[] baseline;
        uint256 payGas;
    }

    function setUp() public {
        _deploySandbox();
        for (uint256 i = 0; i < SUPPLIERS; ++i) {
            _suppliers[i] = _actor(string.concat("supplier", _digit(i)));
            _admit(_suppliers[i], Role.Supplier, string.concat("S", _digit(i)));
        }
        _buyer = _actor("buyer0");
        _buyer2 = _actor("buyer1");
        _admit(_buyer, Role.CoreEnterprise, "C0");
        _admit(_buyer2, Role.CoreEnterprise, "C1");
        _banks[0] = _actor("bank0");
        _banks[1] = _actor("bank1");
        _admit(_banks[0], Role.Bank, "B0");
        _admit(_banks[1], Role.Bank, "B1");
        // Enough for any approval or payment of a face below 2^48 fen, several times over.
        _mint(_buyer, 4 * MAX_AMOUNT);
        _mint(_banks[0], 4 * MAX_AMOUNT);
        _mint(_banks[1], 4 * MAX_AMOUNT);
        _numbers = new InvoiceNumberHarness();
    }

    // ---- Financing ---------------------------------------------------------------------------

    /**
     * Approval pays the holder exactly amount - floor(amount * rate * days / 3_600_000), with days
     * the whole days to maturity rounded up; the bank pays the same and never more than the
     * piece's face; exposure is recorded at the piece's face. A rate whose discount would eat the
     * whole piece is refused with {DiscountExceedsAmount} and nothing moves.
     */
    function testFuzz_ApproveFinancingPaysFlooredAdvance(
        uint256 face,
        uint256 split,
        uint256 ceiling,
        uint256 rate,
        uint256 tenor,
        uint256 elapsed,
        bool financeSplit,
        bool withRecourse
    ) public {
        face = bound(face, 2, MAX_AMOUNT);
        split = bound(split, 1, face - 1);
        // Up to 200% a year: high enough that some cases discount the whole piece away.
        ceiling = bound(ceiling, 0, 20_000);
        tenor = bound(tenor, 1, 365 days);
        elapsed = bound(elapsed, 0, tenor - 1);
        _setLimit(Limit.RateCeilingBps, ceiling);

        FinanceCase memory c;
        c.rate = bound(rate, 0, ceiling);
        c.dueDate = block.timestamp + tenor;
        c.id = _submitConfirmed(_suppliers[0], _buyer, "INV-A", face, c.dueDate);
        vm.prank(_suppliers[0]);
        assertEq(_ledger.transferPiece(c.id, 0, _suppliers[1], split), 1, "split piece index");
        (c.pieceIndex, c.holder, c.amount) =
            financeSplit ? (1, _suppliers[1], split) : (0, _suppliers[0], face - split);
        vm.prank(c.holder);
        _ledger.requestFinancing(c.id, c.pieceIndex, _banks[0], withRecourse, c.rate);
        vm.warp(block.timestamp + elapsed);

        uint256 days_ = _ceilDays(c.dueDate - block.timestamp);
        c.expectedDiscount = (c.amount * c.rate * days_) / K;
        c.holderBefore = _token.balanceOf(c.holder);
        c.bankBefore = _token.balanceOf(_banks[0]);

        if (c.expectedDiscount >= c.amount) {
            vm.expectRevert(
                abi.encodeWithSelector(IReceivableLedger.DiscountExceedsAmount.selector, c.amount, c.expectedDiscount)
            );
            vm.prank(_banks[0]);
            _ledger.approveFinancing(c.id, c.pieceIndex, c.holder, c.amount, withRecourse, c.rate);
            assertTrue(_ledger.piece(c.id, c.pieceIndex).status == PieceStatus.Locked, "refused piece not locked");
            return;
        }

        (uint256 qDays, uint256 qDiscount, uint256 qAdvance) = _ledger.quoteFinancing(c.id, c.pieceIndex, c.rate);
        assertEq(qDays, days_, "quoted days");
        assertEq(qDiscount, c.expectedDiscount, "quoted discount");
        vm.prank(_banks[0]);
        uint256 advance = _ledger.approveFinancing(c.id, c.pieceIndex, c.holder, c.amount, withRecourse, c.rate);
        _checkApproved(c, advance, qAdvance);
    }

    function _checkApproved(FinanceCase memory c, uint256 advance, uint256 quoted) private view {
        uint256 expectedAdvance = c.amount - c.expectedDiscount;
        assertEq(advance, expectedAdvance, "advance returned");
        assertEq(quoted, expectedAdvance, "quoted advance");
        assertLe(advance, c.amount, "advance above the piece's face");
        assertEq(_token.balanceOf(c.holder) - c.holderBefore, expectedAdvance, "holder received");
        assertEq(c.bankBefore - _token.balanceOf(_banks[0]), expectedAdvance, "bank paid");

        Piece memory p = _ledger.piece(c.id, c.pieceIndex);
        assertEq(p.holder, _banks[0], "piece not delivered to the bank");
        assertTrue(p.status == PieceStatus.Financed, "piece not financed");
        Financing memory f = _ledger.financing(c.id, c.pieceIndex);
        assertTrue(f.status == FinancingStatus.Approved, "financing not approved");
        assertEq(f.financedParty, c.holder, "financed party");
        assertEq(f.advance, expectedAdvance, "recorded advance");
        assertEq(f.discount, c.expectedDiscount, "recorded discount");
        assertEq(f.rateBps, c.rate, "recorded rate");

        assertEq(_controller.participant(c.holder).outstanding, c.amount, "supplier outstanding financing");
        assertEq(_controller.participant(_banks[0]).outstanding, c.amount, "bank exposure");
        assertEq(_controller.policy().pilotFinanced, c.amount, "pilot financed volume");
        assertEq(_sumPieces(c.id), _ledger.invoice(c.id).faceAmount, "pieces do not sum to face");
    }

    /// A rate above the ceiling is refused with the ceiling and the rate, and nothing moves.
    function testFuzz_ApproveAboveCeilingReverts(uint256 face, uint256 ceiling, uint256 rate) public {
        face = bound(face, 1, MAX_AMOUNT);
        ceiling = bound(ceiling, 0, type(uint16).max - 1);
        // Above the ceiling but within what the holder accepts (any rate a uint16 holds).
        rate = bound(rate, ceiling + 1, type(uint16).max);
        _setLimit(Limit.RateCeilingBps, ceiling);
        bytes32 id = _submitConfirmed(_suppliers[0], _buyer, "INV-C", face, block.timestamp + 30 days);
        vm.prank(_suppliers[0]);
        _ledger.requestFinancing(id, 0, _banks[0], false, type(uint256).max);
        uint256 bankBefore = _token.balanceOf(_banks[0]);

        vm.expectRevert(abi.encodeWithSelector(ISandboxErrors.RateAboveCeiling.selector, ceiling, rate));
        vm.prank(_banks[0]);
        _ledger.approveFinancing(id, 0, _suppliers[0], face, false, rate);
        assertEq(_token.balanceOf(_banks[0]), bankBefore, "bank paid on a refused approval");
        assertTrue(_ledger.piece(id, 0).status == PieceStatus.Locked, "piece left its lock");
    }

    // ---- Settlement --------------------------------------------------------------------------

    /**
     * A receivable split into up to 10 pieces (some financed with recourse, so held by banks) is
     * paid in up to 8 fuzzed partial payments, on time or late. After each payment every piece
     * has received exactly floor(paid * amount / face) in total (per PieceSettled event and per
     * token balance), the buyer transfers exactly those shares (the rounding remainder, at most
     * pieces - 1 fen, stays with the buyer and the ledger holds nothing), and
     * the exposure counters match the unpaid financed face. The final payment pays every piece
     * in full and leaves the ledger's token balance at zero.
     */
    function testFuzz_PartialPaymentsPayCumulativeFloorShares(
        uint256 face,
        uint256 pieceCount,
        uint256 pieceSeed,
        uint256 financeMask,
        uint256 paySeed,
        uint256 lateBy
    ) public {
        pieceCount = bound(pieceCount, 1, MAX_FUZZ_PIECES);
        face = bound(face, pieceCount, MAX_AMOUNT);
        PayCase memory c = _buildPieces(face, pieceCount, pieceSeed, financeMask);

        // Pay early, at maturity or up to 120 days late: overdue past the due date (no grace
        // period by default), defaulted past the 90-day default threshold.
        uint256 due = _ledger.invoice(c.id).dueDate;
        vm.warp(bound(lateBy, block.timestamp, due + 120 days));
        if (block.timestamp > due) {
            vm.prank(OPERATOR);
            _ledger.markOverdue(c.id);
        }
        if (block.timestamp > due + 90 days) {
            vm.prank(REGULATOR);
            _ledger.markDefaulted(c.id);
        }
        c.baseline = _balances();

        for (uint256 step = 0; c.paid < face; ++step) {
            uint256 rnd = uint256(keccak256(abi.encode(paySeed, step)));
            uint256 amount = step + 1 >= MAX_PAYMENTS ? face - c.paid : bound(rnd, 1, face - c.paid);
            _payAndCheck(c, amount);
        }
        assertEq(_token.balanceOf(address(_ledger)), 0, "ledger keeps tokens after the final payment");
        assertTrue(_ledger.invoice(c.id).status == InvoiceStatus.Settled, "not settled");
        for (uint256 i = 0; i < pieceCount; ++i) assertEq(c.received[i], c.amounts[i], "piece not paid in full");
        assertEq(_controller.participant(_buyer).outstanding, 0, "buyer outstanding after settlement");
        for (uint256 i = 0; i < SUPPLIERS; ++i) {
            assertEq(_controller.participant(_suppliers[i]).outstanding, 0, "supplier outstanding after settlement");
        }
        assertEq(_controller.participant(_banks[0]).outstanding, 0, "bank exposure after settlement");
        assertEq(_controller.participant(_banks[1]).outstanding, 0, "bank exposure after settlement");
    }

    /// @dev Confirms a receivable of `face` held by supplier 0, cuts it into `count` pieces for
    /// suppliers 0-5 (pieces past the sixth reach tier 3 through a second hop), and finances the
    /// pieces whose bit is set in `financeMask`.
    function _buildPieces(
        uint256 face,
        uint256 count,
        uint256 seed,
        uint256 financeMask
    ) private returns (PayCase memory c) {
        c.face = face;
        c.amounts = _splitFace(face, count, seed);
        c.holders = new address[](count);
        c.financed = new bool[](count);
        c.financedParty = new address[](count);
        c.received = new uint256[](count);
        c.id = _submitConfirmed(_suppliers[0], _buyer, "INV-P", face, block.timestamp + 90 days);
        c.holders[0] = _suppliers[0];
        for (uint256 i = 1; i < count; ++i) {
            address to = _suppliers[1 + ((i - 1) % (SUPPLIERS - 1))];
            vm.prank(_suppliers[0]);
            assertEq(_ledger.transferPiece(c.id, 0, to, c.amounts[i]), i, "split index");
            c.holders[i] = to;
            if (i >= SUPPLIERS) {
                // A whole-piece hop one tier further up the chain.
                address next = _suppliers[1 + (i % (SUPPLIERS - 1))];
                vm.prank(to);
                _ledger.transferPiece(c.id, i, next, c.amounts[i]);
                c.holders[i] = next;
            }
        }
        for (uint256 i = 0; i < count; ++i) {
            if ((financeMask >> i) & 1 == 0) continue;
            address bank = _banks[(financeMask >> (i + 16)) & 1];
            uint256 rate = bound(uint256(keccak256(abi.encode(seed, "rate", i))), 0, 1_000);
            vm.prank(c.holders[i]);
            _ledger.requestFinancing(c.id, i, bank, true, rate);
            vm.prank(bank);
            _ledger.approveFinancing(c.id, i, c.holders[i], c.amounts[i], true, rate);
            c.financed[i] = true;
            c.financedParty[i] = c.holders[i];
            c.holders[i] = bank;
        }
        assertEq(_sumPieces(c.id), face, "pieces do not sum to face");
    }

    function _payAndCheck(PayCase memory c, uint256 amount) private {
        uint256 buyerBefore = _token.balanceOf(_buyer);
        vm.recordLogs();
        vm.prank(_buyer);
        uint256 gasBefore = gasleft();
        _ledger.pay(c.id, amount);
        c.payGas = gasBefore - gasleft();
        IVm.Log[] memory logs = vm.getRecordedLogs();
        c.paid += amount;

        // Per piece, from the events.
        uint256[] memory paidNow = new uint256[](c.amounts.length);
        for (uint256 j = 0; j < logs.length; ++j) {
            if (logs[j].emitter != address(_ledger) || logs[j].topics[0] != IReceivableLedger.PieceSettled.selector) {
                continue;
            }
            (uint256 index, uint256 share) = abi.decode(logs[j].data, (uint256, uint256));
            assertEq(address(uint160(uint256(logs[j].topics[2]))), c.holders[index], "settled to a non-holder");
            paidNow[index] += share;
        }
        uint256 sharesTotal;
        for (uint256 i = 0; i < c.amounts.length; ++i) {
            uint256 expected = (c.paid * c.amounts[i]) / c.face;
            assertEq(c.received[i] + paidNow[i], expected, "piece's cumulative share is not the floor share");
            c.received[i] = expected;
            sharesTotal += expected;
        }
        // Per account, from the token balances.
        _checkBalances(c);
        // The buyer transferred exactly the shares; the remainder stays with it, never in the ledger.
        uint256 sentNow;
        for (uint256 i = 0; i < paidNow.length; ++i) sentNow += paidNow[i];
        assertEq(buyerBefore - _token.balanceOf(_buyer), sentNow, "buyer did not transfer exactly the shares");
        assertEq(_token.balanceOf(address(_ledger)), 0, "ledger holds tokens");
        assertLe(c.paid - sharesTotal + 1, c.amounts.length, "remainder of pieces - 1 fen or more");
        _checkExposure(c);
    }

    function _checkBalances(PayCase memory c) private view {
        uint256[] memory expected = new uint256[](SUPPLIERS + 2);
        for (uint256 i = 0; i < c.amounts.length; ++i) expected[_accountIndex(c.holders[i])] += c.received[i];
        uint256[] memory now_ = _balances();
        for (uint256 a = 0; a < expected.length; ++a) {
            assertEq(now_[a] - c.baseline[a], expected[a], "account did not receive its pieces' floor shares");
        }
    }

    function _checkExposure(PayCase memory c) private view {
        assertEq(_controller.participant(_buyer).outstanding, c.face - c.paid, "buyer outstanding");
        uint256[] memory expected = new uint256[](SUPPLIERS + 2);
        for (uint256 i = 0; i < c.amounts.length; ++i) {
            if (!c.financed[i]) continue;
            uint256 unpaid = c.amounts[i] - c.received[i];
            expected[_accountIndex(c.holders[i])] += unpaid;
            expected[_accountIndex(c.financedParty[i])] += unpaid;
        }
        for (uint256 a = 0; a < SUPPLIERS; ++a) {
            assertEq(_controller.participant(_suppliers[a]).outstanding, expected[a], "supplier outstanding");
        }
        assertEq(_controller.participant(_banks[0]).outstanding, expected[SUPPLIERS], "bank 0 exposure");
        assertEq(_controller.participant(_banks[1]).outstanding, expected[SUPPLIERS + 1], "bank 1 exposure");
    }

    /**
     * A payment of more than what is outstanding (after a fuzzed partial payment) is refused with
     * {InvalidPaymentAmount} carrying the outstanding amount and the payment, whatever its size
     * (DESIGN.md section 4: a blocked action fails with a named error and the numbers), and
     * moves nothing.
     *
     * Fails against the current contract: {SettlementDesk-pay} adds `paidBefore + amount` before
     * checking the amount, so once anything is paid an amount of 2^256 - paid or more overflows
     * and reverts with Panic(0x11) instead. Fix in the contract: check `amount > face - paidBefore`
     * (cannot underflow: paid <= face) before adding.
     */
    function testFuzz_OverpaymentRefusedWithNamedError(uint256 face, uint256 firstPayment, uint256 amount) public {
        face = bound(face, 2, MAX_AMOUNT);
        firstPayment = bound(firstPayment, 1, face - 1);
        bytes32 id = _submitConfirmed(_suppliers[0], _buyer, "INV-O", face, block.timestamp + 30 days);
        vm.prank(_buyer);
        _ledger.pay(id, firstPayment);
        uint256 outstanding = face - firstPayment;
        amount = bound(amount, outstanding + 1, type(uint256).max);
        _expectOverpaymentRefused(id, outstanding, amount);
    }

    /// The same at the edges, which the fuzzer may not draw: the smallest overpayment, the first
    /// amount whose sum with what is already paid no longer fits a uint256, and 2^256 - 1.
    function test_OverpaymentEdgesRefusedWithNamedError() public {
        bytes32 id = _submitConfirmed(_suppliers[0], _buyer, "INV-H", 1_000, block.timestamp + 30 days);
        vm.prank(_buyer);
        _ledger.pay(id, 500);
        _expectOverpaymentRefused(id, 500, 501);
        _expectOverpaymentRefused(id, 500, type(uint256).max - 499); // 500 + amount = 2^256
        _expectOverpaymentRefused(id, 500, type(uint256).max);
    }

    function _expectOverpaymentRefused(bytes32 id, uint256 outstanding, uint256 amount) private {
        uint256 buyerBefore = _token.balanceOf(_buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IReceivableLedger.InvalidPaymentAmount.selector, id, outstanding, amount)
        );
        vm.prank(_buyer);
        _ledger.pay(id, amount);
        assertEq(_token.balanceOf(_buyer), buyerBefore, "buyer paid on a refused payment");
    }

    /**
     * A receivable split into the most pieces allowed (`MAX_PIECES`, each financed or not) still
     * settles: fuzzed partial payments pay every piece its floor share and the final one pays
     * every piece in full, within the block gas limit; one more split is refused.
     */
    function testFuzz_MaximumPiecesSettle(
        uint256 face,
        uint256 pieceSeed,
        uint256 financeMask,
        uint256 paySeed
    ) public {
        uint256 count = _ledger.MAX_PIECES();
        face = bound(face, count + 1, MAX_AMOUNT);
        PayCase memory c = _buildPieces(face, count, pieceSeed, financeMask);
        for (uint256 i = 0; i < count; ++i) {
            if (c.financed[i] || c.amounts[i] < 2) continue;
            vm.expectRevert(abi.encodeWithSelector(IReceivableLedger.PieceSplitsExhausted.selector, c.id, i));
            vm.prank(c.holders[i]);
            _ledger.transferPiece(c.id, i, _suppliers[0], 1);
            break;
        }

        c.baseline = _balances();
        for (uint256 step = 0; c.paid < face; ++step) {
            uint256 rnd = uint256(keccak256(abi.encode(paySeed, step)));
            uint256 amount = step + 1 >= 3 ? face - c.paid : bound(rnd, 1, face - c.paid);
            _payAndCheck(c, amount);
            assertLt(c.payGas, 30_000_000, "payment over the block gas limit");
        }
        assertEq(_token.balanceOf(address(_ledger)), 0, "ledger keeps tokens after the final payment");
    }

    // ---- Invoice numbers ---------------------------------------------------------------------

    /**
     * On valid input (letters in either case, digits, the five separators, at least one letter or
     * digit, at most 64 bytes) normalization is idempotent, keeps only 0-9 and A-Z, and never
     * lengthens the number.
     */
    function testFuzz_NormalizeIsIdempotent(bytes memory seed, uint256 length) public view {
        length = bound(length, 1, InvoiceNumber.MAX_LENGTH);
        bytes memory raw = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            uint8 b = i < seed.length ? uint8(seed[i]) : uint8(uint256(keccak256(abi.encode(seed, i))));
            raw[i] = _validByte(b);
        }
        // At least one letter or digit, at a fuzzed position.
        raw[uint256(keccak256(seed)) % length] = ALNUM[uint256(keccak256(abi.encode(seed))) % ALNUM.length];

        bytes memory once = _numbers.normalize(string(raw));
        bytes memory twice = _numbers.normalize(string(once));
        assertEq(twice, once, "normalization is not idempotent");
        assertLe(once.length, raw.length, "normalization lengthened the number");
        assertGe(once.length, 1, "empty normalized number");
        for (uint256 i = 0; i < once.length; ++i) assertTrue(_isUpperAlnum(once[i]), "foreign byte kept");
        assertEq(
            _numbers.key(_suppliers[0], _buyer, string(raw)),
            _numbers.key(_suppliers[0], _buyer, string(once)),
            "number and its normal form have different keys"
        );
    }

    /**
     * Any byte string: normalization agrees with a reference model, including the exact error
     * (too long, a foreign byte and its position, or nothing left after dropping separators).
     * `mode` steers the input: raw bytes, valid bytes, valid bytes with one foreign byte, only
     * separators, or valid bytes past the length limit.
     */
    function testFuzz_NormalizeMatchesReference(bytes memory raw, uint8 mode, uint256 position) public view {
        mode %= 5;
        if (mode == 4) raw = bytes.concat(raw, new bytes(InvoiceNumber.MAX_LENGTH + 1));
        if (mode != 0) {
            for (uint256 i = 0; i < raw.length; ++i) {
                raw[i] = mode == 3 ? SEPARATORS[uint8(raw[i]) % SEPARATORS.length] : _validByte(uint8(raw[i]));
            }
        }
        if (mode == 2 && raw.length > 0) {
            uint256 at = position % raw.length;
            bytes1 foreign = bytes1(uint8(position >> 128));
            vm.assume(!_isUpperAlnum(foreign) && !_isSeparator(foreign) && !(foreign >= 0x61 && foreign <= 0x7a));
            raw[at] = foreign;
        }
        (bool ok, bytes memory expected) = _reference(raw);
        try _numbers.normalize(string(raw)) returns (bytes memory out) {
            assertTrue(ok, "accepted an invalid number");
            assertEq(out, expected, "normal form differs from the reference");
        } catch (bytes memory err) {
            assertFalse(ok, "rejected a valid number");
            assertEq(err, expected, "error differs from the reference");
        }
    }

    /**
     * Case and separator variants of one number share one key, in the library and in the ledger:
     * once the number is submitted, any variant from the same seller to the same buyer is refused
     * with {InvoiceAlreadyExists}; the same variant to another buyer is a different invoice.
     */
    function testFuzz_CaseAndSeparatorVariantsCollide(
        bytes32 baseSeed,
        uint256 baseLength,
        uint256 variantSeed
    ) public {
        baseLength = bound(baseLength, 1, 24);
        bytes memory base = new bytes(baseLength);
        for (uint256 i = 0; i < baseLength; ++i) base[i] = ALNUM[uint8(baseSeed[i]) % ALNUM.length];
        bytes memory variant = NumberVariants.variant(base, variantSeed);
        assertTrue(variant.length <= InvoiceNumber.MAX_LENGTH, "variant too long");

        bytes32 id = _ledger.invoiceIdOf(_suppliers[0], _buyer, string(base));
        assertEq(_ledger.invoiceIdOf(_suppliers[0], _buyer, string(variant)), id, "variant has another id");
        assertEq(_numbers.key(_suppliers[0], _buyer, string(variant)), id, "library key differs from ledger id");
        assertEq(_numbers.normalize(string(variant)), base, "variant does not normalize to the base");

        uint256 due = block.timestamp + 30 days;
        vm.prank(_suppliers[0]);
        assertEq(_ledger.submitInvoice(_buyer, string(base), 1_000, block.timestamp, due, DOC_HASH), id, "id");
        vm.expectRevert(abi.encodeWithSelector(IReceivableLedger.InvoiceAlreadyExists.selector, id));
        vm.prank(_suppliers[0]);
        _ledger.submitInvoice(_buyer, string(variant), 2_000, block.timestamp, due, DOC_HASH);

        vm.prank(_suppliers[0]);
        bytes32 other = _ledger.submitInvoice(_buyer2, string(variant), 1_000, block.timestamp, due, DOC_HASH);
        assertNotEq(other, id, "same number to another buyer collided");
        assertEq(_ledger.invoice(id).faceAmount, 1_000, "the first submission was overwritten");
    }

    /// Different normal forms never share a key (keccak over seller, buyer and the normal form).
    function testFuzz_DistinctNumbersDoNotCollide(bytes32 seedA, bytes32 seedB, uint256 lengthA) public view {
        lengthA = bound(lengthA, 1, 32);
        bytes memory a = new bytes(lengthA);
        bytes memory b = new bytes(lengthA);
        for (uint256 i = 0; i < lengthA; ++i) {
            a[i] = ALNUM[uint8(seedA[i]) % ALNUM.length];
            b[i] = ALNUM[uint8(seedB[i]) % ALNUM.length];
        }
        vm.assume(keccak256(a) != keccak256(b));
        assertNotEq(
            _ledger.invoiceIdOf(_suppliers[0], _buyer, string(a)),
            _ledger.invoiceIdOf(_suppliers[0], _buyer, string(b)),
            "distinct numbers share a key"
        );
    }

    // ---- Helpers -----------------------------------------------------------------------------

    function _submitConfirmed(
        address seller,
        address buyer,
        string memory number,
        uint256 face,
        uint256 dueDate
    ) private returns (bytes32 id) {
        vm.prank(seller);
        id = _ledger.submitInvoice(buyer, number, face, block.timestamp, dueDate, DOC_HASH);
        vm.prank(buyer);
        _ledger.confirmInvoice(id);
    }

    function _sumPieces(bytes32 id) private view returns (uint256 sum) {
        Piece[] memory all = _ledger.pieces(id);
        for (uint256 i = 0; i < all.length; ++i) sum += all[i].amount;
    }

    /// @dev Balances of suppliers 0-5, then banks 0-1.
    function _balances() private view returns (uint256[] memory b) {
        b = new uint256[](SUPPLIERS + 2);
        for (uint256 i = 0; i < SUPPLIERS; ++i) b[i] = _token.balanceOf(_suppliers[i]);
        b[SUPPLIERS] = _token.balanceOf(_banks[0]);
        b[SUPPLIERS + 1] = _token.balanceOf(_banks[1]);
    }

    function _accountIndex(address account) private view returns (uint256) {
        for (uint256 i = 0; i < SUPPLIERS; ++i) if (_suppliers[i] == account) return i;
        if (account == _banks[0]) return SUPPLIERS;
        if (account == _banks[1]) return SUPPLIERS + 1;
        revert AssertionFailedAddress("unknown account", account, address(0));
    }

    /// @dev Whole days in `span` seconds, a started day counting as one (independent of the library).
    function _ceilDays(uint256 span) private pure returns (uint256) {
        return span / 1 days + (span % 1 days == 0 ? 0 : 1);
    }

    /// @dev `count` positive amounts summing to `face` (face >= count), cut pseudo-randomly.
    function _splitFace(uint256 face, uint256 count, uint256 seed) private pure returns (uint256[] memory amounts) {
        amounts = new uint256[](count);
        uint256 remaining = face;
        for (uint256 i = 0; i + 1 < count; ++i) {
            uint256 rnd = uint256(keccak256(abi.encode(seed, i)));
            uint256 maxCut = remaining - (count - 1 - i);
            if (rnd % 3 == 0) maxCut = maxCut < 3 ? maxCut : 3;
            else if (rnd % 3 == 1) maxCut = maxCut / (count - i) + 1;
            amounts[i] = bound(rnd >> 8, 1, maxCut);
            remaining -= amounts[i];
        }
        amounts[count - 1] = remaining;
        // Cut in ascending order, each split leaves its piece enough splits for the next one (a
        // split shares the piece's splits in proportion to the amounts), so all `count` fit.
        for (uint256 i = 2; i < count; ++i) {
            uint256 a = amounts[i];
            uint256 j = i;
            for (; j > 1 && amounts[j - 1] > a; --j) amounts[j] = amounts[j - 1];
            amounts[j] = a;
        }
    }

    /// @dev Maps any byte onto the valid alphabet: digits, both cases of letters, separators.
    function _validByte(uint8 b) private pure returns (bytes1) {
        uint256 r = b % (ALNUM.length + 26 + SEPARATORS.length);
        if (r < ALNUM.length) return ALNUM[r];
        if (r < ALNUM.length + 26) return bytes1(uint8(0x61 + r - ALNUM.length)); // a-z
        return SEPARATORS[r - ALNUM.length - 26];
    }

    function _isUpperAlnum(bytes1 c) private pure returns (bool) {
        return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
    }

    /// @dev Reference normalization: (true, normal form) or (false, the expected revert data).
    function _reference(bytes memory raw) private pure returns (bool ok, bytes memory result) {
        uint256 n = raw.length;
        if (n > InvoiceNumber.MAX_LENGTH) {
            return (false, _lengthError(n));
        }
        bytes memory out = new bytes(n);
        uint256 len;
        for (uint256 i = 0; i < n; ++i) {
            bytes1 c = raw[i];
            if (c >= 0x61 && c <= 0x7a) out[len++] = bytes1(uint8(c) - 0x20);
            else if (_isUpperAlnum(c)) out[len++] = c;
            else if (!_isSeparator(c)) {
                return (false, abi.encodeWithSelector(InvoiceNumber.InvoiceNumberCharacter.selector, i));
            }
        }
        if (len == 0) return (false, _lengthError(0));
        result = new bytes(len);
        for (uint256 i = 0; i < len; ++i) result[i] = out[i];
        return (true, result);
    }

    function _lengthError(uint256 n) private pure returns (bytes memory) {
        return abi.encodeWithSelector(InvoiceNumber.InvoiceNumberLength.selector, n, InvoiceNumber.MAX_LENGTH);
    }

    function _isSeparator(bytes1 c) private pure returns (bool) {
        for (uint256 i = 0; i < SEPARATORS.length; ++i) if (SEPARATORS[i] == c) return true;
        return false;
    }

    function _digit(uint256 i) private pure returns (string memory) {
        return string(abi.encodePacked(bytes1(uint8(0x30 + i))));
    }
}
