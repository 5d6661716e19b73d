/**
 * `/{cenv}/admin/permissions`: who may read and write each table (the grant grid) and which
 * rows they see (row policies per table, with an expression editor validated on save).
 */
import { api } from '../../lib/api.ts';
import { cenvPath } from '../../lib/boot.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Shell } from '../../components/Shell.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import type { Permission, Policy, User } from '../users/types.ts';
import { GrantGrid } from './GrantGrid.tsx';
import { Policies } from './Policies.tsx';

interface SchemaTable { name: string; type: string; columns: Array<{ name: string }> }

async function loadAll() {
  const [schema, grants, policies, users] = await Promise.all([
    api<{ tables: SchemaTable[] }>('/schema'), api<{ permissions: Permission[] }>('/admin/permissions'),
    api<{ policies: Policy[] }>('/admin/policies'), api<{ users: User[] }>('/admin/users'),
  ]);
  return { tables: schema.tables.filter((t) => t.type !== 'view'), grants: grants.permissions, policies: policies.policies, users: users.users };
}

export function PermissionsPage() {
  const data = useLoad(loadAll);
  const d = data.data;
  return (
    <Shell title="Permissions">
      {data.error && !d ? <ErrorState error={data.error} retry={data.reload} /> : !d ? <Loading label="Loading permissions…" /> : d.tables.length === 0 ? (
        <Empty title="No tables yet" action={<a class="btn btn-primary" href={cenvPath('/console')}>Open the console</a>}>
          Permissions are per table. Create a table with SQL in the console, then come back to grant access.
        </Empty>
      ) : (
        <>
          <section class="section" aria-labelledby="grants-title">
            <h2 id="grants-title" class="section-title">Table grants</h2>
            <GrantGrid tables={d.tables.map((t) => t.name)} grants={d.grants} users={d.users} reload={data.reload} />
          </section>
          <section class="section" aria-labelledby="policies-title">
            <h2 id="policies-title" class="section-title">Row policies</h2>
            <p class="muted">PostgreSQL's semantics: permissive policies are OR'ed, restrictive ones AND'ed; owners and admins bypass them.</p>
            <Policies tables={d.tables.filter((t) => t.type === 'table').map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) }))}
              policies={d.policies} reload={data.reload} />
          </section>
        </>
      )}
    </Shell>
  );
}
