import type { Me } from '@hourglass/contract';
import { Hourglass, LogOut, Mail, Route, Settings, Users, UsersRound } from 'lucide-react';
import { useMe, useSignOut, useSwitchWorkspace, useWorkspaces } from './api/queries';
import { JourneyEditor } from './canvas/JourneyEditor';
import { CustomerProfilePage } from './pages/CustomerProfilePage';
import { CustomersPage } from './pages/CustomersPage';
import { JourneysPage } from './pages/JourneysPage';
import { MessagesPage } from './pages/MessagesPage';
import { RunPage } from './pages/RunPage';
import { SegmentsPage } from './pages/SegmentsPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignIn } from './pages/SignIn';
import { navigate, usePath } from './router';
import { Toasts } from './ui/toast';

const NAV = [
  { path: '/journeys', label: 'Journeys', icon: Route },
  { path: '/customers', label: 'Customers', icon: Users },
  { path: '/segments', label: 'Segments', icon: UsersRound },
  { path: '/messages', label: 'Messages', icon: Mail },
  { path: '/settings', label: 'Settings', icon: Settings },
];

/** The application: sign-in gate, then the shell with navigation and the current page. */
export function App() {
  const me = useMe();
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
  if (path.startsWith('/customers')) return <CustomersPage />;
  if (path.startsWith('/segments')) return <SegmentsPage />;
  if (path.startsWith('/messages')) return <MessagesPage />;
  if (path.startsWith('/settings')) return <SettingsPage />;
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
          <span className="small">{me.user?.email}</span>
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
        <Page path={path} />
      </main>
      <Toasts />
    </div>
  );
}

function WorkspaceSwitcher({ me }: { me: Me }) {
  const workspaces = useWorkspaces();
  const switchTo = useSwitchWorkspace();
  const list = workspaces.data?.length ? workspaces.data : [me.workspace];
  return (
    <label className="workspace">
      <span className="sr-only">Workspace</span>
      <select
        value={me.workspace.id}
        disabled={list.length < 2 || switchTo.isPending}
        onChange={(e) => switchTo.mutate(e.target.value, { onSuccess: () => navigate('/journeys') })}
      >
        {list.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}
