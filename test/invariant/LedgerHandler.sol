// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IReceivableLedger} from "../../contracts/receivables/IReceivableLedger.sol";
import {ReceivableLedger} from "../../contracts/receivables/ReceivableLedger.sol";
import {Financing, Invoice, InvoiceStatus, Piece, PieceStatus} from "../../contracts/receivables/ReceivableTypes.sol";
import {ISandboxErrors} from "../../contracts/sandbox/ISandboxErrors.sol";
import {SandboxController} from "../../contracts/sandbox/SandboxController.sol";
import {Limit, Policy, Role} from "../../contracts/sandbox/SandboxTypes.sol";
import {SettlementToken} from "../../contracts/token/SettlementToken.sol";
import {bound} from "../utils/Bound.sol";
import {NumberVariants} from "../utils/NumberVariants.sol";
import {DOC_HASH, OPERATOR, REGULATOR, SandboxFixture} from "../utils/SandboxFixture.sol";
import {IVm, vm} from "../utils/Vm.sol";

/// @dev 360-day year times basis points: the denominator of the discount.
uint256 constant K = 360 * 10_000;
/// @dev Settlement tokens minted to each bank and core enterprise, and to each supplier (for recourse).
uint256 constant FUNDING = 1e13;
uint256 constant SUPPLIER_FUNDING = 5e6;

/**
 * @dev Drives random sequences of lifecycle steps through the deployed sandbox for the invariant
 * tests: 6 suppliers (2 of them tier-1 sellers), 2 core enterprises, 2 banks, the regulator and
 * the operator, each acting through `vm.prank`. Every action picks an existing target that the
 * step can apply to (scanning from a fuzzed start), so most calls change state; a fraction
 * deliberately picks a wrong actor or an ineligible target to probe the guards.
 *
 * It is abstract: the concrete `LedgerHandler` is declared in the test file, because the test
 * runner only identifies contracts (and so their target selectors) from the artifacts of the test
 * files being run, and a file that is only imported produces none.
 *
 * The handler never reverts on a refused step. It records what succeeded in ghost variables and
 * raises a violation flag when a step succeeds that must not, or pays out an amount that differs
 * from the independently computed one. The invariant test reads both.
 */
// The ghost state is the point of a handler, so it holds more state than a production contract.
// solhint-disable-next-line max-states-count
abstract contract LedgerHandlerBase is SandboxFixture {
    uint256 public constant SUPPLIER_COUNT = 6;
    uint256 public constant SELLER_COUNT = 2;
    uint256 public constant MIN_FACE = 100_000;
    uint256 public constant MAX_FACE = 1_500_000;
    uint256 public constant MIN_PIECE = 50_000;
    uint256 public constant MAX_TIER = 3;
    uint256 public constant MAX_TENOR_DAYS = 60;
    uint256 public constant GRACE_DAYS = 2;
    uint256 public constant DEFAULT_DAYS = 10;
    uint256 public constant MAX_RATE_CEILING = 2_000;
    /// @dev Initial caps, low enough against faces of 1k to 15k yuan that they bind.
    uint256 public constant SUPPLIER_CAP = 1_500_000;
    uint256 public constant BANK_CAP = 2_000_000;
    uint256 public constant BUYER_CAP = 3_000_000;
    uint256 public constant PILOT_CAP = 2_000_000;

    struct GhostInvoice {
        address seller;
        address buyer;
        uint256 face;
        uint256 paid;
        uint256 dueDate;
        bool confirmed;
        uint256 pieceCount;
    }

    struct GhostPiece {
        uint256 amount;
        /// @dev Cumulative PieceSettled amounts of this piece.
        uint256 received;
        uint256 approvals;
        bool recoursed;
        address bank;
        address financedParty;
    }

    address[SUPPLIER_COUNT] public suppliers;
    address[2] public buyers;
    address[2] public banks;

    bytes32[] public invoiceIds;
    mapping(bytes32 id => GhostInvoice) public ghostInvoice;
    mapping(bytes32 id => mapping(uint256 index => GhostPiece)) public ghostPiece;
    mapping(bytes32 id => string) private _numbers;
    mapping(bytes32 id => bool) private _seen;
    uint256 private _nonce;

    // ---- Ghost totals ----------------------------------------------------------------------
    uint256 public successfulSubmissions;
    uint256 public distinctIds;
    uint256 public duplicateAttempts;
    uint256 public totalPaid;
    uint256 public fullyPaidInvoices;
    /// @dev Payments on invoices with at least one financed piece (they release exposure).
    uint256 public paymentsOnFinanced;
    uint256 public settledFromEvents;
    uint256 public settledFromBalances;
    uint256 public pilotFinanced;
    uint256 public minted;
    uint256 public burned;

    /// @dev Exposure cap in force when each participant's counter (or the pilot total) last rose.
    mapping(address account => uint256) public capAtLastIncrease;
    uint256 public pilotCapAtLastIncrease;
    /// @dev Highest value each cap ever had, and whether it was ever lowered (index: Limit 0-3).
    uint256[4] public maxCapSeen;
    bool[4] public capLowered;

    // ---- Violations ------------------------------------------------------------------------
    /// @dev A submission of an existing key succeeded, or failed with another error.
    bool public duplicateAccepted;
    bool public duplicateWrongError;
    /// @dev A piece was approved while not locked under a request, or approved a second time.
    bool public doubleFinanced;
    /// @dev A financed or recoursed piece was put under a new request.
    bool public refinanceRequested;
    /// @dev Approval or recourse moved an amount other than the expected one.
    bool public advanceMismatch;
    bool public recourseMismatch;
    /// @dev A step succeeded for an actor not entitled to it, or a mark came too early.
    bool public unauthorizedSuccess;
    bool public earlyMark;
    /// @dev A holder's balance fell during a buyer's payment.
    bool public holderCharged;
    /// @dev An approval applied a rate above the holder's requested maximum.
    bool public aboveRequestedRate;
    /// @dev The buyer's payment failed although the sandbox ran, neither the buyer nor the receivable
    /// was frozen and the buyer held the amount.
    bool public buyerBlocked;

    // ---- Governance ------------------------------------------------------------------------
    /// @dev Regulators and an operator the handler admits, renews, freezes and removes as it goes.
    address public constant REGULATOR_2 = address(0x5E7);
    address public constant REGULATOR_3 = address(0x5E8);
    address public constant OPERATOR_2 = address(0x0BF);
    /// @dev Every pause the handler made, oldest first (end 0 while it lasts): the ghost clock.
    uint256[] public pauseStarts;
    uint256[] public pauseEnds;

    /// @dev Refusals by a cap, per Limit 0-3: shows the caps bind during a campaign.
    uint256[4] public capRefusals;
    /// @dev Calls and successful steps per action, for judging how much a campaign exercised.
    mapping(bytes4 selector => uint256) public calls;
    mapping(bytes4 selector => uint256) public successes;

    constructor() {
        _deploySandbox();
        for (uint256 i = 0; i < SUPPLIER_COUNT; ++i) {
            suppliers[i] = _actor(string.concat("supplier", _digits(i)));
            _admit(suppliers[i], Role.Supplier, string.concat("S", _digits(i)));
            _fund(suppliers[i], SUPPLIER_FUNDING);
        }
        for (uint256 i = 0; i < 2; ++i) {
            buyers[i] = _actor(string.concat("buyer", _digits(i)));
            _admit(buyers[i], Role.CoreEnterprise, string.concat("C", _digits(i)));
            _fund(buyers[i], FUNDING);
            banks[i] = _actor(string.concat("bank", _digits(i)));
            _admit(banks[i], Role.Bank, string.concat("B", _digits(i)));
            _fund(banks[i], FUNDING);
        }
        _setLimit(Limit.MaxTenorDays, MAX_TENOR_DAYS);
        _setLimit(Limit.RateCeilingBps, 1_200);
        _setLimit(Limit.MinPieceAmount, MIN_PIECE);
        _setLimit(Limit.MaxTierDepth, MAX_TIER);
        _setLimit(Limit.GracePeriodDays, GRACE_DAYS);
        _setLimit(Limit.DefaultThresholdDays, DEFAULT_DAYS);
        _setCap(Limit.SupplierFinancingCap, SUPPLIER_CAP);
        _setCap(Limit.BankExposureCap, BANK_CAP);
        _setCap(Limit.BuyerOutstandingCap, BUYER_CAP);
        _setCap(Limit.PilotFinancingCap, PILOT_CAP);
    }

    // ---- Views for the invariant test ------------------------------------------------------

    function ledger() external view returns (ReceivableLedger) {
        return _ledger;
    }

    function controller() external view returns (SandboxController) {
        return _controller;
    }

    function token() external view returns (SettlementToken) {
        return _token;
    }

    function invoiceCount() external view returns (uint256) {
        return invoiceIds.length;
    }

    function invoiceGhost(bytes32 id) external view returns (GhostInvoice memory) {
        return ghostInvoice[id];
    }

    function pieceGhost(bytes32 id, uint256 index) external view returns (GhostPiece memory) {
        return ghostPiece[id][index];
    }

    // ---- Actions: invoices -----------------------------------------------------------------

    /// @notice A supplier (usually a tier-1 seller) submits a new invoice to a core enterprise.
    function submit(uint256 sellerSeed, uint256 buyerSeed, uint256 face, uint256 dueIn, uint256 issuedAgo) external {
        _count(this.submit.selector);
        _submit(sellerSeed, buyerSeed, face, dueIn, issuedAgo);
    }

    /// @notice The seller submits a case/separator variant of an invoice already on the ledger.
    function resubmit(uint256 invoiceSeed, uint256 variantSeed, uint256 face) external {
        _count(this.resubmit.selector);
        if (invoiceIds.length == 0) return;
        bytes32 id = invoiceIds[invoiceSeed % invoiceIds.length];
        GhostInvoice storage g = ghostInvoice[id];
        string memory variant = string(NumberVariants.variant(bytes(_numbers[id]), variantSeed));
        face = bound(face, MIN_FACE, MAX_FACE);
        ++duplicateAttempts;

        vm.prank(g.seller);
        try _ledger.submitInvoice(g.buyer, variant, face, block.timestamp, block.timestamp + 10 days, DOC_HASH) {
            ++successfulSubmissions;
            duplicateAccepted = true;
        } catch (bytes memory err) {
            bytes memory expected = abi.encodeWithSelector(IReceivableLedger.InvoiceAlreadyExists.selector, id);
            if (keccak256(err) != keccak256(expected)) duplicateWrongError = true;
        }
    }

    /// @notice The buyer (sometimes the other core enterprise) confirms a submitted invoice.
    function confirm(uint256 invoiceSeed, uint256 actorSeed) external {
        _count(this.confirm.selector);
        (bool found, bytes32 id) = _pickInvoice(invoiceSeed, _isSubmitted);
        if (!found) return;
        address buyer = ghostInvoice[id].buyer;
        _confirm(id, actorSeed % 10 == 0 ? buyers[(actorSeed >> 8) % 2] : buyer);
    }

    /// @notice The buyer disputes a submitted invoice (one call in three; most invoices are good).
    function dispute(uint256 invoiceSeed) external {
        _count(this.dispute.selector);
        if (invoiceSeed % 3 != 0) return;
        (bool found, bytes32 id) = _pickInvoice(invoiceSeed >> 8, _isSubmitted);
        if (!found) return;
        vm.prank(ghostInvoice[id].buyer);
        try _ledger.disputeInvoice(id, "goods not received") {
            _ok(this.dispute.selector);
        } catch {}
    }

    // ---- Actions: pieces and financing -----------------------------------------------------

    /**
     * @notice The holder of an active piece transfers all of it or splits part of it off to a
     * supplier (itself included). Sometimes a non-holder tries, or the amount ignores the minimum.
     */
    function transfer(uint256 pieceSeed, uint256 toSeed, uint256 amountSeed, uint256 actorSeed) external {
        _count(this.transfer.selector);
        (bool found, bytes32 id, uint256 index, Piece memory p) = _pickPiece(pieceSeed, _isMovableActive);
        if (!found) return;
        address caller = actorSeed % 10 == 0 ? suppliers[(actorSeed >> 8) % SUPPLIER_COUNT] : p.holder;
        _transfer(id, index, p, caller, suppliers[toSeed % SUPPLIER_COUNT], _transferAmount(p.amount, amountSeed));
    }

    /**
     * @notice The holder of an active piece asks a bank for financing. Sometimes it targets any
     * piece instead, including financed and recoursed ones, which must be refused.
     */
    function requestFinancing(uint256 pieceSeed, uint256 bankSeed, bool withRecourse) external {
        _count(this.requestFinancing.selector);
        (bool found, bytes32 id, uint256 index, Piece memory p) = _pickPiece(
            pieceSeed,
            bankSeed % 6 == 0 ? _isAnyPiece : _isMovableActive
        );
        if (!found) return;
        _request(id, index, p, banks[(bankSeed >> 8) % 2], withRecourse);
    }

    /// @notice The holder withdraws a pending request.
    function cancelFinancing(uint256 pieceSeed) external {
        _count(this.cancelFinancing.selector);
        (bool found, bytes32 id, uint256 index, Piece memory p) = _pickPiece(pieceSeed, _isLocked);
        if (!found) return;
        vm.prank(p.holder);
        try _ledger.cancelFinancing(id, index) {
            _ok(this.cancelFinancing.selector);
        } catch {}
    }

    /**
     * @notice The bank named in a pending request approves it at a random rate within the current
     * ceiling. Sometimes the other bank tries, or the named bank tries a piece in any state.
     */
    function approveFinancing(uint256 pieceSeed, uint256 rateSeed, uint256 actorSeed) external {
        _count(this.approveFinancing.selector);
        (bool found, bytes32 id, uint256 index, Piece memory p) = _pickPiece(
            pieceSeed,
            actorSeed % 6 == 0 ? _isAnyPiece : _isLockedMovable
        );
        if (!found) return;
        address named = _ledger.financing(id, index).bank;
        if (named == address(0)) named = banks[(actorSeed >> 8) % 2];
        address caller = actorSeed % 10 == 1 ? banks[(actorSeed >> 16) % 2] : named;
        _approve(id, index, p, caller, named, rateSeed);
    }

    /// @notice The bank named in a pending request rejects it.
    function rejectFinancing(uint256 pieceSeed) external {
        _count(this.rejectFinancing.selector);
        (bool found, bytes32 id, uint256 index, ) = _pickPiece(pieceSeed, _isLocked);
        if (!found) return;
        vm.prank(_ledger.financing(id, index).bank);
        try _ledger.rejectFinancing(id, index, "credit limit review") {
            _ok(this.rejectFinancing.selector);
        } catch {}
    }

    // ---- Actions: settlement, overdue, default, recourse -----------------------------------

    /**
     * @notice The buyer pays part or all of what is outstanding on a confirmed (possibly overdue or
     * defaulted) invoice, mostly once it is due, one time in five early. Sometimes the other core
     * enterprise tries to pay it.
     */
    function pay(uint256 invoiceSeed, uint256 amountSeed, uint256 actorSeed) external {
        _count(this.pay.selector);
        (bool found, bytes32 id) = _pickInvoice(invoiceSeed, actorSeed % 5 == 4 ? _isPayable : _isPayableDue);
        if (!found) return;
        address buyer = ghostInvoice[id].buyer;
        _pay(id, actorSeed % 10 == 0 ? buyers[(actorSeed >> 8) % 2] : buyer, amountSeed);
    }

    /// @notice The operator or the regulator marks a receivable overdue (sometimes too early).
    function markOverdue(uint256 invoiceSeed, uint256 actorSeed) external {
        _count(this.markOverdue.selector);
        (bool found, bytes32 id) = _pickInvoice(invoiceSeed, actorSeed % 4 == 0 ? _isConfirmed : _isOverdueDue);
        if (found) _markOverdue(id, actorSeed >> 8);
    }

    /// @notice The operator or the regulator marks a receivable defaulted (sometimes too early).
    function markDefaulted(uint256 invoiceSeed, uint256 actorSeed) external {
        _count(this.markDefaulted.selector);
        (bool found, bytes32 id) = _pickInvoice(
            invoiceSeed,
            actorSeed % 4 == 0 ? _isConfirmedOrOverdue : _isDefaultDue
        );
        if (found) _markDefaulted(id, actorSeed >> 8);
    }

    /// @notice The bank holding a financed piece claims recourse from the party it financed.
    function claimRecourse(uint256 pieceSeed) external {
        _count(this.claimRecourse.selector);
        (bool found, bytes32 id, uint256 index, Piece memory p) = _pickPiece(pieceSeed, _isRecourseCandidate);
        if (found) _claimRecourse(id, index, p);
    }

    /**
     * @notice Moves one live receivable one step along its lifecycle, as its parties would: the
     * buyer confirms; holders split, transfer and ask for financing; the named bank approves; once
     * due the buyer pays (in part or in full), keepers mark it overdue or defaulted, and banks
     * claim recourse. With no live receivable (or one time in eight) a new invoice is submitted.
     * Half the calls advance the oldest live receivable, so that some reach the end of their life.
     * This keeps depth-64 sequences reaching financing, settlement and default, while the
     * single-step actions above explore the unusual orders.
     */
    function advance(uint256 seed, uint256 valueSeed) external {
        _count(this.advance.selector);
        // Half the time the oldest live receivable, so that some run their whole lifecycle.
        (bool found, bytes32 id) = _pickInvoice(seed % 2 == 0 ? 0 : seed >> 1, _isLive);
        if (!found || seed % 8 == 0) {
            _submit(valueSeed, valueSeed >> 16, valueSeed >> 32, valueSeed >> 96, valueSeed >> 160);
            return;
        }
        Invoice memory inv = _ledger.invoice(id);
        if (inv.status == InvoiceStatus.Submitted) {
            _confirm(id, inv.buyer);
        } else if (_isMovable(inv)) {
            _advanceMovable(id, seed >> 8, valueSeed);
        } else {
            _advanceMatured(id, inv, seed >> 8, valueSeed);
        }
    }

    /**
     * @dev Before maturity: approve a pending request, or (one time in two, or with nothing
     * pending) split or finance an active piece, so that several requests to one bank are often
     * pending at once and their approvals meet the caps the requests were previewed against.
     * With every piece financed, time passes.
     */
    function _advanceMovable(bytes32 id, uint256 seed, uint256 valueSeed) private {
        Piece[] memory all = _ledger.pieces(id);
        uint256 start = seed % all.length;
        bool preferNewRequest = (seed >> 32) % 2 == 0;
        for (uint256 j = 0; j < all.length; ++j) {
            uint256 i = (start + j) % all.length;
            Piece memory p = all[i];
            if (p.status == PieceStatus.Locked && !preferNewRequest) {
                address bank = _ledger.financing(id, i).bank;
                _approve(id, i, p, bank, bank, valueSeed);
                return;
            }
            if (p.status == PieceStatus.Active && (preferNewRequest || !_hasLocked(all))) {
                if ((seed >> 8) % 3 == 0 && p.amount >= 2 * MIN_PIECE) {
                    address to = suppliers[(seed >> 16) % SUPPLIER_COUNT];
                    _transfer(id, i, p, p.holder, to, bound(valueSeed, MIN_PIECE, p.amount - MIN_PIECE));
                } else {
                    _request(id, i, p, banks[(seed >> 16) % 2], (seed >> 24) % 4 != 0);
                }
                return;
            }
        }
        // Nothing of the preferred kind: approve what is pending, else let time pass.
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i].status != PieceStatus.Locked) continue;
            address bank = _ledger.financing(id, i).bank;
            _approve(id, i, all[i], bank, bank, valueSeed);
            return;
        }
        vm.warp(block.timestamp + bound(valueSeed, 1 hours, 5 days));
    }

    function _hasLocked(Piece[] memory all) private pure returns (bool) {
        for (uint256 i = 0; i < all.length; ++i) if (all[i].status == PieceStatus.Locked) return true;
        return false;
    }

    /**
     * @dev Due, paid in part, overdue or defaulted. Before the due date, time passes to it. One
     * receivable in three (by id) goes bad: its buyer pays nothing more until the default threshold
     * has passed and a keeper has marked it defaulted. Then banks claim recourse when they may,
     * keepers mark what is overdue or defaulted, and otherwise the buyer pays.
     */
    function _advanceMatured(bytes32 id, Invoice memory inv, uint256 seed, uint256 valueSeed) private {
        uint256 choice = seed % 5;
        if (block.timestamp < inv.dueDate && choice != 4) {
            vm.warp(inv.dueDate + bound(valueSeed, 0, 4 days));
            return;
        }
        if (uint256(id) % 3 == 0 && inv.status != InvoiceStatus.Defaulted) {
            (, uint256 threshold) = _controller.settlementDeadlines(inv.dueDate);
            if (block.timestamp <= threshold) vm.warp(threshold + bound(valueSeed, 1, 3 days));
            else _markDefaulted(id, seed >> 8);
            return;
        }
        if (choice == 0 && _isDefaultDue(id, inv)) {
            _markDefaulted(id, seed >> 8);
            return;
        }
        if (choice == 1 && _isOverdueDue(id, inv)) {
            _markOverdue(id, seed >> 8);
            return;
        }
        if (choice <= 2) {
            Piece[] memory all = _ledger.pieces(id);
            for (uint256 i = 0; i < all.length; ++i) {
                if (_isRecourseCandidate(inv, all[i]) && _ledger.financing(id, i).withRecourse) {
                    _claimRecourse(id, i, all[i]);
                    return;
                }
            }
        }
        _pay(id, inv.buyer, valueSeed);
    }

    // ---- Steps: each performs one call and records its outcome -------------------------------

    function _submit(uint256 sellerSeed, uint256 buyerSeed, uint256 face, uint256 dueIn, uint256 issuedAgo) private {
        address seller =
            sellerSeed % 8 == 0 ? suppliers[(sellerSeed >> 8) % SUPPLIER_COUNT] : suppliers[sellerSeed % SELLER_COUNT];
        address buyer = buyers[buyerSeed % 2];
        face = bound(face, MIN_FACE, MAX_FACE);
        uint256 issueDate = block.timestamp - bound(issuedAgo, 0, 2 days);
        // Mostly within 30 days, so that a campaign sees maturities and defaults; sometimes up to
        // the maximum tenor (counted from the issue date, up to 2 days back).
        uint256 maxDueIn = dueIn % 4 == 0 ? MAX_TENOR_DAYS - 2 : 30;
        uint256 dueDate = block.timestamp + bound(dueIn >> 8, 1 days, maxDueIn * 1 days);
        string memory number = string.concat("INV-2026-", _digits(++_nonce));

        vm.prank(seller);
        try _ledger.submitInvoice(buyer, number, face, issueDate, dueDate, DOC_HASH) returns (bytes32 id) {
            _ok(this.submit.selector);
            ++successfulSubmissions;
            if (_seen[id]) {
                duplicateAccepted = true;
                return;
            }
            _seen[id] = true;
            ++distinctIds;
            invoiceIds.push(id);
            _numbers[id] = number;
            ghostInvoice[id] = GhostInvoice(seller, buyer, face, 0, dueDate, false, 0);
        } catch {}
    }

    function _confirm(bytes32 id, address caller) private {
        GhostInvoice storage g = ghostInvoice[id];
        vm.prank(caller);
        try _ledger.confirmInvoice(id) {
            _ok(this.confirm.selector);
            if (caller != g.buyer) unauthorizedSuccess = true;
            g.confirmed = true;
            g.pieceCount = 1;
            ghostPiece[id][0].amount = g.face;
            capAtLastIncrease[g.buyer] = _controller.policy().buyerOutstandingCap;
        } catch (bytes memory err) {
            _noteCapRefusal(err);
        }
    }

    // `transferPiece` moves a receivable piece, not Ether: the linter's reentrancy pattern misfires.
    // solhint-disable reentrancy
    function _transfer(bytes32 id, uint256 index, Piece memory p, address caller, address to, uint256 amount) private {
        vm.prank(caller);
        try _ledger.transferPiece(id, index, to, amount) returns (uint256 newIndex) {
            _ok(this.transfer.selector);
            if (caller != p.holder) unauthorizedSuccess = true;
            GhostInvoice storage g = ghostInvoice[id];
            if (amount != p.amount) {
                ghostPiece[id][index].amount -= amount;
                ghostPiece[id][newIndex].amount = amount;
                if (newIndex != g.pieceCount) unauthorizedSuccess = true; // a piece overwritten
                ++g.pieceCount;
            }
        } catch {}
    }
    // solhint-enable reentrancy

    function _request(bytes32 id, uint256 index, Piece memory p, address bank, bool withRecourse) private {
        // Mostly any rate up to the highest ceiling the regulator sets; sometimes a tight maximum.
        uint256 maxRate = uint256(keccak256(abi.encode(id, index, block.timestamp))) % 4 == 0 ? 600 : MAX_RATE_CEILING;
        vm.prank(p.holder);
        try _ledger.requestFinancing(id, index, bank, withRecourse, maxRate) {
            _ok(this.requestFinancing.selector);
            if (p.status != PieceStatus.Active || ghostPiece[id][index].approvals != 0) refinanceRequested = true;
        } catch (bytes memory err) {
            _noteCapRefusal(err);
        }
    }

    function _approve(
        bytes32 id,
        uint256 index,
        Piece memory p,
        address caller,
        address named,
        uint256 rateSeed
    ) private {
        Financing memory f = _ledger.financing(id, index);
        uint256 rate = _approvalRate(f, rateSeed);
        uint256 holderBefore = _token.balanceOf(p.holder);
        uint256 bankBefore = _token.balanceOf(caller);
        vm.prank(caller);
        try _ledger.approveFinancing(id, index, p.holder, p.amount, f.withRecourse, rate) returns (uint256 advance_) {
            _ok(this.approveFinancing.selector);
            GhostPiece storage gp = ghostPiece[id][index];
            if (p.status != PieceStatus.Locked || gp.approvals != 0) doubleFinanced = true;
            if (caller != named) unauthorizedSuccess = true;
            if (rate > f.rateBps) aboveRequestedRate = true;
            ++gp.approvals;
            gp.bank = caller;
            gp.financedParty = p.holder;
            pilotFinanced += p.amount;
            _checkAdvance(id, p, advance_, rate, holderBefore, bankBefore, caller);
            Policy memory pol = _controller.policy();
            capAtLastIncrease[p.holder] = pol.supplierFinancingCap;
            capAtLastIncrease[caller] = pol.bankExposureCap;
            pilotCapAtLastIncrease = pol.pilotFinancingCap;
        } catch (bytes memory err) {
            _noteCapRefusal(err);
        }
    }

    /// @dev Mostly within what the holder accepts; one time in eight up to the ceiling regardless.
    function _approvalRate(Financing memory f, uint256 rateSeed) private view returns (uint256) {
        uint256 ceiling = _controller.policy().rateCeilingBps;
        uint256 top = rateSeed % 8 == 0 || f.rateBps > ceiling ? ceiling : f.rateBps;
        return bound(rateSeed >> 8, 0, top);
    }

    /// @dev Pays the whole outstanding amount one time in four, else a random part of it.
    function _pay(bytes32 id, address caller, uint256 amountSeed) private {
        GhostInvoice storage g = ghostInvoice[id];
        uint256 outstanding = g.face - g.paid;
        if (outstanding == 0) return;
        uint256 amount = amountSeed % 4 == 0 ? outstanding : bound(amountSeed >> 8, 1, outstanding);
        uint256[] memory before = _holderBalances();
        vm.recordLogs();
        vm.prank(caller);
        try _ledger.pay(id, amount) {
            _ok(this.pay.selector);
            if (caller != g.buyer) unauthorizedSuccess = true;
            totalPaid += amount;
            g.paid += amount;
            if (g.paid == g.face) ++fullyPaidInvoices;
            if (_hasFinancedPiece(id, g.pieceCount)) ++paymentsOnFinanced;
            _recordSettlements(id, vm.getRecordedLogs());
            uint256[] memory afterwards = _holderBalances();
            for (uint256 i = 0; i < before.length; ++i) {
                if (afterwards[i] < before[i]) holderCharged = true;
                else settledFromBalances += afterwards[i] - before[i];
            }
        } catch {
            vm.getRecordedLogs(); // drain the recorder
            if (caller == g.buyer && _mustBeAbleToPay(id, g.buyer, amount)) buyerBlocked = true;
        }
    }

    /// @dev Running sandbox, buyer and receivable not frozen, a payable status, the funds held.
    function _mustBeAbleToPay(bytes32 id, address buyer, uint256 amount) private view returns (bool) {
        Invoice memory inv = _ledger.invoice(id);
        return
            !_controller.policy().paused &&
            !_controller.participant(buyer).frozen &&
            !inv.frozen &&
            _isPayable(id, inv) &&
            _token.balanceOf(buyer) >= amount;
    }

    function _markOverdue(bytes32 id, uint256 keeperSeed) private {
        vm.prank(keeperSeed % 2 == 0 ? OPERATOR : REGULATOR);
        try _ledger.markOverdue(id) {
            _ok(this.markOverdue.selector);
            if (_tooEarly(ghostInvoice[id].dueDate, _controller.policy().gracePeriodDays)) earlyMark = true;
        } catch {}
    }

    function _markDefaulted(bytes32 id, uint256 keeperSeed) private {
        vm.prank(keeperSeed % 2 == 0 ? OPERATOR : REGULATOR);
        try _ledger.markDefaulted(id) {
            _ok(this.markDefaulted.selector);
            if (_tooEarly(ghostInvoice[id].dueDate, _controller.policy().defaultThresholdDays)) earlyMark = true;
        } catch {}
    }

    function _claimRecourse(bytes32 id, uint256 index, Piece memory p) private {
        GhostPiece storage gp = ghostPiece[id][index];
        address party = gp.financedParty;
        uint256 partyBefore = _token.balanceOf(party);
        uint256 bankBefore = _token.balanceOf(p.holder);
        bool marked = _ledger.invoice(id).status == InvoiceStatus.Defaulted;
        vm.prank(p.holder);
        try _ledger.claimRecourse(id, index) returns (uint256 amount) {
            _ok(this.claimRecourse.selector);
            GhostInvoice storage g = ghostInvoice[id];
            // A recourse that marks the default itself must come after the threshold.
            if (!marked && _tooEarly(g.dueDate, _controller.policy().defaultThresholdDays)) earlyMark = true;
            if (!_ledger.financing(id, index).withRecourse || gp.recoursed) unauthorizedSuccess = true;
            gp.recoursed = true;
            uint256 expected = p.amount - (g.paid * p.amount) / g.face;
            // Written without subtraction, so a wrong direction is flagged rather than reverting.
            if (
                amount != expected ||
                _token.balanceOf(party) + expected != partyBefore ||
                _token.balanceOf(p.holder) != bankBefore + expected
            ) recourseMismatch = true;
        } catch {}
    }

    // ---- Actions: time, regulator, operator, holders ---------------------------------------

    /// @notice Time passes: one hour to fifteen days.
    function warp(uint256 seconds_) external {
        _count(this.warp.selector);
        vm.warp(block.timestamp + bound(seconds_, 1 hours, 15 days));
    }

    /**
     * @notice The regulator changes a cap (supplier, bank, buyer or pilot) to between a quarter and
     * twice its initial value, or the rate ceiling.
     */
    function setLimit(uint256 limitSeed, uint256 value) external {
        _count(this.setLimit.selector);
        uint256 which = limitSeed % 5;
        if (which == 4) {
            _govLimit(Limit.RateCeilingBps, bound(value, 0, MAX_RATE_CEILING));
            return;
        }
        uint256 base = [SUPPLIER_CAP, BANK_CAP, BUYER_CAP, PILOT_CAP][which];
        _setCap(Limit(which), bound(value, base / 4, base * 2));
    }

    /// @notice An operator (the first or a later one) mints settlement tokens to a participant;
    /// refused while paused or when that operator is not active.
    function mint(uint256 actorSeed, uint256 amount) external {
        _count(this.mint.selector);
        amount = bound(amount, 1, 10_000_000);
        vm.prank(actorSeed % 3 == 0 ? OPERATOR_2 : OPERATOR);
        try _token.mint(_participant(actorSeed >> 8), amount) {
            _ok(this.mint.selector);
            minted += amount;
        } catch {}
    }

    /// @notice A participant burns some of its settlement tokens (refused while paused or frozen).
    function burn(uint256 actorSeed, uint256 amount) external {
        _count(this.burn.selector);
        address account = _participant(actorSeed);
        amount = bound(amount, 0, _token.balanceOf(account) / 4);
        vm.prank(account);
        try _token.burn(amount) {
            burned += amount;
        } catch {}
    }

    // ---- Actions: the regulator's and the operator's controls ------------------------------

    /// @notice A regulator pauses the sandbox (one time in three) or, when paused, resumes it.
    function pauseOrResume(uint256 seed) external {
        _count(this.pauseOrResume.selector);
        bool paused = _controller.policy().paused;
        if (!paused && (seed >> 8) % 3 != 0) return;
        vm.prank(_regulator(seed));
        if (paused) {
            try _controller.resume("resume") {
                _ok(this.pauseOrResume.selector);
                pauseEnds[pauseEnds.length - 1] = block.timestamp;
            } catch {}
        } else {
            try _controller.pause("incident") {
                _ok(this.pauseOrResume.selector);
                pauseStarts.push(block.timestamp);
                pauseEnds.push(0);
            } catch {}
        }
    }

    /**
     * @notice A regulator admits (open-ended or until a date), renews (likewise) or, one time in
     * four, removes a participant: the lifecycle's actors, two more regulators, a second operator.
     */
    function admission(uint256 seed, uint256 targetSeed, uint256 value) external {
        _count(this.admission.selector);
        (address target, Role role) = _governed(targetSeed);
        uint32 until = value % 2 == 0 ? type(uint32).max : uint32(block.timestamp + bound(value >> 8, 1 days, 60 days));
        uint256 mode = (seed >> 8) % 3;
        if (mode == 2 && (seed >> 16) % 4 != 0) return;
        vm.prank(_regulator(seed));
        if (mode == 0) {
            try _controller.admit(target, role, until) {
                _ok(this.admission.selector);
            } catch {}
        } else if (mode == 1) {
            try _controller.renewAdmission(target, until, "renewal") {
                _ok(this.admission.selector);
            } catch {}
        } else {
            try _controller.remove(target, "removal") {
                _ok(this.admission.selector);
            } catch {}
        }
    }

    /// @notice A regulator freezes a participant (one time in two) or lifts its freeze.
    function freezing(uint256 seed, uint256 targetSeed) external {
        _count(this.freezing.selector);
        (address target, ) = _governed(targetSeed);
        bool frozen = _controller.participant(target).frozen;
        if (!frozen && (seed >> 8) % 2 != 0) return;
        vm.prank(_regulator(seed));
        if (frozen) {
            try _controller.unfreeze(target, "cleared") {
                _ok(this.freezing.selector);
            } catch {}
        } else {
            try _controller.freeze(target, "investigation") {
                _ok(this.freezing.selector);
            } catch {}
        }
    }

    /// @notice A regulator starts the wind-down (rarely: one call in sixteen; it is for good).
    function windDown(uint256 seed) external {
        _count(this.windDown.selector);
        if (seed % 16 != 0) return;
        vm.prank(_regulator(seed >> 8));
        try _controller.startWindDown("pilot ends") {
            _ok(this.windDown.selector);
        } catch {}
    }

    /// @notice A regulator changes any limit within a range that keeps the pilot running.
    function changeLimit(uint256 limitSeed, uint256 value) external {
        _count(this.changeLimit.selector);
        Limit limit = Limit(limitSeed % 11);
        if (uint256(limit) <= uint256(Limit.PilotFinancingCap)) {
            uint256 base = [SUPPLIER_CAP, BANK_CAP, BUYER_CAP, PILOT_CAP][uint256(limit)];
            _setCap(limit, bound(value, base / 4, base * 2));
            return;
        }
        Policy memory pol = _controller.policy();
        if (limit == Limit.MaxParticipants) value = bound(value, pol.admittedCount, pol.admittedCount + 4);
        else if (limit == Limit.MaxTenorDays) value = bound(value, 30, MAX_TENOR_DAYS);
        else if (limit == Limit.RateCeilingBps) value = bound(value, 0, MAX_RATE_CEILING);
        else if (limit == Limit.MinPieceAmount) value = bound(value, 1, MIN_PIECE);
        else if (limit == Limit.MaxTierDepth) value = bound(value, 1, MAX_TIER);
        else if (limit == Limit.GracePeriodDays) value = bound(value, 0, pol.defaultThresholdDays);
        else value = bound(value, pol.gracePeriodDays, DEFAULT_DAYS * 2);
        if (_govLimit(limit, value)) _ok(this.changeLimit.selector);
    }

    // ---- Ghost bookkeeping -----------------------------------------------------------------

    function _checkAdvance(
        bytes32 id,
        Piece memory p,
        uint256 advancePaid,
        uint256 rate,
        uint256 holderBefore,
        uint256 bankBefore,
        address bank
    ) private {
        uint256 due = ghostInvoice[id].dueDate;
        uint256 span = due > block.timestamp ? due - block.timestamp : 0;
        uint256 days_ = span / 1 days + (span % 1 days == 0 ? 0 : 1);
        uint256 expected = p.amount - (p.amount * rate * days_) / K;
        // Written without subtraction, so a wrong direction is flagged rather than reverting.
        if (
            advancePaid != expected ||
            advancePaid > p.amount ||
            _token.balanceOf(p.holder) != holderBefore + expected ||
            _token.balanceOf(bank) + expected != bankBefore
        ) advanceMismatch = true;
    }

    /// @dev Adds the PieceSettled events of one payment to the pieces' ghost receipts.
    function _recordSettlements(bytes32 id, IVm.Log[] memory logs) private {
        for (uint256 j = 0; j < logs.length; ++j) {
            IVm.Log memory log = logs[j];
            if (log.emitter != address(_ledger) || log.topics[0] != IReceivableLedger.PieceSettled.selector) continue;
            if (log.topics[1] != id) continue;
            (uint256 index, uint256 share) = abi.decode(log.data, (uint256, uint256));
            ghostPiece[id][index].received += share;
            settledFromEvents += share;
        }
    }

    function _hasFinancedPiece(bytes32 id, uint256 pieceCount) private view returns (bool) {
        for (uint256 i = 0; i < pieceCount; ++i) if (ghostPiece[id][i].approvals != 0) return true;
        return false;
    }

    function _noteCapRefusal(bytes memory err) private {
        if (err.length < 4) return;
        bytes4 selector = bytes4(err);
        if (selector == ISandboxErrors.SupplierFinancingCapExceeded.selector) ++capRefusals[0];
        else if (selector == ISandboxErrors.BankExposureCapExceeded.selector) ++capRefusals[1];
        else if (selector == ISandboxErrors.BuyerOutstandingCapExceeded.selector) ++capRefusals[2];
        else if (selector == ISandboxErrors.PilotFinancingCapExceeded.selector) ++capRefusals[3];
    }

    /// @dev Sets a cap and tracks the highest value it had and whether it was ever lowered.
    /// The first setting (from "no cap" in the constructor) is not a lowering.
    function _setCap(Limit limit, uint256 value) private {
        uint256 which = uint256(limit);
        bool lowering = maxCapSeen[which] != 0 && value < _capValue(limit);
        if (!_govLimit(limit, value)) return;
        if (lowering) capLowered[which] = true;
        if (value > maxCapSeen[which]) maxCapSeen[which] = value;
    }

    /// @dev Sets a limit as the first regulator that is active; false when none is.
    function _govLimit(Limit limit, uint256 value) private returns (bool) {
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(_regulator(i));
            try _controller.setLimit(limit, value, "policy review") {
                return true;
            } catch {}
        }
        return false;
    }

    /// @dev One of the three regulators the handler uses (the first admitted by the constructor).
    function _regulator(uint256 seed) private pure returns (address) {
        uint256 i = seed % 3;
        return i == 0 ? REGULATOR : (i == 1 ? REGULATOR_2 : REGULATOR_3);
    }

    /// @dev A participant the regulator governs, with its one role: the ten lifecycle actors, the
    /// regulators and the operators.
    function _governed(uint256 seed) private view returns (address account, Role role) {
        uint256 i = seed % (SUPPLIER_COUNT + 4 + 5);
        if (i < SUPPLIER_COUNT + 4) {
            account = _participant(i);
            role = i < SUPPLIER_COUNT ? Role.Supplier : (i < SUPPLIER_COUNT + 2 ? Role.CoreEnterprise : Role.Bank);
        } else if (i < SUPPLIER_COUNT + 7) {
            account = _regulator(i - SUPPLIER_COUNT - 4);
            role = Role.Regulator;
        } else {
            account = i == SUPPLIER_COUNT + 7 ? OPERATOR : OPERATOR_2;
            role = Role.Operator;
        }
    }

    /// @dev Seconds the ghost clock says the sandbox was paused since `from` (up to now).
    function ghostPausedSince(uint256 from) public view returns (uint256 total) {
        for (uint256 i = 0; i < pauseStarts.length; ++i) {
            uint256 end = pauseEnds[i] == 0 ? block.timestamp : pauseEnds[i];
            uint256 start = pauseStarts[i] > from ? pauseStarts[i] : from;
            if (end > start) total += end - start;
        }
    }

    /// @dev The chain time is not past `due` plus `thresholdDays` of unpaused time.
    function _tooEarly(uint256 due, uint256 thresholdDays) private view returns (bool) {
        return block.timestamp <= due + thresholdDays * 1 days + ghostPausedSince(due);
    }

    function _capValue(Limit limit) private view returns (uint256) {
        Policy memory pol = _controller.policy();
        if (limit == Limit.SupplierFinancingCap) return pol.supplierFinancingCap;
        if (limit == Limit.BankExposureCap) return pol.bankExposureCap;
        if (limit == Limit.BuyerOutstandingCap) return pol.buyerOutstandingCap;
        return pol.pilotFinancingCap;
    }

    function _fund(address account, uint256 amount) private {
        _mint(account, amount);
        minted += amount;
    }

    function _count(bytes4 selector) private {
        ++calls[selector];
    }

    function _ok(bytes4 selector) private {
        ++successes[selector];
    }

    // ---- Picking targets -------------------------------------------------------------------

    /// @dev The first invoice from a fuzzed start that satisfies `eligible`.
    function _pickInvoice(
        uint256 seed,
        function(bytes32, Invoice memory) view returns (bool) eligible
    ) private view returns (bool found, bytes32 id) {
        uint256 n = invoiceIds.length;
        for (uint256 k = 0; k < n; ++k) {
            id = invoiceIds[((seed % n) + k) % n];
            if (eligible(id, _ledger.invoice(id))) return (true, id);
        }
        return (false, bytes32(0));
    }

    /// @dev The first piece from a fuzzed start (over invoices, then pieces) that satisfies `eligible`.
    function _pickPiece(
        uint256 seed,
        function(Invoice memory, Piece memory) view returns (bool) eligible
    ) private view returns (bool found, bytes32 id, uint256 index, Piece memory p) {
        uint256 n = invoiceIds.length;
        for (uint256 k = 0; k < n; ++k) {
            id = invoiceIds[((seed % n) + k) % n];
            Invoice memory inv = _ledger.invoice(id);
            if (inv.pieceCount == 0) continue;
            Piece[] memory all = _ledger.pieces(id);
            uint256 start = (seed >> 128) % all.length;
            for (uint256 j = 0; j < all.length; ++j) {
                index = (start + j) % all.length;
                if (eligible(inv, all[index])) return (true, id, index, all[index]);
            }
        }
        return (false, bytes32(0), 0, p);
    }

    function _isSubmitted(bytes32, Invoice memory inv) private pure returns (bool) {
        return inv.status == InvoiceStatus.Submitted;
    }

    function _isConfirmed(bytes32, Invoice memory inv) private pure returns (bool) {
        return inv.status == InvoiceStatus.Confirmed;
    }

    function _isConfirmedOrOverdue(bytes32, Invoice memory inv) private pure returns (bool) {
        return inv.status == InvoiceStatus.Confirmed || inv.status == InvoiceStatus.Overdue;
    }

    function _isPayable(bytes32, Invoice memory inv) private pure returns (bool) {
        InvoiceStatus s = inv.status;
        return s == InvoiceStatus.Confirmed || s == InvoiceStatus.Overdue || s == InvoiceStatus.Defaulted;
    }

    function _isPayableDue(bytes32 id, Invoice memory inv) private view returns (bool) {
        return _isPayable(id, inv) && block.timestamp >= inv.dueDate;
    }

    function _isLive(bytes32, Invoice memory inv) private pure returns (bool) {
        InvoiceStatus s = inv.status;
        return s != InvoiceStatus.Disputed && s != InvoiceStatus.Settled;
    }

    function _isMovable(Invoice memory inv) private view returns (bool) {
        return inv.status == InvoiceStatus.Confirmed && inv.paidAmount == 0 && block.timestamp < inv.dueDate;
    }

    function _isOverdueDue(bytes32, Invoice memory inv) private view returns (bool) {
        (uint256 overdueAt, ) = _controller.settlementDeadlines(inv.dueDate);
        return inv.status == InvoiceStatus.Confirmed && block.timestamp > overdueAt;
    }

    function _isDefaultDue(bytes32, Invoice memory inv) private view returns (bool) {
        (, uint256 defaultAt) = _controller.settlementDeadlines(inv.dueDate);
        return
            (inv.status == InvoiceStatus.Confirmed || inv.status == InvoiceStatus.Overdue) &&
            block.timestamp > defaultAt;
    }

    function _isMovableActive(Invoice memory inv, Piece memory p) private view returns (bool) {
        return _isMovable(inv) && p.status == PieceStatus.Active;
    }

    function _isLocked(Invoice memory, Piece memory p) private pure returns (bool) {
        return p.status == PieceStatus.Locked;
    }

    function _isLockedMovable(Invoice memory inv, Piece memory p) private view returns (bool) {
        return _isMovable(inv) && p.status == PieceStatus.Locked;
    }

    function _isAnyPiece(Invoice memory, Piece memory) private pure returns (bool) {
        return true;
    }

    function _isRecourseCandidate(Invoice memory inv, Piece memory p) private view returns (bool) {
        if (p.status != PieceStatus.Financed) return false;
        InvoiceStatus s = inv.status;
        (, uint256 defaultAt) = _controller.settlementDeadlines(inv.dueDate);
        return
            s == InvoiceStatus.Defaulted ||
            ((s == InvoiceStatus.Confirmed || s == InvoiceStatus.Overdue) && block.timestamp > defaultAt);
    }

    // ---- Small helpers ---------------------------------------------------------------------

    /// @dev Mostly a whole transfer or a split both sides of which meet the minimum piece;
    /// one time in eight, any amount up to the piece (which the minimum may refuse).
    function _transferAmount(uint256 pieceAmount, uint256 seed) private pure returns (uint256) {
        if (seed % 8 == 0) return bound(seed >> 8, 1, pieceAmount);
        if (seed % 3 == 0 || pieceAmount < 2 * MIN_PIECE) return pieceAmount;
        return bound(seed >> 8, MIN_PIECE, pieceAmount - MIN_PIECE);
    }

    /// @dev Any of the ten participants: suppliers, then core enterprises, then banks.
    function _participant(uint256 seed) private view returns (address) {
        uint256 i = seed % (SUPPLIER_COUNT + 4);
        if (i < SUPPLIER_COUNT) return suppliers[i];
        if (i < SUPPLIER_COUNT + 2) return buyers[i - SUPPLIER_COUNT];
        return banks[i - SUPPLIER_COUNT - 2];
    }

    /// @dev Balances of every account that can hold a piece: suppliers, then banks.
    function _holderBalances() private view returns (uint256[] memory b) {
        b = new uint256[](SUPPLIER_COUNT + 2);
        for (uint256 i = 0; i < SUPPLIER_COUNT; ++i) b[i] = _token.balanceOf(suppliers[i]);
        b[SUPPLIER_COUNT] = _token.balanceOf(banks[0]);
        b[SUPPLIER_COUNT + 1] = _token.balanceOf(banks[1]);
    }

    function _digits(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        bytes memory out = new bytes(78);
        uint256 len;
        for (uint256 v = value; v != 0; v /= 10) out[len++] = bytes1(uint8(0x30 + (v % 10)));
        bytes memory reversed = new bytes(len);
        for (uint256 i = 0; i < len; ++i) reversed[i] = out[len - 1 - i];
        return string(reversed);
    }
}
