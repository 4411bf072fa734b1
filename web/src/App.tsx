import type { Me } from '@hourglass/contract';
import { Hourglass, LogOut, Mail, Route, Settings, UserRound, Users, UsersRound } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useMe, useSignOut, useSwitchWorkspace, useWorkspaces } from './api/queries';
import { JourneysPage } from './pages/JourneysPage';
import { NewWorkspaceDialog } from './pages/NewWorkspaceDialog';
import { SignIn } from './pages/SignIn';
import { navigate, usePath } from './router';
import { Toasts } from './ui/toast';

// Split by route: sign-in and the journey list load without the editor, the support views and the
// settings (each its own chunk, fetched when first opened).
const JourneyEditor = lazy(() =>
  import('./canvas/JourneyEditor').then((m) => ({ default: m.JourneyEditor })),
);
const AccountPage = lazy(() => import('./pages/AccountPage').then((m) => ({ default: m.AccountPage })));
const InvitePage = lazy(() => import('./pages/auth/InvitePage').then((m) => ({ default: m.InvitePage })));
const ResetPage = lazy(() => import('./pages/auth/ResetPage').then((m) => ({ default: m.ResetPage })));
const CustomerProfilePage = lazy(() =>
  import('./pages/CustomerProfilePage').then((m) => ({ default: m.CustomerProfilePage })),
);
const CustomersPage = lazy(() => import('./pages/CustomersPage').then((m) => ({ default: m.CustomersPage })));
const MessagesPage = lazy(() => import('./pages/MessagesPage').then((m) => ({ default: m.MessagesPage })));
const MessageDetailPage = lazy(() =>
  import('./pages/MessageDetailPage').then((m) => ({ default: m.MessageDetailPage })),
);
const RunPage = lazy(() => import('./pages/RunPage').then((m) => ({ default: m.RunPage })));
const SegmentsPage = lazy(() => import('./pages/SegmentsPage').then((m) => ({ default: m.SegmentsPage })));
const SettingsPage = lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })));

const loading = <div className="page-loading">Loading…</div>;

const NAV = [
  { path: '/journeys', label: 'Journeys', icon: Route },
  { path: '/customers', label: 'Customers', icon: Users },
  { path: '/segments', label: 'Segments', icon: UsersRound },
  { path: '/messages', label: 'Messages', icon: Mail },
  { path: '/settings', label: 'Settings', icon: Settings },
];

/** The application: public link pages, the sign-in gate, then the shell with navigation and the current page. */
export function App() {
  const me = useMe();
  const path = usePath();
  // Invitation and reset links work signed in or out (the token is the credential).
  const invite = /^\/invite\/([^/]+)$/.exec(path);
  if (invite?.[1])
    return (
      <Suspense fallback={loading}>
        <InvitePage key={invite[1]} token={invite[1]} />
      </Suspense>
    );
  const reset = /^\/reset\/([^/]+)$/.exec(path);
  if (reset?.[1])
    return (
      <Suspense fallback={loading}>
        <ResetPage key={reset[1]} token={reset[1]} />
      </Suspense>
    );
  if (me.isLoading) return <div className="page-loading">Loading…</div>;
  if (!me.data) return <SignIn />;
  return <Shell me={me.data} />;
}

function Page({ path }: { path: string }) {
  const journey = /^\/journeys\/([^/]+)$/.exec(path);
  if (journey?.[1]) return <JourneyEditor key={journey[1]} id={journey[1]} />;
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer?.[1]) return <CustomerProfilePage key={customer[1]} id={customer[1]} />;
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run?.[1]) return <RunPage key={run[1]} id={run[1]} />;
  const message = /^\/messages\/([^/]+)$/.exec(path);
  if (message?.[1]) return <MessageDetailPage key={message[1]} id={message[1]} />;
  if (path.startsWith('/customers')) return <CustomersPage />;
  if (path.startsWith('/segments')) return <SegmentsPage />;
  if (path.startsWith('/messages')) return <MessagesPage />;
  if (path.startsWith('/settings')) return <SettingsPage />;
  if (path === '/account') return <AccountPage />;
  return <JourneysPage />;
}

function Shell({ me }: { me: Me }) {
  const path = usePath();
  const signOut = useSignOut();
  const current = path.startsWith('/runs')
    ? '/customers'
    : (NAV.find((n) => path.startsWith(n.path))?.path ?? '/journeys');
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <Hourglass size={20} /> Hourglass
        </div>
        <WorkspaceSwitcher me={me} />
        {NAV.map(({ path: p, label, icon: Icon }) => (
          <a
            key={p}
            href={p}
            aria-current={current === p ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate(p);
            }}
          >
            <Icon size={17} /> {label}
          </a>
        ))}
        <div className="spacer" />
        <div className="me">
          {me.user ? (
            <a
              href="/account"
              className="small account-link"
              aria-label={`Account: ${me.user.email}`}
              aria-current={path === '/account' ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate('/account');
              }}
            >
              <UserRound size={15} /> {me.user.email}
            </a>
          ) : (
            <span className="small">API key</span>
          )}
          <button
            type="button"
            className="icon-btn light"
            aria-label="Sign out"
            onClick={() => signOut.mutate()}
          >
            <LogOut size={16} />
          </button>
        </div>
      </nav>
      <main className="page">
        <Suspense fallback={loading}>
          <Page path={path} />
        </Suspense>
      </main>
      <Toasts />
    </div>
  );
}

const NEW_WORKSPACE = 'new';

/** Picks the workspace requests act on; its last option creates a new one. */
function WorkspaceSwitcher({ me }: { me: Me }) {
  const workspaces = useWorkspaces();
  const switchTo = useSwitchWorkspace();
  const [creating, setCreating] = useState(false);
  const list = workspaces.data?.length ? workspaces.data : [me.workspace];
  return (
    <>
      <label className="workspace">
        <span className="sr-only">Workspace</span>
        <select
          value={me.workspace.id}
          disabled={switchTo.isPending}
          onChange={(e) =>
            e.target.value === NEW_WORKSPACE
              ? setCreating(true)
              : switchTo.mutate(e.target.value, { onSuccess: () => navigate('/journeys') })
          }
        >
          {list.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
          {me.kind === 'session' && <option value={NEW_WORKSPACE}>+ New workspace…</option>}
        </select>
      </label>
      <NewWorkspaceDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
