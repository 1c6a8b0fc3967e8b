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
  ['run'], // booting guests: trials, fleets, schedules
  ['report'], // tables, charts and documents
  ['bisect', 'review', 'pipeline', 'talk'], // workflows built on runs and reports
  ['commands'], // the command line, one file per command
];

const folder = (name) => `^harness/${name}/`;
const layerRules = layers.flatMap((layer, i) => {
  const notBelow = layers.slice(i).flat();
  return layer.map((name) => ({
    name: `layer-${name}`,
    comment: `harness/${name}/ may import only ${layers.slice(0, i).flat().join(', ') || 'nothing outside itself'}`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: `^harness/(${notBelow.filter((n) => n !== name).join('|')}|cli\\.ts)`.replace('(|', '(') },
  }));
});

module.exports = {
  forbidden: [
    ...layerRules,
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
