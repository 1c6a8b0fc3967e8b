/**
 * emuflock's layering, enforced by dependency-cruiser in `make check` (`npm run lint:layers`).
 *
 * harness/ is a pipeline of folders. A folder may import its own files and the folders of the
 * layers below it, never one above it nor one of its own layer: a lower stage never learns about a
 * higher one, so each folder can be read, tested and changed knowing only what lies beneath.
 * Lowest first; DESIGN.md's layout section says what each folder holds.
 */
const layers = [
  ['core'], // processes, files, locks, text: what every stage uses
  ['arch', 'analyze'], // architecture specs; statistics (pure)
  ['record'], // what a trial produced: the Observation and its parts, one zod schema each
  ['debian'], // Debian's archive: packages and sources through a private apt view
  ['variants'], // QEMU variants: sources, patch series, builds
  ['case'], // case files and their matrix of points
  ['guest'], // guest assets: kernels, initramfs, the x86 probe
  ['measure'], // what is measured on the host and read from QEMU's output
  ['journal'], // observations and run directories on disk
  ['limits'], // host limits: needs, checks, remedies, capacity model
  ['compare'], // grouping and comparing observations
  ['run'], // booting guests: trials, fleets, schedules (in rooms: runRooms below)
  ['report'], // tables, charts and documents
  ['bisect', 'review', 'pipeline', 'talk'], // workflows built on runs and reports
  ['history'], // one case across QEMU sources: runs per source, change points, bisects of steps
  ['commands'], // the command line, one file per command
];

/**
 * run/ is one layer cut into rooms by concern, ordered the same way: a room imports its own
 * files and the rooms below it. The QEMU room knows nothing of guests, trials or runs, so
 * whatever starts a QEMU (a guest's session, a migration's destination) shares one.
 */
const runRooms = [
  ['qemu'], // one QEMU: its command line, process, sockets, QMP handshake
  ['session'], // one guest's life on a QEMU: its phases, console markers, directory
  ['trial', 'host'], // a trial (one guest, or a fleet and its migration); the host's checks before booting
  ['schedule'], // a run: the plan's trials in order, adaptive looks, progress, the summary
];

const folder = (name) => `^harness/${name}/`;

/**
 * One rule per folder of `order` (lowest rank first): it may not import a folder of its own
 * rank or above, nor `alsoAbove` (paths under `prefix` that sit above every rank).
 */
function orderRules(prefix, order, rulePrefix, alsoAbove = []) {
  return order.flatMap((rank, i) => {
    const forbidden = [...order.slice(i).flat(), ...alsoAbove];
    return rank
      .map((name) => ({ name, above: forbidden.filter((n) => n !== name) }))
      .filter(({ above }) => above.length > 0)
      .map(({ name, above }) => ({
        name: `${rulePrefix}-${name}`,
        comment: `${prefix}${name}/ may import only ${order.slice(0, i).flat().join(', ') || 'nothing outside itself'}`,
        severity: 'error',
        from: { path: `^${prefix}${name}/` },
        to: { path: `^${prefix}(${above.map((n) => (n.endsWith('.ts') ? n.replace('.', '\\.') : `${n}/`)).join('|')})` },
      }));
  });
}

const layerRules = orderRules('harness/', layers, 'layer', ['cli.ts']);
const runRoomRules = orderRules('harness/run/', runRooms, 'run-room');

module.exports = {
  forbidden: [
    ...layerRules,
    ...runRoomRules,
    {
      name: 'migration-below-fleet',
      comment: "A fleet's migration works on held guests; the fleet and the trial that run it stay above it.",
      severity: 'error',
      from: { path: '^harness/run/trial/migration/' },
      to: { path: '^harness/run/trial/[^/]+\\.ts$' },
    },
    {
      name: 'no-cycles',
      comment: 'Modules import one way: a cycle, type imports included, means a concept is split in the wrong place.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { circular: true },
    },
    {
      name: 'analyze-is-pure',
      comment: 'harness/analyze/ is arithmetic on numbers: no I/O, no processes, no other folder.',
      severity: 'error',
      from: { path: folder('analyze') },
      to: { pathNot: folder('analyze') },
    },
    {
      name: 'folders-only',
      comment: 'Only the entry point lives at the top of harness/; everything else belongs to a layer.',
      severity: 'error',
      from: { path: '^harness/[^/]+\\.ts$', pathNot: '^harness/cli\\.ts$' },
      to: {},
    },
    {
      name: 'run-rooms-only',
      comment: 'Every file of harness/run/ belongs to a room, and a new room gets its place in runRooms before it is used.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^harness/run/', pathNot: `^harness/run/(${runRooms.flat().join('|')})/` },
    },
    {
      name: 'known-folders',
      comment: 'A new folder of harness/ gets its place in the layers above before it is used.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^harness/', pathNot: `^harness/(${layers.flat().join('|')})/|^harness/cli\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
