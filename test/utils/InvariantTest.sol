// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// The helpers keep forge-std's `StdInvariant` names, which tests written for Foundry already use.
// solhint-disable private-vars-leading-underscore

/**
 * @dev The target-selection hooks the invariant runner reads from a test contract, with the names
 * and return types of forge-std's `StdInvariant`: target contracts, target selectors and excluded
 * senders. Tests register them in `setUp`.
 */
abstract contract InvariantTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;
    address[] private _excludedSenders;

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetedSelectors.push(selector);
    }

    function excludeSender(address sender) internal {
        _excludedSenders.push(sender);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludedSenders;
    }
}
