/** A transaction's executor was used after the transaction committed or rolled back. */
export class TransactionFinishedError extends Error {
  readonly code = 'TRANSACTION_FINISHED';
  constructor() {
    super('The transaction has already finished; use the executor only inside the transaction callback');
    this.name = 'TransactionFinishedError';
  }
}
