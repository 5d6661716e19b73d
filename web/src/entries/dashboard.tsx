/** Entry of `/{cenv}/dashboard` (web/dashboard.html). */
import { mount } from '../lib/mount.tsx';
import { DashboardPage } from '../pages/dashboard.tsx';
import '../styles/admin.css';

mount(<DashboardPage />);
