import { Hourglass } from 'lucide-react';
import type { ReactNode } from 'react';
import { navigate } from '../../router';

/** The centred card of the pages reached from a link or signed out (sign-in, invitation, reset). */
export function PublicCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="signin">
      <div className="signin-card">
        <div className="signin-brand">
          <Hourglass size={26} /> Hourglass
        </div>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** A link back to the app's start (the sign-in page when signed out). */
export function HomeLink({ children }: { children: ReactNode }) {
  return (
    <a
      href="/"
      className="btn primary wide"
      onClick={(e) => {
        e.preventDefault();
        navigate('/');
      }}
    >
      {children}
    </a>
  );
}

/** The minimum the server asks of a new password. */
export const MIN_PASSWORD = 10;

/** Why a new password cannot be used yet, or null. */
export function newPasswordProblem(password: string, repeat: string): string | null {
  if (password.length < MIN_PASSWORD) return `At least ${MIN_PASSWORD} characters.`;
  if (password !== repeat) return 'The two passwords differ.';
  return null;
}

/** A new password typed twice. */
export function NewPasswordFields(props: {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  /** Show the problem (after a first submit). */
  tried: boolean;
}) {
  const problem = newPasswordProblem(props.password, props.repeat);
  return (
    <>
      <label htmlFor="new-password">New password</label>
      <input
        id="new-password"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSWORD}
        required
        value={props.password}
        onChange={(e) => props.onPassword(e.target.value)}
      />
      <label htmlFor="repeat-password">Repeat the new password</label>
      <input
        id="repeat-password"
        type="password"
        autoComplete="new-password"
        required
        value={props.repeat}
        onChange={(e) => props.onRepeat(e.target.value)}
      />
      {props.tried && problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : (
        <p className="small muted">At least {MIN_PASSWORD} characters.</p>
      )}
    </>
  );
}
