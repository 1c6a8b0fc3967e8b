import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixedUpstreamSentence, notNeededOn, patchesRoot } from '../../harness/variants/series.js';
import { tempDir } from '../helpers.js';

const patchesDir = (series: string) => join(patchesRoot(), series);

async function fixWithReadme(text: string): Promise<string> {
  const dir = join(await tempDir(), 'a-fix');
  await mkdir(dir);
  await writeFile(join(dir, 'README.md'), text);
  return dir;
}

t.test('the releases a fix\'s README says it is not needed on', async (t) => {
  const both = await fixWithReadme('# a fix\n\nA fix. Base: 10.2. Not needed on 7.2 or 10.0\n(below). One patch.\n');
  t.equal(await notNeededOn(both, '7.2'), 'Not needed on 7.2 or 10.0 (below).');
  t.ok(await notNeededOn(both, '10.0'));
  t.equal(await notNeededOn(both, '10.2'), undefined, 'the release it is for');
  t.equal(await notNeededOn(both, '8.0'), undefined, 'a release the sentence does not name');

  const later = await fixWithReadme('Not needed on 7.2 (it has no graph lock), and of no use on 10.1 and later (below): no version for them.\n');
  t.ok(await notNeededOn(later, '7.2'));
  t.ok(await notNeededOn(later, '10.1'), '"and later" takes the release itself');
  t.ok(await notNeededOn(later, '10.2'));
  t.ok(await notNeededOn(later, '11.0'));
  t.equal(await notNeededOn(later, '10.0'), undefined);
  t.equal(await notNeededOn(later, '9.2'), undefined);

  t.equal(await notNeededOn(await fixWithReadme('A fix with no such sentence. QEMU 7.2.\n'), '7.2'), undefined);
  t.equal(await notNeededOn(join(await tempDir(), 'none'), '7.2'), undefined, 'no README');
});

t.test('a fix that upstream made too: the commit, and the releases that have it', async (t) => {
  const dir = patchesDir('kvm-route-exhaustion-fallback');
  t.match(await fixedUpstreamSentence(dir), /^Fixed upstream by e34f4d87e8 \("kvm: error out of kvm_irqchip_add_msi_route\(\) in case of full route table", .*QEMU 9\.0\)\.$/);
  t.equal(await notNeededOn(dir, '7.2'), undefined, 'the release the fix is for');
  t.ok(await notNeededOn(dir, '10.0'));
  t.ok(await notNeededOn(dir, '10.2'));
  t.equal(await fixedUpstreamSentence(patchesDir('drive-unit-lookup')), undefined, 'a fix upstream does not have');
});
