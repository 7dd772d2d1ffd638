// The unprivileged user the rootless integration tests run the CLI as (created by test/setup/prepare-host.mjs).
export const rootlessTestUser = 'podbay-test';
