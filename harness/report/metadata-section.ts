/**
 * The run's provenance as tables: everything a reviewer needs to judge whether two reports are
 * comparable (host, limits, QEMU builds, guest kernel), read from the trials themselves.
 */
import type { Block, Section } from './document-model.js';
import { runFacts } from './metadata.js';
import { shellLine } from '../core/shell-quote.js';
import type { ReportModel } from './model.js';

export function metadataSection(model: ReportModel): Section {
  const { manifest, observations } = model.run;
  const facts = runFacts(observations);
  const keyValues = (caption: string, rows: [string, string][]): Block => ({
    kind: 'table',
    caption,
    header: ['', ''],
    rows,
    numeric: [false, false],
  });
  const blocks: Block[] = [
    keyValues('Run', [
      ['run id', manifest.runId],
      ['started', manifest.createdAt],
      ['trials', `${facts.firstTrial ?? '-'} → ${facts.lastTrial ?? '-'}`],
      ['emuflock', manifest.emuflockVersion],
      // Quoted as the reproduce block quotes it: a pasted argument with a space or $ means the same.
      ['command', shellLine(manifest.argv)],
      ['seed', String(manifest.seed)],
      ...(manifest.adaptive
        ? [['adaptive repetitions', `${manifest.adaptive.metric}, threshold ${manifest.adaptive.threshold * 100}%, alpha ${manifest.adaptive.alpha}`] as [string, string]]
        : []),
    ]),
    ...facts.hosts.map((h, i) =>
      keyValues(facts.hosts.length > 1 ? `Host ${i + 1} of ${facts.hosts.length}` : 'Host', [
        ['hostname', h.hostname],
        ['kernel', h.kernel],
        ['arch', h.arch],
        ['CPUs', `${h.cpus} × ${h.cpuModel}`],
        ['memory', `${(h.memKiB / 1024 / 1024).toFixed(1)} GiB`],
        ...Object.entries(h.limits).map(([k, v]) => [`limit ${k}`, v === null ? 'unlimited / unknown' : String(v)] as [string, string]),
      ]),
    ),
    {
      kind: 'table',
      caption: 'QEMU variants',
      header: ['variant', 'QEMU', 'build key', 'series', 'binary sha256', 'binary'],
      rows: facts.variants.map((v) => [v.name, v.qemuVersion, v.buildKey, v.series.join(', ') || '-', v.binarySha256.slice(0, 16), v.binary]),
      numeric: [false, false, false, false, false, false],
    },
    {
      kind: 'table',
      caption: 'Guest',
      header: ['kernel package', 'kernel version', 'busybox'],
      rows: facts.guestAssets.map((g) => [g.kernelPackage, g.kernelVersion, g.busyboxVersion]),
      numeric: [false, false, false],
    },
  ];
  return { title: 'Run metadata', blocks };
}
