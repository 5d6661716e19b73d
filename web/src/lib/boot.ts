/**
 * What the server put on <body data-boot> for this page (src/server/ui/shells.ts): which
 * cenv, who is signed in, their preferences. Read once; pages never guess these from the URL.
 */
export type Role = 'owner' | 'admin' | 'user';
export type Theme = 'system' | 'light' | 'dark';

export interface Prefs { vim_mode: boolean; theme: Theme }

export interface Boot {
  page: string;
  cenv?: { id: string; name: string | null; ref: string };
  user?: { id: string; username: string; role: Role };
  prefs?: Prefs;
  /** Landing page: whether this server lets anyone create a cenv. */
  allow_new_cenvs?: boolean;
  /** Notice page. */
  status?: number;
  code?: string;
  title?: string;
  message?: string;
  request_id?: string;
  signed_in?: boolean;
}

export const boot: Boot = (() => {
  try {
    return JSON.parse(document.body.dataset.boot ?? '{}') as Boot;
  } catch {
    return { page: 'notice' };
  }
})();

/** `/{cenv}{path}` with the cenv spelled as in the address bar (cookies are scoped to that path). */
export function cenvPath(path: string): string {
  return `/${encodeURIComponent(boot.cenv?.ref ?? '')}${path}`;
}

/** True for owner and admin, who see every admin page. */
export function isAdmin(): boolean {
  return boot.user?.role === 'owner' || boot.user?.role === 'admin';
}
