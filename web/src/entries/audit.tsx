/** Entry of `/{cenv}/admin/audit` (web/audit.html). */
import { mount } from '../lib/mount.tsx';
import { AuditPage } from '../pages/audit/AuditPage.tsx';
import '../styles/admin.css';

mount(<AuditPage />);
