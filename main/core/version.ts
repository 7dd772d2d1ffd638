import packageJson from '../../package.json' with { type: 'json' };

/** Podbay's version, from package.json (inlined by the bundler, so the CLI reads no file for it). */
export const podbayVersion: string = packageJson.version;
