// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReceivableLedger} from "../../contracts/receivables/ReceivableLedger.sol";
import {
    Financing,
    FinancingStatus,
    Invoice,
    InvoiceStatus,
    Piece,
    PieceStatus
} from "../../contracts/receivables/ReceivableTypes.sol";
import {SandboxController} from "../../contracts/sandbox/SandboxController.sol";
import {Participant, Policy, Role} from "../../contracts/sandbox/SandboxTypes.sol";
import {SettlementToken} from "../../contracts/token/SettlementToken.sol";
import {Assertions} from "../utils/Assertions.sol";
import {InvariantTest} from "../utils/InvariantTest.sol";
import {REGULATOR} from "../utils/SandboxFixture.sol";
import {LedgerHandlerBase} from "./LedgerHandler.sol";

/// @dev Participants whose exposure is checked: 6 suppliers, 2 core enterprises, 2 banks.
uint256 constant ACTORS = 10;

/// @dev The handler, declared here so that running this file alone yields its artifact (see
/// {LedgerHandlerBase}).
contract LedgerHandler is LedgerHandlerBase {}

/**
 * @dev Invariants of the receivable lifecycle under random sequences of steps by random admitted
 * actors ({LedgerHandler}), with a restrictive policy whose caps bind and which the regulator
 * changes during the run. Only the handler's action functions are called by the fuzzer.
 *
 * The handler catches every refusal of the contracts, so a call that reverts is a bug in the
 * handler (it would silently drop a step from the ghost state): each invariant runs with
 * `fail_on_revert`.
 */
contract LedgerInvariantTest is InvariantTest, Assertions {
    LedgerHandler private _handler;
    ReceivableLedger private _ledger;
    SandboxController private _controller;
    SettlementToken private _token;
    address[ACTORS] private _actors;

    /// @dev What the ghost state implies each participant's exposure counter should be.
    struct Expected {
        uint256[ACTORS] outstanding;
        uint256 pilotFinanced;
    }

    function setUp() public {
        _handler = new LedgerHandler();
        _ledger = _handler.ledger();
        _controller = _handler.controller();
        _token = _handler.token();
        for (uint256 i = 0; i < 6; ++i) _actors[i] = _handler.suppliers(i);
        for (uint256 i = 0; i < 2; ++i) {
            _actors[6 + i] = _handler.buyers(i);
            _actors[8 + i] = _handler.banks(i);
        }

        targetContract(address(_handler));
        // A selector listed n times is called n times as often. `advance` (16 of 48) carries
        // receivables through their lifecycle; the single steps (1 or 2 each) explore odd orders,
        // and the regulator's and operator's controls (8 of 48) change the ground under them.
        bytes4[] memory selectors = new bytes4[](48);
        uint256 k;
        k = _weight(selectors, k, LedgerHandlerBase.advance.selector, 16);
        k = _weight(selectors, k, LedgerHandlerBase.submit.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.resubmit.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.confirm.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.dispute.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.transfer.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.requestFinancing.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.cancelFinancing.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.approveFinancing.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.rejectFinancing.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.pay.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.markOverdue.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.markDefaulted.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.claimRecourse.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.warp.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.setLimit.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.mint.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.burn.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.pauseOrResume.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.admission.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.freezing.selector, 2);
        k = _weight(selectors, k, LedgerHandlerBase.windDown.selector, 1);
        k = _weight(selectors, k, LedgerHandlerBase.changeLimit.selector, 1);
        assertEq(k, selectors.length, "selector weights");
        targetSelector(FuzzSelector(address(_handler), selectors));
    }

    /// The pieces of every confirmed invoice sum to its face amount, and match the ghost pieces.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_piecesSumToFace() public view {
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            LedgerHandlerBase.GhostInvoice memory g = _handler.invoiceGhost(id);
            Invoice memory inv = _ledger.invoice(id);
            assertEq(inv.faceAmount, g.face, "face amount changed");
            if (!g.confirmed) {
                assertEq(inv.pieceCount, 0, "unconfirmed invoice has pieces");
                continue;
            }
            assertEq(inv.pieceCount, g.pieceCount, "piece count differs from ghost");
            Piece[] memory all = _ledger.pieces(id);
            uint256 sum;
            for (uint256 i = 0; i < all.length; ++i) {
                assertEq(all[i].amount, _handler.pieceGhost(id, i).amount, "piece amount differs from ghost");
                assertGe(all[i].tier, 1, "piece below tier 1");
                assertLe(all[i].tier, _handler.MAX_TIER(), "piece deeper than the maximum tier");
                sum += all[i].amount;
            }
            assertEq(sum, inv.faceAmount, "pieces do not sum to the face amount");
        }
    }

    /// No invoice key is tokenized twice: every resubmission of an existing key (in any case and
    /// separator variant) was refused with InvoiceAlreadyExists, and every successful submission
    /// produced a new id.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_noInvoiceTokenizedTwice() public view {
        assertFalse(_handler.duplicateAccepted(), "an existing invoice key was tokenized again");
        assertFalse(_handler.duplicateWrongError(), "a duplicate was refused with another error");
        assertEq(_handler.distinctIds(), _handler.successfulSubmissions(), "submissions != distinct ids");
        assertEq(_handler.invoiceCount(), _handler.distinctIds(), "ghost id list");
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            LedgerHandlerBase.GhostInvoice memory g = _handler.invoiceGhost(id);
            Invoice memory inv = _ledger.invoice(id);
            assertEq(inv.seller, g.seller, "invoice seller overwritten");
            assertEq(inv.buyer, g.buyer, "invoice buyer overwritten");
            assertEq(inv.dueDate, g.dueDate, "invoice due date overwritten");
        }
    }

    /// No piece is financed twice: each piece was approved at most once, never while financed or
    /// recoursed, and the ledger's piece and financing states agree with that history.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_noPieceFinancedTwice() public view {
        assertFalse(_handler.doubleFinanced(), "a piece was approved twice or while not locked");
        assertFalse(_handler.refinanceRequested(), "a financed piece was put under a new request");
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            uint256 count = _ledger.invoice(id).pieceCount;
            for (uint256 i = 0; i < count; ++i) {
                LedgerHandlerBase.GhostPiece memory gp = _handler.pieceGhost(id, i);
                assertLe(gp.approvals, 1, "piece approved more than once");
                Piece memory p = _ledger.piece(id, i);
                Financing memory f = _ledger.financing(id, i);
                if (gp.approvals == 0) {
                    assertTrue(p.status == PieceStatus.Active || p.status == PieceStatus.Locked, "unfinanced status");
                    assertTrue(f.status != FinancingStatus.Approved, "approval the ghost did not see");
                    assertTrue(f.status != FinancingStatus.Recoursed, "recourse on an unfinanced piece");
                } else if (gp.recoursed) {
                    assertTrue(p.status == PieceStatus.Recoursed, "recoursed piece status");
                    assertTrue(f.status == FinancingStatus.Recoursed, "recoursed financing status");
                    assertEq(p.holder, gp.financedParty, "recoursed piece not back with the financed party");
                } else {
                    assertTrue(p.status == PieceStatus.Financed, "financed piece status");
                    assertTrue(f.status == FinancingStatus.Approved, "financed financing status");
                    assertEq(p.holder, gp.bank, "financed piece not held by its bank");
                    assertEq(f.financedParty, gp.financedParty, "financed party");
                }
            }
        }
    }

    /**
     * What holders received is what buyers paid, less the rounding remainders the buyers keep: the
     * PieceSettled events and the holders' balance increases agree. Each piece has received exactly
     * its cumulative floor share floor(paid * amount / face), so a fully paid invoice paid each
     * piece in full; an invoice's remainder is under 1 fen per piece, and the ledger never holds
     * any settlement token (nothing can be stranded in it).
     * forge-config: invariant.fail_on_revert = true
     */
    function invariant_holdersReceiveWhatBuyersPaid() public view {
        assertEq(_token.balanceOf(address(_ledger)), 0, "the ledger holds settlement tokens");
        assertEq(_handler.settledFromEvents(), _handler.settledFromBalances(), "events and balances disagree");

        uint256 remainders;
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            LedgerHandlerBase.GhostInvoice memory g = _handler.invoiceGhost(id);
            if (!g.confirmed) continue;
            assertEq(_ledger.invoice(id).paidAmount, g.paid, "paid amount differs from ghost");
            uint256 sharesTotal;
            for (uint256 i = 0; i < g.pieceCount; ++i) {
                LedgerHandlerBase.GhostPiece memory gp = _handler.pieceGhost(id, i);
                assertEq(gp.received, (g.paid * gp.amount) / g.face, "piece did not receive its floor share");
                if (g.paid == g.face) assertEq(gp.received, gp.amount, "fully paid invoice left a piece short");
                sharesTotal += gp.received;
            }
            uint256 bound_ = g.pieceCount == 0 ? 1 : g.pieceCount;
            assertLt(g.paid - sharesTotal, bound_, "remainder of a fen per piece or more");
            remainders += g.paid - sharesTotal;
        }
        assertEq(_handler.settledFromBalances() + remainders, _handler.totalPaid(), "settled + remainders != paid");
    }

    /**
     * Outstanding financing per supplier, exposure per bank, confirmed outstanding per core
     * enterprise and the pilot's financed volume never exceed their caps: not the cap in force
     * when the counter last rose (it only falls in between), not the highest value the cap ever
     * had, and not the current cap unless the regulator lowered it meanwhile.
     * forge-config: invariant.fail_on_revert = true
     */
    function invariant_exposureWithinCaps() public view {
        Policy memory pol = _controller.policy();
        uint256[4] memory current = [
            uint256(pol.supplierFinancingCap),
            pol.bankExposureCap,
            pol.buyerOutstandingCap,
            pol.pilotFinancingCap
        ];
        for (uint256 a = 0; a < ACTORS; ++a) {
            uint256 kind = a < 6 ? 0 : (a < 8 ? 2 : 1);
            _checkWithinCap(
                _controller.participant(_actors[a]).outstanding,
                _handler.capAtLastIncrease(_actors[a]),
                kind,
                current[kind]
            );
        }
        _checkWithinCap(pol.pilotFinanced, _handler.pilotCapAtLastIncrease(), 3, current[3]);
    }

    function _checkWithinCap(uint256 value, uint256 capAtIncrease, uint256 kind, uint256 currentCap) private view {
        assertLe(value, capAtIncrease, "exposure above the cap in force when it last rose");
        assertLe(value, _handler.maxCapSeen(kind), "exposure above every cap ever set");
        if (!_handler.capLowered(kind)) assertLe(value, currentCap, "exposure above a cap never lowered");
    }

    /**
     * Each exposure counter equals what the ghost state implies: for a supplier, the unpaid face of
     * the pieces financed for it and not recoursed; for a bank, the same over the pieces it
     * financed; for a core enterprise, the unpaid face of its confirmed invoices; for the pilot,
     * the face of every financing approved.
     * forge-config: invariant.fail_on_revert = true
     */
    function invariant_exposureMatchesGhost() public view {
        Expected memory e = _expectedExposure();
        for (uint256 a = 0; a < ACTORS; ++a) {
            assertEq(_controller.participant(_actors[a]).outstanding, e.outstanding[a], "exposure differs from ghost");
        }
        assertEq(_controller.policy().pilotFinanced, e.pilotFinanced, "pilot financed differs from ghost");
        assertEq(_handler.pilotFinanced(), e.pilotFinanced, "pilot financed ghost total");
    }

    /// The settlement token's supply is what the operator minted minus what holders burned.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_tokenSupplyIsMintedMinusBurned() public view {
        assertEq(_token.totalSupply(), _handler.minted() - _handler.burned(), "supply != minted - burned");
    }

    /**
     * Each step moved exactly what it should and only for the actor entitled to it: approvals paid
     * amount - floor(amount * rate * days / 3_600_000) from the bank to the holder, recourse took
     * the piece's unpaid share from the financed party, payments only credited holders, no wrong
     * actor's step succeeded, and no receivable was marked overdue or defaulted (or recoursed)
     * before its time.
     * forge-config: invariant.fail_on_revert = true
     */
    function invariant_stepsMoveExactAmounts() public view {
        assertFalse(_handler.advanceMismatch(), "approval paid an advance other than the floored one");
        assertFalse(_handler.recourseMismatch(), "recourse moved an amount other than the unpaid share");
        assertFalse(_handler.unauthorizedSuccess(), "a step succeeded for an actor not entitled to it");
        assertFalse(_handler.earlyMark(), "overdue, default or recourse before its time");
        assertFalse(_handler.holderCharged(), "a holder's balance fell during a payment");
        assertFalse(_handler.aboveRequestedRate(), "an approval applied a rate above the holder's maximum");
    }

    /// An active regulator always exists, whatever the regulators did to each other: one admitted
    /// without expiry and not frozen, able to lift a pause.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_activeRegulatorExists() public view {
        address[3] memory regulators = [REGULATOR, _handler.REGULATOR_2(), _handler.REGULATOR_3()];
        bool standing;
        for (uint256 i = 0; i < regulators.length; ++i) {
            Participant memory p = _controller.participant(regulators[i]);
            if (p.role == Role.Regulator && !p.frozen && p.admittedUntil == type(uint32).max) standing = true;
        }
        assertTrue(standing, "no regulator can resume the sandbox");
    }

    /// A buyer can always pay while the sandbox runs, unless it or the receivable is frozen: no
    /// removal, expiry, cap, limit or wind-down stops settlement.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_unfrozenBuyerCanPay() public view {
        assertFalse(_handler.buyerBlocked(), "a running sandbox refused an unfrozen buyer's payment");
    }

    /// No pause makes a receivable overdue or defaulted: every mark (and the standing view) counts
    /// only unpaused time after the due date against the grace period and default threshold.
    /// forge-config: invariant.fail_on_revert = true
    function invariant_noPauseMakesOverdue() public view {
        assertFalse(_handler.earlyMark(), "marked overdue or defaulted counting paused time");
        Policy memory pol = _controller.policy();
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            Invoice memory inv = _ledger.invoice(id);
            if (inv.status != InvoiceStatus.Confirmed && inv.status != InvoiceStatus.Overdue) continue;
            InvoiceStatus standing = _ledger.standing(id);
            uint256 late = block.timestamp > inv.dueDate ? block.timestamp - inv.dueDate : 0;
            uint256 paused = _handler.ghostPausedSince(inv.dueDate);
            uint256 unpaused = late > paused ? late - paused : 0;
            if (standing == InvoiceStatus.Defaulted) {
                assertGt(unpaused, uint256(pol.defaultThresholdDays) * 1 days, "defaulted by paused time");
            } else if (standing == InvoiceStatus.Overdue && inv.status == InvoiceStatus.Confirmed) {
                // (An invoice marked overdue stays so if the regulator lengthens the grace period.)
                assertGt(unpaused, uint256(pol.gracePeriodDays) * 1 days, "overdue by paused time");
            }
        }
    }

    function _weight(bytes4[] memory list, uint256 k, bytes4 selector, uint256 n) private pure returns (uint256) {
        for (uint256 i = 0; i < n; ++i) list[k + i] = selector;
        return k + n;
    }

    function _expectedExposure() private view returns (Expected memory e) {
        uint256 n = _handler.invoiceCount();
        for (uint256 k = 0; k < n; ++k) {
            bytes32 id = _handler.invoiceIds(k);
            LedgerHandlerBase.GhostInvoice memory g = _handler.invoiceGhost(id);
            if (!g.confirmed) continue;
            e.outstanding[_indexOf(g.buyer)] += g.face - g.paid;
            for (uint256 i = 0; i < g.pieceCount; ++i) {
                LedgerHandlerBase.GhostPiece memory gp = _handler.pieceGhost(id, i);
                if (gp.approvals == 0) continue;
                e.pilotFinanced += gp.amount;
                if (gp.recoursed) continue;
                uint256 unpaid = gp.amount - (g.paid * gp.amount) / g.face;
                e.outstanding[_indexOf(gp.bank)] += unpaid;
                e.outstanding[_indexOf(gp.financedParty)] += unpaid;
            }
        }
    }

    function _indexOf(address account) private view returns (uint256) {
        for (uint256 a = 0; a < ACTORS; ++a) if (_actors[a] == account) return a;
        revert AssertionFailedAddress("not a participant", account, address(0));
    }
}
