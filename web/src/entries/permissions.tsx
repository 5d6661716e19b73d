/** Entry of `/{cenv}/admin/permissions` (web/permissions.html). */
import { mount } from '../lib/mount.tsx';
import { PermissionsPage } from '../pages/permissions/PermissionsPage.tsx';
import '../styles/admin.css';

mount(<PermissionsPage />);
