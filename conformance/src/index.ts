/**
 * Reference OCM plugin host and conformance suite.
 * @module
 */
export {};
