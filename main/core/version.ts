// A named import lets the bundler inline just this one field, not the whole package.json.
import { version } from '../../package.json';

/** Podbay's version, from package.json. */
export const podbayVersion: string = version;
