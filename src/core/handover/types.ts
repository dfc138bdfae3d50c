/** The report types live in the contract (src/shared/handover.ts); re-exported for this module's files. */
export * from '../../shared/handover';
