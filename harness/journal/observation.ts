// Moved to harness/record/; kept until run/ imports from there.
export { observationSchemaVersion as observationSchema, type Observation } from '../record/observation.js';
export { unmeasuredCounts, type Counts } from '../record/counts.js';
export type { GuestRecord, FleetRecord } from '../record/fleet.js';
export type { Outcome } from '../record/outcome.js';
export type { PhaseName, Phases } from '../record/phases.js';
export type { GuestMigration, MigrationOutcome, MigrationRecord } from '../record/migration.js';
