/** The admin API's shapes the users and permissions pages read (docs/api.md, "Admin API"). */
export interface User {
  id: string; username: string; role: 'owner' | 'admin' | 'user'; enabled: boolean;
  created_at: string; last_login: string | null; active_sessions: number;
}
export type Operation = 'select' | 'insert' | 'update' | 'delete';
export const OPERATIONS: Operation[] = ['select', 'insert', 'update', 'delete'];
export interface Permission { id: number; table: string; role: string | null; user_id: string | null; operations: Operation[]; created_at: string }
export interface Policy {
  id: number; table: string; name: string; commands: string[]; roles: string[];
  using: string | null; check: string | null; kind: 'permissive' | 'restrictive';
}
export interface Session { id: string; created_at: string; expires_at: string; last_used: string; ip: string | null; user_agent: string | null; current: boolean }
