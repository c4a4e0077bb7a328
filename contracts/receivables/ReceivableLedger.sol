// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISandboxController} from "../sandbox/ISandboxController.sol";
import {SettlementToken} from "../token/SettlementToken.sol";
import {FinancingDesk} from "./FinancingDesk.sol";
import {InvoiceBook} from "./InvoiceBook.sol";
import {SettlementDesk} from "./SettlementDesk.sol";

/**
 * @dev The deployed receivable ledger: invoices ({InvoiceBook}), pieces ({PieceBook}), financing
 * ({FinancingDesk}) and settlement ({SettlementDesk}) over one storage, so a lifecycle step pays
 * for one cross-contract call (to the sandbox controller) and no more.
 */
contract ReceivableLedger is SettlementDesk {
    constructor(
        ISandboxController controller_,
        SettlementToken token_
    ) InvoiceBook(controller_) FinancingDesk(token_) {}
}
