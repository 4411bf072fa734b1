import { Hourglass } from 'lucide-react';
import { useState } from 'react';
import { useSignIn } from '../api/queries';
import { ForgotPassword } from './auth/ForgotPassword';

/** Email + password sign-in; the session is a cookie, the CSRF token comes back with it. */
export function SignIn() {
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [forgot, setForgot] = useState(false);
  if (forgot) return <ForgotPassword initialEmail={email} onBack={() => setForgot(false)} />;
  return (
    <main className="signin">
      <form
        className="signin-card"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate({ email, password });
        }}
      >
        <div className="signin-brand">
          <Hourglass size={26} /> Hourglass
        </div>
        <h1>Sign in</h1>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {signIn.error && (
          <p className="field-error" role="alert">
            {signIn.error.message || 'Could not sign in'}
          </p>
        )}
        <button type="submit" className="btn primary wide" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className="link-btn" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
      </form>
    </main>
  );
}
