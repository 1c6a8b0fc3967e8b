import t from 'tap';
import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applySeries } from '../../harness/variants/apply.js';
import { loadSeries } from '../../harness/variants/series.js';
import { tempDir } from '../helpers.js';
import { fixturesPatches } from './fixtures.js';

// A small git tree holding the first 20 lines of QEMU 7.2's hw/block/virtio-blk.c, enough
// for the fixture patches' first hunks.
const head = `/*
 * Virtio Block Device
 *
 * Copyright IBM, Corp. 2007
 *
 * Authors:
 *  Anthony Liguori   <aliguori@us.ibm.com>
 *
 * This work is licensed under the terms of the GNU GPL, version 2.  See
 * the COPYING file in the top-level directory.
 *
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/iov.h"
#include "qemu/module.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "trace.h"
`;

async function tree(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'hw', 'block'), { recursive: true });
  await writeFile(join(dir, 'hw', 'block', 'virtio-blk.c'), head + '\n'.repeat(40));
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', '-A'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base'], { cwd: dir });
  return dir;
}

t.test('a series that applies changes the tree', async (t) => {
  const dir = await tree();
  await applySeries(dir, [await loadSeries('broken-build', fixturesPatches)]);
  t.match(await readFile(join(dir, 'hw', 'block', 'virtio-blk.c'), 'utf8'), /#error "emuflock test fixture/);
});

t.test('a patch that does not apply names series, patch, file and hunk', async (t) => {
  const dir = await tree();
  await t.rejects(applySeries(dir, [await loadSeries('does-not-apply', fixturesPatches)]), {
    kind: 'input',
    message:
      /^series does-not-apply, patch 0001-context-that-does-not-exist\.patch \(.*0001-context-that-does-not-exist\.patch\): hw\/block\/virtio-blk\.c: hunk #2 \(@@ -40,6 \+41,7 @@\) does not apply$/,
  });
});

t.test('the hunk is found under a user locale that translates git (LANGUAGE=de)', async (t) => {
  const dir = await tree();
  const saved = { LANG: process.env.LANG, LANGUAGE: process.env.LANGUAGE };
  // Debian's git ships German messages; gettext honours LANGUAGE in any locale but C.
  Object.assign(process.env, { LANG: 'C.UTF-8', LANGUAGE: 'de' });
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  });
  const german = await execa('git', ['-C', dir, 'apply', '/nonexistent.patch'], { reject: false });
  t.notMatch(german.stderr, /^error:/, `git speaks the user's language here: ${german.stderr}`);
  await t.rejects(applySeries(dir, [await loadSeries('does-not-apply', fixturesPatches)]), {
    kind: 'input',
    message: /hw\/block\/virtio-blk\.c: hunk #2 \(@@ -40,6 \+41,7 @@\) does not apply$/,
  });
});

t.test('a patch whose file moved says where a file of that name now is', async (t) => {
  const dir = await tree();
  // As QEMU moved softmmu/memory.c to system/memory.c between 7.2 and 8.x.
  await mkdir(join(dir, 'hw', 'blockdev'));
  await execa('git', ['mv', 'hw/block/virtio-blk.c', 'hw/blockdev/virtio-blk.c'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'moved'], { cwd: dir });
  await t.rejects(applySeries(dir, [await loadSeries('broken-build', fixturesPatches)]), {
    kind: 'input',
    message: /hw\/block\/virtio-blk\.c: the file to patch does not exist in this source \(moved\? hw\/blockdev\/virtio-blk\.c has its name\)$/,
  });
});
