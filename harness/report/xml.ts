/** Escaping for XML and HTML text and attribute values (SVG, report.html, junit.xml). */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even escaped; a stray one in a QEMU error
    // message must not make junit.xml unreadable to the CI that collects it.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '\uFFFD');
}
