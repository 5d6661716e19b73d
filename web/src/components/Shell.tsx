/**
 * The frame of every signed-in page: the cenv's name, navigation, the user with their role,
 * (a button: their account, to change their password), the theme switch, the shortcut help
 * and the logout button; then the page itself. The
 * navigation is one list, so the script and template editors join it as one entry each.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { logout } from '../lib/api.ts';
import { boot, cenvPath, isAdmin, type Theme } from '../lib/boot.ts';
import { onPrefs, prefs, setPrefs } from '../lib/prefs.ts';
import { registerShortcut } from '../lib/shortcuts.ts';
import { applyTheme } from '../lib/theme.ts';
import { AccountDialog } from './AccountDialog.tsx';
import { ShortcutHelp, showShortcuts } from './ShortcutHelp.tsx';
import { toast, Toasts } from './Toast.tsx';

interface NavItem { page: string; label: string; path: string; key: string; admin: boolean }

export const NAV: NavItem[] = [
  { page: 'dashboard', label: 'Dashboard', path: '/dashboard', key: 'd', admin: false },
  { page: 'console', label: 'SQL console', path: '/console', key: 'c', admin: false },
  { page: 'scripts', label: 'Scripts', path: '/editor/scripts', key: 's', admin: true },
  { page: 'templates', label: 'Templates', path: '/editor/templates', key: 't', admin: true },
  { page: 'users', label: 'Users', path: '/admin/users', key: 'u', admin: true },
  { page: 'permissions', label: 'Permissions', path: '/admin/permissions', key: 'p', admin: true },
  { page: 'config', label: 'Settings', path: '/admin/config', key: 'o', admin: true },
  { page: 'audit', label: 'Audit log', path: '/admin/audit', key: 'a', admin: true },
];

const THEMES: Theme[] = ['system', 'light', 'dark'];
const THEME_LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

function ThemeSwitch() {
  const [theme, setTheme] = useState(prefs().theme);
  useEffect(() => onPrefs((p) => { setTheme(p.theme); applyTheme(p.theme); }), []);
  const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
  return (
    <button type="button" class="btn btn-ghost btn-small" title={`Switch to ${next}`} aria-label={`${THEME_LABEL[theme]}; switch to ${next}`}
      onClick={() => setPrefs({ theme: next }).catch((e: Error) => toast(`Theme not saved: ${e.message}`, 'error'))}>
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
    </button>
  );
}

export interface ShellProps {
  title: string;
  /** Pages whose content fills the window (the console) instead of scrolling. */
  full?: boolean;
  actions?: ComponentChildren;
  children: ComponentChildren;
}

export function Shell({ title, full, actions, children }: ShellProps) {
  const items = NAV.filter((item) => !item.admin || isAdmin());
  useEffect(() => {
    document.title = `${title} · ${boot.cenv?.name ?? 'cenv'} · WCE`;
  }, [title]);
  useEffect(() => {
    const off = items.map((item) => registerShortcut({
      keys: ['g', item.key], description: `Go to ${item.label}`, group: 'Navigation', run: () => location.assign(cenvPath(item.path)),
    }));
    return () => off.forEach((fn) => fn());
  }, []);
  const cenvLabel = boot.cenv?.name ?? boot.cenv?.id.slice(0, 8);
  const [account, setAccount] = useState(false);
  return (
    <div class={full ? 'shell shell-full' : 'shell'}>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="topbar">
        <a class="brand" href={cenvPath('/dashboard')} aria-label={`WCE, cenv ${cenvLabel}: dashboard`}>
          <span class="brand-mark" aria-hidden="true">W</span>
          <span class="brand-cenv">{cenvLabel}</span>
        </a>
        <nav class="nav" aria-label="Main">
          {items.map((item) => (
            <a key={item.page} href={cenvPath(item.path)} aria-current={boot.page === item.page ? 'page' : undefined}>{item.label}</a>
          ))}
        </nav>
        <div class="topbar-end">
          <button type="button" class="whoami btn-ghost" title={`Signed in as ${boot.user?.username} (${boot.user?.role}): your account`}
            aria-label={`Your account: ${boot.user?.username}, ${boot.user?.role}`} onClick={() => setAccount(true)}>
            <span class="whoami-name">{boot.user?.username}</span> <span class={`badge badge-${boot.user?.role}`}>{boot.user?.role}</span>
          </button>
          <ThemeSwitch />
          <button type="button" class="btn btn-ghost btn-small" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={showShortcuts}>?</button>
          <button type="button" class="btn btn-secondary btn-small" onClick={() => void logout()}>Log out</button>
        </div>
      </header>
      <main id="main" class="page-main" tabIndex={-1}>
        <div class="page-head">
          <h1>{title}</h1>
          {actions && <div class="page-actions">{actions}</div>}
        </div>
        {children}
      </main>
      <AccountDialog open={account} onClose={() => setAccount(false)} />
      <ShortcutHelp />
      <Toasts />
    </div>
  );
}
