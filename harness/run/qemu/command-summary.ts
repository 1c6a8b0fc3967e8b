/**
 * A QEMU command line as a user can read and rerun it: with thousands of disks the full line
 * is hundreds of kB, so runs of per-disk options are shown once and counted.
 */
export function summarizeCommandLine(binary: string, args: string[]): string {
  const out: string[] = [binary];
  let i = 0;
  while (i < args.length) {
    const opt = args[i]!;
    if (opt === '-blockdev' || opt === '-drive') {
      let j = i;
      while (j < args.length && (args[j] === '-blockdev' || args[j] === '-drive')) j += 4;
      const disks = (j - i) / 4;
      out.push(...args.slice(i, i + 4).map(quote));
      if (disks > 1) out.push(`[... ${disks - 1} more disks with the same options ...]`);
      i = j;
      continue;
    }
    out.push(quote(opt));
    i++;
  }
  return out.join(' ');
}

function quote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
