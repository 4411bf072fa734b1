import { useSegments } from '../api/queries';
import { ListPage } from './ListPage';

/** Segments of the workspace (editing comes later; journeys pick them in the inspector). */
export function SegmentsPage() {
  return (
    <ListPage
      title="Segments"
      query={useSegments()}
      empty="No segments yet."
      rowKey={(s) => s.id}
      columns={[
        { label: 'Name', render: (s) => s.name },
        { label: 'Description', render: (s) => s.description || '—' },
        {
          label: 'Rule',
          render: (s) => <code className="small">{JSON.stringify(s.rule).slice(0, 80)}</code>,
        },
        { label: 'Updated', render: (s) => s.updatedAt.toLocaleDateString() },
      ]}
    />
  );
}
