// Who is asking, for APIs that want to know (crates.io's crawler policy, any JSON API): the
// application, its version and where to reach its makers.
import { footprintVersion } from '../../version.js';

export function footprintUserAgent(): string {
  return `footprint/${footprintVersion()} (+https://github.com/footprint-app/footprint)`;
}
