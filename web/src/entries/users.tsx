/** Entry of `/{cenv}/admin/users` (web/users.html). */
import { mount } from '../lib/mount.tsx';
import { UsersPage } from '../pages/users/UsersPage.tsx';
import '../styles/admin.css';

mount(<UsersPage />);
