import { CanvasPage } from './canvas/CanvasPage';

/** The application shell: navigation on the left, the current page on the right. */
export function App() {
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">⧗ Hourglass</div>
        <a href="/" aria-current="page">
          Journeys
        </a>
      </nav>
      <main className="page">
        <CanvasPage />
      </main>
    </div>
  );
}
