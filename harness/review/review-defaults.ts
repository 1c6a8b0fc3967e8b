// Apart from review-case.ts so that `emuflock review --help` can say it without loading reviews.

/** Where adaptive repetitions stop when neither the case nor --max-repetitions says: 5 → 10 → 20. */
export const defaultMaxRepetitions = 20;
