import type { RefObject } from 'react';

/** Username and password (or token) side by side, as the registry and push dialogs ask for them. */
export function CredentialFields({
  username,
  password,
  onUsername,
  onPassword,
  optional = false,
  usernameRef,
}: {
  username: string;
  password: string;
  onUsername: (value: string) => void;
  onPassword: (value: string) => void;
  optional?: boolean;
  usernameRef?: RefObject<HTMLInputElement | null>;
}) {
  return (
    <div className="form-row">
      <label className="form-field">
        <span className="form-label">Username{optional ? ' (optional)' : ''}</span>
        <input ref={usernameRef} className="input" name="username" autoComplete="username" value={username} onChange={(e) => onUsername(e.target.value)} />
      </label>
      <label className="form-field">
        <span className="form-label">Password or token</span>
        <input className="input" type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => onPassword(e.target.value)} />
      </label>
    </div>
  );
}
